/**
 * Style-controlled leaderboard (Chatbot Arena's "style control"): Bradley-Terry with covariates,
 *
 *   P(a beats b) = sigmoid(theta_a - theta_b + beta . (x_a - x_b)),
 *   x = [ln(1 + faces), ln(1 + parts), hasMaterials ? 1 : 0] of the output shown on each side,
 *
 * so theta is a model's strength with the voters' taste for dense, many-part, textured outputs taken
 * out, and beta is what that taste is worth. Parts go in on a log scale like faces because a script
 * can emit thousands of loose islands: on a raw scale a single such vote would dominate beta.
 *
 * As in computeRatings, tie and both_bad are half a win each way and self-votes are skipped. The
 * likelihood sees a vote only through (a, b, x_a - x_b, outcome), so votes are aggregated into cells
 * keyed by that, oriented to the sorted pair (swap a/b, negate the difference); the fit and the
 * bootstrap then cost O(cells), not O(votes). A model's output per prompt is fixed, so real data have
 * at most models x prompts distinct feature vectors. The bootstrap draws per-(cell, outcome) counts
 * from a multinomial exactly as bootstrap.ts does for pairs.
 *
 * Identification: a covariate whose differences are all zero, or are fully explained by model
 * identity (say every output of each model has materials, or none does), carries nothing that theta
 * does not. Its beta is not estimable, so the fit detects that (estimableColumns), zeroes the column
 * and holds its beta at exactly 0 (a unit "ridge" on that beta alone, which then has no gradient):
 * its effect is 0 in the point fit, and a bootstrap round where it happens contributes no sample
 * for it. Estimable covariates get no prior, so the point fit is the plain MLE. The ridge prior is
 * fitStrengths' rule: on theta only, only when the comparison graph is not strongly connected. A
 * covariate that perfectly separates wins from losses has no finite MLE either; that is not hidden
 * but shows up as converged: false with a large effect, and disappears as votes accumulate.
 * Cost: about 1 us per cell per bootstrap round. 30 models on 8 prompts (3,500 cells) take ~3 s for
 * 1,000 rounds; on the benchmark's 212 prompts, once most pairs have met on most of them (~92k
 * cells), ~2 minutes.
 */
import type { Anchor, Vote } from "@/lib/ratings";
import { DEFAULT_ROUNDS, DEFAULT_SEED, percentileInterval, ranksFromIntervals } from "@/lib/ratings/bootstrap";
import { anchorShift, ELO_PER_NAT, newtonAscent, RIDGE_LAMBDA, thetaToElo } from "@/lib/ratings/bradley-terry";
import { choleskySolve } from "@/lib/ratings/cholesky";
import { stronglyConnected } from "@/lib/ratings/comparison-graph";
import { Variates, xoshiro128 } from "@/lib/ratings/random";

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

type CovariateKey = "logFaces" | "logParts" | "materials";

/** The covariates in the order of x (and of `effects`). */
export const STYLE_COVARIATES: readonly { key: CovariateKey; label: string; unit: string }[] = [
  { key: "logFaces", label: "Face count", unit: "ln(1 + faces)" },
  { key: "logParts", label: "Part count", unit: "ln(1 + parts)" },
  { key: "materials", label: "Has materials", unit: "materials vs none" },
];
/** The fit's inner loops are written out for exactly these three. */
const K = 3;

/**
 * Relative residual below which a covariate counts as a combination of model identity and earlier
 * covariates. Exact collinearity leaves ~1e-13 of rounding; one differing vote in a million, ~1e-6.
 */
const COLLINEAR = 1e-9;

export interface StyleEffect {
  key: CovariateKey;
  label: string;
  unit: string;
  /** Elo points per unit of the covariate difference (a minus b) */
  elo: number;
  ciLow: number;
  ciHigh: number;
  /**
   * false when the feature only varies together with model identity (e.g. one model always uses
   * materials and the others never do): then its effect cannot be told apart from model strength
   * and is reported as 0.
   */
  estimable: boolean;
}

export interface StyleControlResult {
  /** Style-controlled ratings (mean 1000 unless anchored), sorted by elo descending. */
  models: { id: string; elo: number; ciLow: number; ciHigh: number; rank: number }[];
  effects: StyleEffect[];
  voteCount: number;
  params: {
    rounds: number;
    seed: number;
    /** Ridge on theta used by the point fit (0 = plain MLE). */
    ridge: number;
    iterations: number;
    converged: boolean;
    /** Distinct (pair, covariate difference) cells the votes reduce to. */
    cells: number;
    bootstrapUnconverged: number;
  };
}

