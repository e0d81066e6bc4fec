/**
 * Style-control input: votes with the presentation features of both outputs, reduced to cells.
 *
 * The likelihood sees a vote only through (a, b, x_a - x_b, outcome), so votes are aggregated into
 * cells keyed by that, oriented to the sorted pair (swap a/b, negate the difference); the fit then
 * costs O(cells), not O(votes). A model's output per prompt is fixed, so real data have at most
 * models x prompts distinct feature vectors. Covariates: x = [ln(1 + faces), ln(1 + parts),
 * hasMaterials ? 1 : 0]; parts go in on a log scale like faces because a script can emit thousands
 * of loose islands, and on a raw scale a single such vote would dominate the effect.
 */
import type { Vote } from "@/lib/ratings/pair-counts";

export interface StyleFeatures {
  faces: number;
  parts: number;
  hasMaterials: boolean;
}

/** A vote with the features of the output shown as a (`fa`) and as b (`fb`). */
export interface StyledVote extends Vote {
  fa: StyleFeatures;
  fb: StyleFeatures;
}

export type CovariateKey = "logFaces" | "logParts" | "materials";

/** The covariates in the order of x (and of `effects`). */
export const STYLE_COVARIATES: readonly { key: CovariateKey; label: string; unit: string }[] = [
  { key: "logFaces", label: "Face count", unit: "ln(1 + faces)" },
  { key: "logParts", label: "Part count", unit: "ln(1 + parts)" },
  { key: "materials", label: "Has materials", unit: "materials vs none" },
];
/** The fit's inner loops are written out for exactly these three. */
export const K = 3;

function covariates(f: StyleFeatures): [number, number, number] {
  // log1p of a negative or non-finite count is NaN, which would silently poison every rating.
  if (!(Number.isFinite(f.faces) && Number.isFinite(f.parts) && f.faces >= 0 && f.parts >= 0)) {
    throw new RangeError(`style features need finite counts >= 0, got faces ${f.faces}, parts ${f.parts}`);
  }
  return [Math.log1p(f.faces), Math.log1p(f.parts), f.hasMaterials ? 1 : 0];
}

/** Cell c: models i[c] < j[c] (indices into the sorted ids), covariate difference dx[K c + k] = x_i - x_j. */
export interface Cells {
  n: number;
  i: Int32Array;
  j: Int32Array;
  dx: Float64Array;
  /** Fractional wins of i and of j in the current (observed or resampled) counts. */
  wI: Float64Array;
  wJ: Float64Array;
}

export interface Aggregated {
  ids: string[];
  cells: Cells;
  /** Per cell c: 3c = i wins, 3c+1 = j wins, 3c+2 = tie or both_bad (the bootstrap's multinomial cells). */
  outcomes: Float64Array;
  voteCount: number;
}

export function aggregate(votes: readonly StyledVote[]): Aggregated {
  const idSet = new Set<string>();
  for (const v of votes) {
    if (v.a !== v.b) idSet.add(v.a).add(v.b);
  }
  // Code-unit order, as in aggregateVotes, so that ids (and cell order) do not depend on the locale.
  const ids = [...idSet].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const index = new Map(ids.map((id, k) => [id, k] as const));

  // Votes show the same few outputs (one per model and prompt) over and over, so (model, features)
  // is interned by value and the covariates are computed once per distinct output.
  const outputModel: number[] = [];
  const outputX: number[][] = [];
  const interned = ids.map(() => new Map<number, Map<number, number[]>>());
  const output = (model: number, f: StyleFeatures): number => {
    let byParts = interned[model]!.get(f.faces);
    if (!byParts) interned[model]!.set(f.faces, (byParts = new Map()));
    let slots = byParts.get(f.parts);
    if (!slots) byParts.set(f.parts, (slots = [-1, -1]));
    const materials = f.hasMaterials ? 1 : 0;
    if (slots[materials]! < 0) {
      slots[materials] = outputX.push(covariates(f)) - 1;
      outputModel.push(model);
    }
    return slots[materials]!;
  };
  const outA = new Int32Array(votes.length).fill(-1);
  const outB = new Int32Array(votes.length).fill(-1);
  votes.forEach((v, k) => {
    if (v.a === v.b) return;
    outA[k] = output(index.get(v.a)!, v.fa);
    outB[k] = output(index.get(v.b)!, v.fb);
  });

  // Group by (output of the lower-index model, output of the other): display order drops out here.
  const outputs = outputX.length;
  const groupOf = new Map<number, number>();
  const groupI: number[] = [];
  const groupJ: number[] = [];
  const groupCounts: number[] = [];
  let voteCount = 0;
  for (let k = 0; k < votes.length; k++) {
    if (outA[k]! < 0) continue;
    const flip = outputModel[outB[k]!]! < outputModel[outA[k]!]!;
    const oi = flip ? outB[k]! : outA[k]!;
    const oj = flip ? outA[k]! : outB[k]!;
    let g = groupOf.get(oi * outputs + oj);
    if (g === undefined) {
      g = groupI.push(oi) - 1;
      groupJ.push(oj);
      groupCounts.push(0, 0, 0);
      groupOf.set(oi * outputs + oj, g);
    }
    const w = votes[k]!.count ?? 1; // pre-counted votes (SQL GROUP BY) weigh their count
    groupCounts[3 * g + outcomeColumn(votes[k]!.outcome, flip)]! += w;
    voteCount += w;
  }

  // Groups with the same pair and covariate difference are one cell (the likelihood cannot tell
  // them apart). Sorted so that the bootstrap's draws, and so the intervals, do not depend on vote
  // order; cells of a pair end up contiguous, which addGram relies on for speed.
  const groups = groupI.map((oi, g) => {
    const xj = outputX[groupJ[g]!]!;
    return { i: outputModel[oi]!, j: outputModel[groupJ[g]!]!, dx: outputX[oi]!.map((x, k) => x - xj[k]!), g };
  });
  const order = (p: (typeof groups)[number], q: (typeof groups)[number]): number => {
    if (p.i !== q.i) return p.i - q.i;
    if (p.j !== q.j) return p.j - q.j;
    for (let k = 0; k < K; k++) if (p.dx[k] !== q.dx[k]) return p.dx[k]! - q.dx[k]!;
    return 0;
  };
  groups.sort(order);
  const cellOf = groups.map((_, r) => r);
  for (let r = 1; r < groups.length; r++) {
    cellOf[r] = order(groups[r - 1]!, groups[r]!) === 0 ? cellOf[r - 1]! : cellOf[r - 1]! + 1;
  }
  const count = groups.length > 0 ? cellOf.at(-1)! + 1 : 0;
  const cells: Cells = {
    n: ids.length,
    i: new Int32Array(count),
    j: new Int32Array(count),
    dx: new Float64Array(count * K),
    wI: new Float64Array(count),
    wJ: new Float64Array(count),
  };
  const outcomes = new Float64Array(3 * count);
  groups.forEach((group, r) => {
    const c = cellOf[r]!;
    cells.i[c] = group.i;
    cells.j[c] = group.j;
    cells.dx.set(group.dx, K * c);
    for (let o = 0; o < 3; o++) outcomes[3 * c + o]! += groupCounts[3 * group.g + o]!;
  });
  return { ids, cells, outcomes, voteCount };
}

