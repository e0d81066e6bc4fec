/** Dense SPD solver for the Bradley-Terry Newton step (a few dozen unknowns, so no library). */

/** Solves A x = b in place for symmetric positive definite A (row-major m x m); false if not PD. */
export function choleskySolve(a: Float64Array, b: Float64Array, m: number): boolean {
  for (let r = 0; r < m; r++) {
    for (let c = 0; c <= r; c++) {
      let s = a[r * m + c]!;
      for (let k = 0; k < c; k++) s -= a[r * m + k]! * a[c * m + k]!;
      if (r === c) {
        if (!(s > 0)) return false;
        a[r * m + r] = Math.sqrt(s);
      } else a[r * m + c] = s / a[c * m + c]!;
    }
  }
  for (let r = 0; r < m; r++) {
    let s = b[r]!;
    for (let k = 0; k < r; k++) s -= a[r * m + k]! * b[k]!;
    b[r] = s / a[r * m + r]!;
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < m; k++) s -= a[k * m + r]! * b[k]!;
    b[r] = s / a[r * m + r]!;
  }
  return true;
}