function covariates(f: StyleFeatures): [number, number, number] {
  // log1p of a negative or non-finite count is NaN, which would silently poison every rating.
  if (!(Number.isFinite(f.faces) && Number.isFinite(f.parts) && f.faces >= 0 && f.parts >= 0)) {
    throw new RangeError(`style features need finite counts >= 0, got faces ${f.faces}, parts ${f.parts}`);
  }
  return [Math.log1p(f.faces), Math.log1p(f.parts), f.hasMaterials ? 1 : 0];
}

/** Cell c: models i[c] < j[c] (indices into the sorted ids), covariate difference dx[K c + k] = x_i - x_j. */
interface Cells {
  n: number;
  i: Int32Array;
  j: Int32Array;
  dx: Float64Array;
  /** Fractional wins of i and of j in the current (observed or resampled) counts. */
  wI: Float64Array;
  wJ: Float64Array;
}

interface Aggregated {
  ids: string[];
  cells: Cells;
  /** Per cell c: 3c = i wins, 3c+1 = j wins, 3c+2 = tie or both_bad (the bootstrap's multinomial cells). */
  outcomes: Float64Array;
  voteCount: number;
}

function aggregate(votes: readonly StyledVote[]): Aggregated {
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
function setWins(t: Cells, outcomes: Float64Array): void {
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
function addGram(out: Float64Array, m: number, pi: Int32Array, pj: Int32Array, z: Float64Array, weight: Float64Array): void {
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

/**
 * Covariates estimable on these cells: column k is kept unless its differences are a linear
 * combination of model-strength differences and the columns kept before it, i.e. unless its
 * residual against those columns in the weighted Gram matrix of the design rows vanishes (its rank
 * does not depend on the positive weights). One all-ones block per connected component pins each
 * component's free shift; it is orthogonal to every covariate column, so the residual does not
 * depend on it (unlike the ridge, which would make any collinear column look estimable).
 */
function estimableColumns(
  m: number,
  pi: Int32Array,
  pj: Int32Array,
  weight: Float64Array,
  z: Float64Array,
  pairs: PairWins,
): boolean[] {
  const dim = m + K;
  const gram = new Float64Array(dim * dim);
  addGram(gram, m, pi, pj, z, weight);
  const parent = Int32Array.from({ length: m }, (_, r) => r);
  const root = (r: number): number => {
    while (parent[r] !== r) r = parent[r] = parent[parent[r]!]!;
    return r;
  };
  for (let p = 0; p < pairs.pi.length; p++) {
    if (pairs.wi[p]! + pairs.wj[p]! > 0) parent[root(pairs.pi[p]!)] = root(pairs.pj[p]!);
  }
  for (let r = 0; r < m; r++) for (let s = 0; s < m; s++) if (root(r) === root(s)) gram[r * dim + s]! += 1;

  const kept: number[] = [];
  for (let k = 0; k < K; k++) {
    const diag = gram[(m + k) * dim + m + k]!;
    if (!(diag > 0)) continue;
    const basis = [...Array.from({ length: m }, (_, r) => r), ...kept.map((q) => m + q)];
    const size = basis.length;
    const a = new Float64Array(size * size);
    basis.forEach((r, u) => basis.forEach((s, w) => (a[u * size + w] = gram[r * dim + s]!)));
    const cross = Float64Array.from(basis, (r) => gram[r * dim + m + k]!);
    const coef = cross.slice();
    if (!choleskySolve(a, coef, size)) continue;
    let explained = 0;
    for (let u = 0; u < size; u++) explained += cross[u]! * coef[u]!;
    if (diag - explained > COLLINEAR * diag) kept.push(k);
  }
  return STYLE_COVARIATES.map((_, k) => kept.includes(k));
}

interface PairWins {
  pi: Int32Array;
  pj: Int32Array;
  wi: Float64Array;
  wj: Float64Array;
}

/** Per-pair win sums of cells sorted by pair: the comparison graph with one edge per pair. */
function pairWins(pi: Int32Array, pj: Int32Array, wi: Float64Array, wj: Float64Array): PairWins {
  const pairs = { pi: [] as number[], pj: [] as number[], wi: [] as number[], wj: [] as number[] };
  for (let p = 0; p < pi.length; p++) {
    const last = pairs.pi.length - 1;
    if (last >= 0 && pairs.pi[last] === pi[p] && pairs.pj[last] === pj[p]) {
      pairs.wi[last]! += wi[p]!;
      pairs.wj[last]! += wj[p]!;
    } else {
      pairs.pi.push(pi[p]!);
      pairs.pj.push(pj[p]!);
      pairs.wi.push(wi[p]!);
      pairs.wj.push(wj[p]!);
    }
  }
  return {
    pi: Int32Array.from(pairs.pi),
    pj: Int32Array.from(pairs.pj),
    wi: Float64Array.from(pairs.wi),
    wj: Float64Array.from(pairs.wj),
  };
}

interface StyledFit {
  /** Log-strengths (nats), mean 0 over models with comparisons; NaN for models without any. */
  theta: Float64Array;
  /** Nats per unit of covariate difference; NaN where the covariate is not estimable. */
  beta: Float64Array;
  iterations: number;
  converged: boolean;
  ridge: number;
  /** Cells with weight, and which covariates were estimable on them. */
  support: number;
  estimable: boolean[];
}

/**
 * Maximises LL(theta, beta) - (sum theta)^2 / 2 - ridge/2 * |theta|^2 by damped Newton, as
 * fitStrengths does without covariates: the gauge term only pins the free shift of theta (it is
 * zero at the optimum) and keeps the Newton system definite. `init` warm-starts bootstrap rounds.
 */
function fitStyled(t: Cells, init?: StyledFit): StyledFit {
  const cells = t.i.length;
  const wi = t.wI;
  const wj = t.wJ;
  const total = new Float64Array(cells);
  const present = new Uint8Array(t.n);
  let support = 0;
  for (let c = 0; c < cells; c++) {
    total[c] = wi[c]! + wj[c]!;
    if (total[c]! > 0) {
      present[t.i[c]!] = present[t.j[c]!] = 1;
      support++;
    }
  }
  // Models with a weighted comparison get consecutive unknowns (all of them, in id order, in any
  // round with enough votes: then the cells' indices are used as they are). Cells without weight
  // stay in, which is cheaper than compacting 1,000 times; they add exact zeros, even those
  // pointed at model 0 because one of their models is absent from this round.
  const members: number[] = [];
  const local = new Int32Array(t.n);
  for (let g = 0; g < t.n; g++) local[g] = present[g] ? members.push(g) - 1 : 0;
  const m = members.length;
  let pi = t.i;
  let pj = t.j;
  if (m < t.n) {
    pi = t.i.map((g) => local[g]!);
    pj = t.j.map((g) => local[g]!);
  }
  const pairs = pairWins(pi, pj, wi, wj);
  const ridge = m > 1 && stronglyConnected(m, pairs.pi, pairs.pj, pairs.wi, pairs.wj) ? 0 : RIDGE_LAMBDA;
  // Estimability depends only on which cells have weight. A bootstrap round keeps a subset of the
  // full data's cells, so if it kept as many, it kept the same ones (the usual case with many votes).
  const estimable =
    init?.support === support
      ? init.estimable
      : m > 1
        ? estimableColumns(m, pi, pj, total, t.dx, pairs)
        : STYLE_COVARIATES.map(() => false);
  // A column that is not estimable is zeroed: its gradient is then 0, a unit diagonal keeps the
  // Newton system definite, and its beta stays at exactly 0.
  let z = t.dx;
  if (!estimable.every(Boolean)) {
    z = t.dx.map((dx, at) => (estimable[at % K] ? dx : 0));
  }

  // Unknowns: theta of the m members, then beta.
  const dim = m + K;
  const x = new Float64Array(dim);
  for (let r = 0; r < m; r++) {
    const start = init?.theta[members[r]!];
    x[r] = start !== undefined && Number.isFinite(start) ? start : 0;
  }
  for (let k = 0; k < K; k++) {
    const start = init?.beta[k];
    x[m + k] = estimable[k] && start !== undefined && Number.isFinite(start) ? start : 0;
  }
  const grad = new Float64Array(dim);
  const hess = new Float64Array(dim * dim);
  const curvature = new Float64Array(cells);
  const evaluate = (y: Float64Array): number => {
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < m; r++) {
      sum += y[r]!;
      sq += y[r]! * y[r]!;
    }
    let f = -0.5 * sum * sum - 0.5 * ridge * sq;
    grad.fill(0);
    for (let r = 0; r < m; r++) grad[r] = -sum - ridge * y[r]!;
    const b0 = y[m]!;
    const b1 = y[m + 1]!;
    const b2 = y[m + 2]!;
    let g0 = 0, g1 = 0, g2 = 0;
    for (let p = 0; p < cells; p++) {
      const a = pi[p]!;
      const b = pj[p]!;
      const z0 = z[K * p]!;
      const z1 = z[K * p + 1]!;
      const z2 = z[K * p + 2]!;
      const d = y[a]! - y[b]! + b0 * z0 + b1 * z1 + b2 * z2;
      const e = Math.exp(-Math.abs(d));
      const s = d >= 0 ? 1 / (1 + e) : e / (1 + e); // P(i beats j)
      // w_i log s + w_j log(1 - s) = -total * softplus(-d) - w_j * d
      f -= total[p]! * (Math.max(-d, 0) + Math.log1p(e)) + wj[p]! * d;
      const g = wi[p]! - total[p]! * s;
      grad[a]! += g;
      grad[b]! -= g;
      g0 += g * z0;
      g1 += g * z1;
      g2 += g * z2;
      curvature[p] = total[p]! * s * (1 - s);
    }
    grad[m] = g0;
    grad[m + 1] = g1;
    grad[m + 2] = g2;
    // Negated Hessian: the gauge term's all-ones block, the ridge, the cells' curvature.
    hess.fill(0);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) hess[r * dim + c] = 1;
      hess[r * dim + r]! += ridge;
    }
    for (let k = 0; k < K; k++) if (!estimable[k]) hess[(m + k) * dim + m + k] = 1;
    addGram(hess, m, pi, pj, z, curvature);
    return f;
  };
  const { iterations, converged } = m < 2 ? { iterations: 0, converged: true } : newtonAscent(x, evaluate, grad, hess);

  let mean = 0;
  for (let r = 0; r < m; r++) mean += x[r]! / m;
  const theta = new Float64Array(t.n).fill(Number.NaN);
  members.forEach((g, r) => (theta[g] = x[r]! - mean));
  const beta = Float64Array.from(estimable, (ok, k) => (ok ? x[m + k]! : Number.NaN));
  return { theta, beta, iterations, converged, ridge, support, estimable };
}