/** Which of a cell's counts a vote adds to: 0 = i wins, 1 = j wins, 2 = tie or both_bad. */
function outcomeColumn(outcome: StyledVote["outcome"], flip: boolean): number {
  switch (outcome) {
    case "a":
      return flip ? 1 : 0;
    case "b":
      return flip ? 0 : 1;
    case "tie":
    case "both_bad":
      return 2;
    default: {
      const never: never = outcome;
      throw new Error(`unknown vote outcome: ${String(never)}`);
    }
  }
}

/** Loads outcome counts into the cells' fractional wins (tie and both_bad half each way). */
export function setWins(t: Cells, outcomes: Float64Array): void {
  for (let c = 0; c < t.wI.length; c++) {
    t.wI[c] = outcomes[3 * c]! + 0.5 * outcomes[3 * c + 2]!;
    t.wJ[c] = outcomes[3 * c + 1]! + 0.5 * outcomes[3 * c + 2]!;
  }
}

/**
 * Adds sum_p weight[p] * r_p r_p^T to `out` (row-major, dim = m + K), where r_p = e_a - e_b + z_p is
 * the design row of cell p (models pi[p], pj[p]; covariates z[K p ..]). Both the Newton Hessian and
 * the estimability test are this matrix. Bootstrap rounds spend most of their time here and in
 * `evaluate`, so the K = 3 covariates are written out and a pair's cells are summed in locals
 * before touching `out` (cells come sorted by pair; unsorted input is still correct, only slower).
 */
export function addGram(out: Float64Array, m: number, pi: Int32Array, pj: Int32Array, z: Float64Array, weight: Float64Array): void {
  const dim = m + K;
  const cross = new Float64Array(K);
  let s00 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s22 = 0;
  for (let p = 0; p < pi.length; ) {
    const a = pi[p]!;
    const b = pj[p]!;
    let h = 0, c0 = 0, c1 = 0, c2 = 0;
    for (; p < pi.length && pi[p] === a && pj[p] === b; p++) {
      const w = weight[p]!;
      const z0 = z[K * p]!;
      const z1 = z[K * p + 1]!;
      const z2 = z[K * p + 2]!;
      h += w;
      c0 += w * z0;
      c1 += w * z1;
      c2 += w * z2;
      s00 += w * z0 * z0;
      s10 += w * z1 * z0;
      s11 += w * z1 * z1;
      s20 += w * z2 * z0;
      s21 += w * z2 * z1;
      s22 += w * z2 * z2;
    }
    out[a * dim + a]! += h;
    out[b * dim + b]! += h;
    out[a * dim + b]! -= h;
    out[b * dim + a]! -= h;
    cross[0] = c0;
    cross[1] = c1;
    cross[2] = c2;
    for (let k = 0; k < K; k++) {
      const col = m + k;
      out[a * dim + col]! += cross[k]!;
      out[col * dim + a]! += cross[k]!;
      out[b * dim + col]! -= cross[k]!;
      out[col * dim + b]! -= cross[k]!;
    }
  }
  const lower = [[s00], [s10, s11], [s20, s21, s22]];
  for (let u = 0; u < K; u++) {
    for (let v = 0; v <= u; v++) {
      out[(m + u) * dim + m + v]! += lower[u]![v]!;
      if (v < u) out[(m + v) * dim + m + u]! += lower[u]![v]!;
    }
  }
}

