/**
 * Style-controlled leaderboard (Chatbot Arena's "style control"): Bradley-Terry with presentation
 * covariates (style-cells.ts, style-fit.ts), so theta is a model's strength with the voters' taste
 * for dense, many-part, textured outputs taken out, and beta is what that taste is worth.
 *
 * It degrades to the plain ratings rather than publishing what the votes cannot support:
 * - Boards and unrated models are those of the plain fit of the same votes (board.ts). The style
 *   fit covers the main board; further groups keep their plain ratings (`styleControlled: false`).
 * - A covariate is estimated only with enough variation, checked before any outcome is looked at:
 *   (1) not a combination of model identity and the covariates before it ("collinear": one model
 *   always uses materials, the others never do); (2) at least STYLE_MIN_VARYING_VOTES votes in
 *   matchups where its difference varies; (3) the design alone pins its effect to a standard
 *   error of at most STYLE_MAX_SE_ELO Elo per unit (Fisher information at the plain fit, after
 *   model identity and the covariates before it). Otherwise it is "not estimable yet": left out
 *   (fixed at 0, which is what the plain rating assumes).
 * - When no covariate qualifies, or the fit does not converge (a covariate that separates wins from
 *   losses has no finite MLE) or lands on an effect beyond MAX_EFFECT_ELO, no style number is
 *   published at all and the board shows the plain ratings.
 * Intervals are the sandwich covariance of (theta, beta), deterministic and O(cells).
 */
import { ratePairCounts, type RatingsResult } from "@/lib/ratings";
import { ELO_PER_NAT, fitStrengths } from "@/lib/ratings/bradley-terry";
import { assembleBoard, localBoard, type Anchor, type Board } from "@/lib/ratings/board";
import { gaussianIntervals } from "@/lib/ratings/intervals";
import { Z95 } from "@/lib/ratings/normal";
import { aggregateVotes } from "@/lib/ratings/pair-counts";
import { aggregate, K, setWins, STYLE_COVARIATES, type Aggregated, type Cells, type CovariateKey, type StyledVote } from "@/lib/ratings/style-cells";
import { covariateResiduals, fitStyled, styleCovariance } from "@/lib/ratings/style-fit";
import type { StyleEffectEntry } from "@/lib/contracts";

export type { StyleFeatures, StyledVote } from "@/lib/ratings/style-cells";
export { STYLE_COVARIATES } from "@/lib/ratings/style-cells";

/** Votes in matchups where a covariate's difference varies, below which it is not estimated. */
export const STYLE_MIN_VARYING_VOTES = 30;
/** Largest design standard error (Elo per unit) at which a covariate is estimated. */
export const STYLE_MAX_SE_ELO = 100;
/** An effect this large is a separated fit, not a taste: nothing is published. */
export const MAX_EFFECT_ELO = 1000;
/** Relative residual below which a covariate is a combination of model identity (rounding ~1e-13). */
const COLLINEAR = 1e-9;

export type EffectStatus =
  /** Estimated: the effect and its interval are published. */
  | "estimated"
  /** Varies only with the models: it cannot be told apart from model strength. */
  | "collinear"
  /** Too few votes vary in it, or too little variation to pin it down yet. */
  | "little-variation"
  /** The fit with the estimable covariates did not converge: nothing is published. */
  | "not-converged"
  /** No board to fit on. */
  | "no-board";

/** An effect as fitted: the API's entry (lib/contracts.ts) with its fields narrowed and all present. */
export interface StyleEffect extends Omit<StyleEffectEntry, "key" | "status" | "varyingVotes" | "designSe"> {
  key: CovariateKey;
  status: EffectStatus;
  varyingVotes: number;
  designSe: number | null;
}

export interface StyleControlResult extends RatingsResult {
  effects: StyleEffect[];
  /** true when at least one covariate was estimated and the main board is style-controlled. */
  controlled: boolean;
  params: RatingsResult["params"] & {
    iterations: number;
    converged: boolean;
    /** Distinct (pair, covariate difference) cells the main board's votes reduce to. */
    cells: number;
  };
}

/** The cells among `members` (global indices, ascending), re-indexed locally; order stays sorted by pair. */
function boardCells(data: Aggregated, members: readonly number[]): { cells: Cells; outcomes: Float64Array } {
  const local = new Map(members.map((g, k) => [g, k] as const));
  const keep: number[] = [];
  for (let c = 0; c < data.cells.i.length; c++) if (local.has(data.cells.i[c]!) && local.has(data.cells.j[c]!)) keep.push(c);
  const cells: Cells = {
    n: members.length,
    i: Int32Array.from(keep, (c) => local.get(data.cells.i[c]!)!),
    j: Int32Array.from(keep, (c) => local.get(data.cells.j[c]!)!),
    dx: new Float64Array(keep.length * K),
    wI: new Float64Array(keep.length),
    wJ: new Float64Array(keep.length),
  };
  const outcomes = new Float64Array(keep.length * 3);
  keep.forEach((c, q) => {
    cells.dx.set(data.cells.dx.subarray(K * c, K * c + K), K * q);
    outcomes.set(data.outcomes.subarray(3 * c, 3 * c + 3), 3 * q);
  });
  setWins(cells, outcomes);
  return { cells, outcomes };
}