type Interval = NonNullable<ReturnType<typeof percentileInterval>>;

/** Percentile intervals (model Elo at mean 1000, unanchored; effects in Elo per unit); null if never estimated. */
function bootstrapStyled(
  data: Aggregated,
  rounds: number,
  seed: number,
  init: StyledFit,
): { models: (Interval | null)[]; effects: (Interval | null)[]; unconverged: number } {
  const { cells, outcomes } = data;
  const n = cells.n;
  const drawn = new Float64Array(outcomes.length);
  const rng = new Variates(xoshiro128(seed));
  // elo[model * rounds + r], effect[k * rounds + r]; NaN when not estimated in round r.
  const elo = new Float64Array(n * rounds);
  const effect = new Float64Array(K * rounds);
  let unconverged = 0;
  for (let r = 0; r < rounds; r++) {
    rng.multinomial(data.voteCount, outcomes, drawn);
    setWins(cells, drawn);
    const fit = fitStyled(cells, init);
    if (!fit.converged) unconverged++;
    for (let g = 0; g < n; g++) elo[g * rounds + r] = thetaToElo(fit.theta[g]!);
    for (let k = 0; k < K; k++) effect[k * rounds + r] = fit.beta[k]! * ELO_PER_NAT;
  }
  const slice = (a: Float64Array, k: number) => percentileInterval(a.subarray(k * rounds, (k + 1) * rounds));
  return {
    models: Array.from({ length: n }, (_, g) => slice(elo, g)),
    effects: Array.from({ length: K }, (_, k) => slice(effect, k)),
    unconverged,
  };
}

