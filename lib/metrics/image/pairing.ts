/**
 * Scores of a generated-vs-reference view matrix (benchmark-compat §5 and §9): cosine similarity of
 * L2-normalised embeddings, view-paired = mean of the diagonal, best-assignment = mean over the
 * optimal one-to-one matching. Missing views are null; as in the benchmark, the paired score uses the
 * diagonal entries that exist and the assignment runs on the submatrix of present views (so it
 * matches min(rows, columns) pairs).
 */

export type Vec = Float32Array | number[];

export function l2normalise(v: Vec): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  const out = new Float32Array(v.length);
  // A zero embedding stays zero (cosine 0 with everything) instead of NaN.
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

/** Dot product of two normalised vectors = their cosine. */
export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function cosineMatrix(rows: (Vec | null)[], cols: (Vec | null)[]): (number | null)[][] {
  return rows.map((r) => cols.map((c) => (r && c ? dot(r, c) : null)));
}

export function pairedScore(m: (number | null)[][]): number | null {
  const diag = m.map((row, i) => row[i] ?? null).filter((x): x is number => x !== null);
  return diag.length ? diag.reduce((a, b) => a + b, 0) / diag.length : null;
}

export interface Assignment {
  /** Mean cosine over the matched pairs; null when a side has no view. */
  score: number | null;
  /** assignment[i] = the reference view matched to generated view i (null: unmatched or missing). */
  assignment: (number | null)[];
}

/**
 * The optimal one-to-one matching maximising the summed cosine. Exhaustive search: with at most four
 * views a side that is 24 permutations, exact and simpler than the Hungarian method it equals.
 */
export function bestAssignment(m: (number | null)[][]): Assignment {
  const rows = m.map((_, i) => i).filter((i) => m[i]!.some((x) => x !== null));
  const cols = (m[0] ?? []).map((_, j) => j).filter((j) => m.some((row) => row[j] !== null));
  const assignment: (number | null)[] = m.map(() => null);
  if (!rows.length || !cols.length) return { score: null, assignment };
  // Match the shorter side into the longer one.
  const transpose = rows.length > cols.length;
  const a = transpose ? cols : rows;
  const b = transpose ? rows : cols;
  const value = (i: number, j: number) => (transpose ? m[j]![i]! : m[i]![j]!) as number;
  let best = -Infinity;
  let bestPick: number[] = [];
  const pick: number[] = [];
  const used = new Set<number>();
  const search = (k: number, sum: number) => {
    if (k === a.length) {
      if (sum > best) {
        best = sum;
        bestPick = [...pick];
      }
      return;
    }
    for (const j of b) {
      if (used.has(j)) continue;
      used.add(j);
      pick.push(j);
      search(k + 1, sum + value(a[k]!, j));
      pick.pop();
      used.delete(j);
    }
  };
  search(0, 0);
  a.forEach((i, k) => {
    const j = bestPick[k]!;
    if (transpose) assignment[j] = i;
    else assignment[i] = j;
  });
  return { score: best / a.length, assignment };
}