/** Votes in matchups (pairs) where covariate k's difference takes more than one value. */
function varyingVotes(t: Cells, outcomes: Float64Array): number[] {
  const out = new Array<number>(K).fill(0);
  for (let p = 0; p < t.i.length; ) {
    let q = p;
    let votes = 0;
    const varies = new Array<boolean>(K).fill(false);
    for (; q < t.i.length && t.i[q] === t.i[p] && t.j[q] === t.j[p]; q++) {
      votes += outcomes[3 * q]! + outcomes[3 * q + 1]! + outcomes[3 * q + 2]!;
      for (let k = 0; k < K; k++) if (t.dx[K * q + k] !== t.dx[K * p + k]) varies[k] = true;
    }
    for (let k = 0; k < K; k++) if (varies[k]) out[k]! += votes;
    p = q;
  }
  return out;
}

export function computeStyleControlled(
  votes: readonly StyledVote[],
  opts: { rounds?: number; seed?: number; anchor?: Anchor; minVotes?: number; plain?: RatingsResult } = {},
): StyleControlResult {
  const counts = aggregateVotes(votes);
  // The plain fit of the same votes (the caller may already have it: same counts, same options).
  const plain = opts.plain ?? ratePairCounts(counts, opts);
  const data = aggregate(votes);
  const fallback = (status: EffectStatus, varying = [0, 0, 0], se: (number | null)[] = [null, null, null], statuses?: EffectStatus[]): StyleControlResult => ({
    ...plain,
    boards: plain.boards.map((b) => ({ ...b, styleControlled: false })),
    effects: STYLE_COVARIATES.map((c, k) => ({
      ...c,
      elo: 0,
      ciLow: 0,
      ciHigh: 0,
      estimable: false,
      status: statuses?.[k] ?? status,
      varyingVotes: varying[k]!,
      designSe: se[k]!,
    })),
    controlled: false,
    params: { ...plain.params, iterations: 0, converged: false, cells: 0 },
  });
  const main = plain.boards[0];
  if (!main) return fallback("no-board");

  // The main board's members as indices into data.ids (same sorted ids as the plain counts).
  const index = new Map(data.ids.map((id, g) => [id, g] as const));
  const members = main.models.map((m) => index.get(m.id)!).sort((a, b) => a - b);
  const { cells, outcomes } = boardCells(data, members);
  const m = members.length;
  const total = Float64Array.from(cells.wI, (w, c) => w + cells.wJ[c]!);

  // Estimability, from the design only: collinearity (vote weights), then variation and the
  // standard error the design allows (Fisher weights at the plain fit, where beta = 0).
  const board = localBoard(counts, members);
  const plainTheta = fitStrengths(board.table).theta;
  const fisherWeight = Float64Array.from(total, (w, c) => {
    const s = 1 / (1 + Math.exp(-(plainTheta[cells.i[c]!]! - plainTheta[cells.j[c]!]!)));
    return w * s * (1 - s);
  });
  const varying = varyingVotes(cells, outcomes);
  const collinear = new Array<boolean>(K).fill(true);
  covariateResiduals(m, cells, total, (k, residual, diag) => {
    collinear[k] = !(residual > COLLINEAR * diag);
    return !collinear[k];
  });
  const status: EffectStatus[] = new Array<EffectStatus>(K).fill("collinear");
  const designSe: (number | null)[] = new Array<number | null>(K).fill(null);
  covariateResiduals(m, cells, fisherWeight, (k, residual) => {
    if (collinear[k]) return false;
    const se = ELO_PER_NAT / Math.sqrt(residual);
    designSe[k] = Number.isFinite(se) ? se : null;
    const ok = varying[k]! >= STYLE_MIN_VARYING_VOTES && se <= STYLE_MAX_SE_ELO;
    status[k] = ok ? "estimated" : "little-variation";
    return ok;
  });
  const kept = status.map((s) => s === "estimated");
  if (!kept.some(Boolean)) return fallback("little-variation", varying, designSe, status);

  const fit = fitStyled(m, cells, kept, plainTheta);
  const effectElo = Array.from(fit.beta, (b) => b * ELO_PER_NAT);
  if (!fit.converged || effectElo.some((e) => !(Math.abs(e) <= MAX_EFFECT_ELO))) {
    return fallback("not-converged", varying, designSe, status.map((s) => (s === "estimated" ? "not-converged" : s)));
  }
  const cov = styleCovariance(m, cells, outcomes, fit, kept);
  const iv = cov ? gaussianIntervals(fit.theta, cov, board.votes) : null;
  if (!cov || !iv) return fallback("not-converged", varying, designSe, status.map((s) => (s === "estimated" ? "not-converged" : s)));

  const styled: Board = { ...assembleBoard(counts, board, 0, fit.theta, iv, opts.anchor, fit.iterations), styleControlled: true };
  const boards = [styled, ...plain.boards.slice(1).map((b) => ({ ...b, styleControlled: false }))];
  const keptCols = Array.from({ length: K }, (_, k) => k).filter((k) => kept[k]);
  const effects = STYLE_COVARIATES.map((c, k): StyleEffect => {
    if (!kept[k]) return { ...c, elo: 0, ciLow: 0, ciHigh: 0, estimable: false, status: status[k]!, varyingVotes: varying[k]!, designSe: designSe[k]! };
    const q = m + keptCols.indexOf(k);
    const sd = Math.sqrt(Math.max(cov(q, q), 0)) * ELO_PER_NAT;
    const e = effectElo[k]!;
    return { ...c, elo: e, ciLow: e - Z95 * sd, ciHigh: e + Z95 * sd, estimable: true, status: "estimated", varyingVotes: varying[k]!, designSe: designSe[k]! };
  });
  return {
    ...plain,
    models: boards.flatMap((b) => b.models),
    boards,
    effects,
    controlled: true,
    params: { ...plain.params, iterations: fit.iterations, converged: true, cells: cells.i.length },
  };
}