export function computeStyleControlled(
  votes: readonly StyledVote[],
  opts: { rounds?: number; seed?: number; anchor?: Anchor } = {},
): StyleControlResult {
  const rounds = opts.rounds ?? DEFAULT_ROUNDS;
  const seed = opts.seed ?? DEFAULT_SEED;
  const data = aggregate(votes);
  setWins(data.cells, data.outcomes);
  const fit = fitStyled(data.cells);
  const shift = anchorShift(data.ids, fit.theta, opts.anchor);
  const boot = bootstrapStyled(data, rounds, seed, fit);

  // Every id is in some cell, so it has a rating. A bound is missing only if no round estimated it
  // (or rounds = 0): fall back to the point.
  const elo = data.ids.map((_, g) => thetaToElo(fit.theta[g]!, shift));
  // As in computeRatings: the published interval always contains the point estimate.
  const ciLow = elo.map((e, g) => Math.min(e, boot.models[g] ? boot.models[g].low + shift : e));
  const ciHigh = elo.map((e, g) => Math.max(e, boot.models[g] ? boot.models[g].high + shift : e));
  const rank = ranksFromIntervals(ciLow, ciHigh);
  const models = data.ids.map((id, g) => ({ id, elo: elo[g]!, ciLow: ciLow[g]!, ciHigh: ciHigh[g]!, rank: rank[g]! }));
  models.sort((x, y) => y.elo - x.elo || (x.id < y.id ? -1 : 1));

  const effects = STYLE_COVARIATES.map((covariate, k): StyleEffect => {
    const point = Number.isNaN(fit.beta[k]!) ? 0 : fit.beta[k]! * ELO_PER_NAT;
    const ci = boot.effects[k];
    const estimable = !Number.isNaN(fit.beta[k]!);
    return { ...covariate, elo: point, ciLow: ci?.low ?? point, ciHigh: ci?.high ?? point, estimable };
  });

  return {
    models,
    effects,
    voteCount: data.voteCount,
    params: {
      rounds,
      seed,
      ridge: fit.ridge,
      iterations: fit.iterations,
      converged: fit.converged,
      cells: data.cells.i.length,
      bootstrapUnconverged: boot.unconverged,
    },
  };
}
