/**
 * Bradley-Terry maximum likelihood, reported on the Elo scale.
 *
 * Model: P(i beats j) = 1 / (1 + exp(theta_j - theta_i)). A tie or a both_bad vote counts as half
 * a win for each side (both say "neither is better"), so the data reduce to fractional win counts
 * w_ij per ordered pair. The fit is damped Newton on the concave log-likelihood; with a few dozen
 * models an O(n^3) step is cheaper than the hundreds of MM (Zermelo) sweeps needed for 1e-10.
 */
import { choleskySolve } from "@/lib/math/cholesky";
import { stronglyConnected } from "@/lib/ratings/comparison-graph";
import type { PairCounts } from "@/lib/ratings/pair-counts";

/** Elo convention: 400 points per factor 10 in odds, field mean at 1000. */
export const ELO_SCALE = 400;
export const ELO_BASE = 1000;
export const ELO_PER_NAT = ELO_SCALE / Math.LN10;

/**
 * Gaussian prior -lambda/2 * sum(theta^2) (natural-log units, i.e. prior sd of 10 nats ~ 1,700 Elo),
 * added by fitStrengths only when the MLE does not exist (a model that never lost or never won,
 * groups never compared) so that it always returns finite numbers. No published number comes from
 * such a fit: the boards (board.ts) are strongly connected, where the MLE exists and the prior is
 * never added, and bootstrap rounds that lose the MLE are counted as degenerate instead of fitted.
 */
export const RIDGE_LAMBDA = 0.01;
export const TOLERANCE = 1e-10;
const MAX_ITERATIONS = 200;

/** Fractional win counts per pair (i < j), tie and both_bad already split half/half. */
export interface WinTable {
  n: number;
  i: Int32Array;
  j: Int32Array;
  wI: Float64Array;
  wJ: Float64Array;
}

export function winTable(counts: PairCounts): WinTable {
  const m = counts.pairs.length;
  const t: WinTable = {
    n: counts.ids.length,
    i: new Int32Array(m),
    j: new Int32Array(m),
    wI: new Float64Array(m),
    wJ: new Float64Array(m),
  };
  counts.pairs.forEach((p, k) => {
    const half = 0.5 * (p.ties + p.bothBad);
    t.i[k] = p.i;
    t.j[k] = p.j;
    t.wI[k] = p.winsI + half;
    t.wJ[k] = p.winsJ + half;
  });
  return t;
}

export interface StrengthFit {
  /** Log-strengths (nats), mean 0 over models with comparisons; NaN for models without any. */
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  /** RIDGE_LAMBDA when the prior was needed, else 0. */
  ridge: number;
}

/**
 * Maximises LL(theta) - (sum theta)^2 / 2 - ridge/2 * |theta|^2. The (sum theta)^2 term only pins
 * the free shift of LL (it is zero at the centred optimum) and makes the Newton system definite.
 * `init` (e.g. the full-data fit) warm-starts bootstrap rounds.
 */
export function fitStrengths(t: WinTable, init?: Float64Array): StrengthFit {
  // Compact the models that appear in at least one comparison with non-zero weight.
  // (Plain loops: TypedArray.from with a map function is slow, and bootstrap calls this 1,000x.)
  const local = new Int32Array(t.n).fill(-1);
  const members: number[] = [];
  const used: number[] = [];
  for (let k = 0; k < t.i.length; k++) {
    if (t.wI[k]! + t.wJ[k]! <= 0) continue;
    used.push(k);
    if (local[t.i[k]!]! < 0) local[t.i[k]!] = members.push(t.i[k]!) - 1;
    if (local[t.j[k]!]! < 0) local[t.j[k]!] = members.push(t.j[k]!) - 1;
  }
  const m = members.length;
  const pairs = used.length;
  const pi = new Int32Array(pairs);
  const pj = new Int32Array(pairs);
  const wi = new Float64Array(pairs);
  const wj = new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const k = used[p]!;
    pi[p] = local[t.i[k]!]!;
    pj[p] = local[t.j[k]!]!;
    wi[p] = t.wI[k]!;
    wj[p] = t.wJ[k]!;
  }
  const ridge = m > 1 && stronglyConnected(m, pi, pj, wi, wj) ? 0 : RIDGE_LAMBDA;

  const theta = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const start = init?.[members[r]!];
    theta[r] = start !== undefined && Number.isFinite(start) ? start : 0;
  }
  // Objective value, gradient and negated Hessian at `th`, all from one exp and one log1p per
  // pair. The line search's trial point becomes the next iterate, so its derivatives are reused.
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const evaluate = (th: Float64Array): number => {
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < m; r++) {
      sum += th[r]!;
      sq += th[r]! * th[r]!;
    }
    let f = -0.5 * sum * sum - 0.5 * ridge * sq;
    for (let r = 0; r < m; r++) grad[r] = -sum - ridge * th[r]!;
    hess.fill(1); // the gauge term's (negated) Hessian is the all-ones matrix
    for (let r = 0; r < m; r++) hess[r * m + r]! += ridge;
    for (let p = 0; p < pairs; p++) {
      const a = pi[p]!;
      const b = pj[p]!;
      const d = th[a]! - th[b]!;
      const e = Math.exp(-Math.abs(d));
      const s = d >= 0 ? 1 / (1 + e) : e / (1 + e); // P(a beats b)
      const total = wi[p]! + wj[p]!;
      // w_ab log s + w_ba log(1 - s) = -total * softplus(-d) - w_ba * d
      f -= total * (Math.max(-d, 0) + Math.log1p(e)) + wj[p]! * d;
      const g = wi[p]! - total * s;
      const h = total * s * (1 - s);
      grad[a]! += g;
      grad[b]! -= g;
      hess[a * m + a]! += h;
      hess[b * m + b]! += h;
      hess[a * m + b]! -= h;
      hess[b * m + a]! -= h;
    }
    return f;
  };

  const { iterations, converged } =
    m <= 1 ? { iterations: 0, converged: true } : newtonAscent(theta, evaluate, grad, hess);

  let mean = 0;
  for (const x of theta) mean += x / Math.max(m, 1);
  const out = new Float64Array(t.n).fill(Number.NaN);
  members.forEach((g, r) => (out[g] = theta[r]! - mean));
  return { theta: out, iterations, converged, ridge };
}

