/**
 * Dense SPD linear algebra for the Bradley-Terry fits (at most a few hundred unknowns, so no
 * library). Matrices are row-major Float64Arrays; only the lower triangle of a factor is used.
 */

/** Overwrites the lower triangle of A (m x m) with its Cholesky factor L (A = L L^T); false if not PD. */
export function choleskyFactor(a: Float64Array, m: number): boolean {
  for (let r = 0; r < m; r++) {
    const rowR = r * m;
    for (let c = 0; c <= r; c++) {
      const rowC = c * m;
      let s = a[rowR + c]!;
      for (let k = 0; k < c; k++) s -= a[rowR + k]! * a[rowC + k]!;
      if (r === c) {
        if (!(s > 0)) return false;
        a[rowR + r] = Math.sqrt(s);
      } else a[rowR + c] = s / a[rowC + c]!;
    }
  }
  return true;
}

/** Solves L L^T x = b in place, L the factor left by choleskyFactor. */
export function choleskySubstitute(l: Float64Array, b: Float64Array, m: number): void {
  for (let r = 0; r < m; r++) {
    let s = b[r]!;
    const row = r * m;
    for (let k = 0; k < r; k++) s -= l[row + k]! * b[k]!;
    b[r] = s / l[row + r]!;
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < m; k++) s -= l[k * m + r]! * b[k]!;
    b[r] = s / l[r * m + r]!;
  }
}

/** Solves A x = b in place for symmetric positive definite A (row-major m x m, destroyed); false if not PD. */
export function choleskySolve(a: Float64Array, b: Float64Array, m: number): boolean {
  if (!choleskyFactor(a, m)) return false;
  choleskySubstitute(a, b, m);
  return true;
}

/**
 * Inverse of an SPD matrix (row-major m x m, destroyed) as a new full symmetric matrix, or null if
 * not PD. About m^3 / 2 multiply-adds (factor m^3/6, L^-1 m^3/6, L^-T L^-1 m^3/6), every inner loop
 * running along a row.
 */
export function spdInverse(a: Float64Array, m: number): Float64Array | null {
  if (!choleskyFactor(a, m)) return null;
  // X = L^-1 (lower triangular) by forward substitution on whole rows: X_r = (e_r - sum_k L_rk X_k) / L_rr.
  const x = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    const row = r * m;
    x[row + r] = 1;
    for (let k = 0; k < r; k++) {
      const f = a[row + k]!;
      if (f === 0) continue;
      const rowK = k * m;
      for (let c = 0; c <= k; c++) x[row + c]! -= f * x[rowK + c]!;
    }
    const d = 1 / a[row + r]!;
    for (let c = 0; c <= r; c++) x[row + c]! *= d;
  }
  // A^-1 = X^T X, accumulated one row of X at a time (lower triangle), then mirrored.
  const out = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const rowK = k * m;
    for (let i = 0; i <= k; i++) {
      const f = x[rowK + i]!;
      if (f === 0) continue;
      const rowI = i * m;
      for (let j = 0; j <= i; j++) out[rowI + j]! += f * x[rowK + j]!;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) out[j * m + i] = out[i * m + j]!;
  return out;
}