/**
 * Damped Newton ascent of a concave objective, updating `x` in place. `evaluate(y)` returns the
 * objective at y and fills `grad` and `hess` (the negated Hessian, row-major, positive definite) there.
 * Stops when no coordinate moves by TOLERANCE, or after MAX_ITERATIONS steps (converged false).
 */
export function newtonAscent(
  x: Float64Array,
  evaluate: (y: Float64Array) => number,
  grad: Float64Array,
  hess: Float64Array,
): { iterations: number; converged: boolean } {
  const m = x.length;
  let iterations = 0;
  let converged = false;
  const trial = new Float64Array(m);
  let f0 = evaluate(x);
  while (!converged && iterations < MAX_ITERATIONS) {
    iterations++;
    const step = grad.slice();
    if (!choleskySolve(hess, step, m)) break; // cannot happen with the gauge/ridge terms; be safe
    // Backtracking: the objective is concave, so halving always finds an ascent step; the
    // relative slack absorbs rounding in f (which can be ~1e6 in size) near the optimum.
    let scale = 1;
    let f = f0;
    for (let tries = 0; tries < 40; tries++, scale *= 0.5) {
      for (let r = 0; r < m; r++) trial[r] = x[r]! + scale * step[r]!;
      f = evaluate(trial);
      if (f >= f0 - 1e-12 * (1 + Math.abs(f0))) break;
    }
    f0 = f;
    let maxStep = 0;
    for (let r = 0; r < m; r++) maxStep = Math.max(maxStep, Math.abs(scale * step[r]!));
    x.set(trial);
    converged = maxStep < TOLERANCE;
  }
  return { iterations, converged };
}

/** Converts centred log-strengths to Elo; `shift` moves the whole scale (used for anchoring). */
export function thetaToElo(theta: number, shift = 0): number {
  return ELO_BASE + theta * ELO_PER_NAT + shift;
}

export interface BradleyTerryFit extends StrengthFit {
  ids: string[];
  /** Elo per model (mean 1000 unless anchored); null for models without comparisons. */
  elo: (number | null)[];
  /** Constant added to every rating so that the anchor lands on its value (0 without anchor). */
  shift: number;
}

export interface Anchor {
  id: string;
  elo: number;
}

export function fitBradleyTerry(counts: PairCounts, opts: { anchor?: Anchor } = {}): BradleyTerryFit {
  const fit = fitStrengths(winTable(counts));
  const shift = anchorShift(counts.ids, fit.theta, opts.anchor);
  const elo = Array.from(fit.theta, (th) => (Number.isFinite(th) ? thetaToElo(th, shift) : null));
  return { ...fit, ids: counts.ids, elo, shift };
}

/** Constant that puts `anchor` on its Elo, given centred log-strengths parallel to `ids` (0 without). */
export function anchorShift(ids: readonly string[], theta: Float64Array, anchor?: Anchor): number {
  if (!anchor) return 0;
  const k = ids.indexOf(anchor.id);
  const th = k >= 0 ? theta[k]! : Number.NaN;
  if (!Number.isFinite(th)) throw new Error(`anchor model ${anchor.id} has no comparisons`);
  return anchor.elo - thetaToElo(th);
}
