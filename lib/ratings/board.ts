/**
 * Published ratings of one scope: boards of identified models, each fitted, centred and given
 * intervals and rank confidence on its own, and the models the votes do not rate yet.
 *
 * 1. Identification (identification.ts): each strongly connected component of the beats digraph
 *    with >= 2 models can be rated. A model needs MIN_BOARD_VOTES votes inside its component (below
 *    that no interval method is calibrated, see `npm run sim:ratings`); models short of it are set
 *    aside and the components recomputed without them until every member qualifies.
 * 2. Fit: plain Bradley-Terry MLE on the votes between members (it exists: no prior, ever). Votes
 *    with models outside the board carry no information on the board's scale (their MLE gap is
 *    infinite) and are left out, so an undefeated newcomer moves nobody.
 * 3. Scale: mean 1000 over the board's members, or an anchor model's chosen Elo on its board.
 * 4. Intervals: multinomial bootstrap or sandwich covariance, chosen by board size (chooseMethod).
 * 5. Rank confidence of each adjacent pair (order.ts).
 */
import { DEFAULT_ROUNDS, DEFAULT_SEED, ranksFromIntervals } from "@/lib/ratings/bootstrap";
import { ELO_BASE, ELO_PER_NAT, fitStrengths, type WinTable } from "@/lib/ratings/bradley-terry";
import { sweepBound, type OneSidedBound } from "@/lib/ratings/bounds";
import { identify, opponentsOf, unidentifiedReason, type UnidentifiedReason } from "@/lib/ratings/identification";
import { bootstrapIntervals, sandwichIntervals, type Intervals } from "@/lib/ratings/intervals";
import type { OrderConfidence } from "@/lib/ratings/order";
import type { ModelTally, PairCounts } from "@/lib/ratings/pair-counts";
import type { PairOutcomes } from "@/lib/ratings/sandwich";

/** Votes a model needs inside its board before it is rated (see docs/leaderboard/README.md). */
export const MIN_BOARD_VOTES = 5;
/**
 * Small boards get the bootstrap (when it is defined), others the sandwich. 1,000 rounds cost
 * 1,000 fits, each O(models^3) plus a multinomial draw per cell, while the sandwich costs about one
 * fit; with many votes the MLE is Gaussian to within rounding and the bootstrap would only add
 * Monte-Carlo noise and cost. `npm run sim:ratings` shows both calibrated at every size it tries.
 */
export const BOOTSTRAP_MAX_MODELS = 30;
export const BOOTSTRAP_MAX_VOTES = 20_000;

export type IntervalMethod = "bootstrap" | "sandwich";

export interface Anchor {
  id: string;
  elo: number;
}

export interface BoardOptions {
  rounds?: number;
  seed?: number;
  anchor?: Anchor;
  /** "auto" (default) chooses per board; the others force a method (used by the simulation). */
  method?: "auto" | IntervalMethod;
  minVotes?: number;
}

export interface RatedModel extends ModelTally {
  elo: number;
  ciLow: number;
  ciHigh: number;
  /** 1 + the number of models on the same board whose interval lies entirely above. */
  rank: number;
  /** 0 = the main board (most models), 1 = "group 2", ... */
  board: number;
  /** Votes against other members of the board (the ones the fit uses). */
  boardVotes: number;
  /** Outright wins / votes. */
  winRate: number;
  /** Against the next model down the board (by Elo); null for the last one. */
  next: OrderConfidence | null;
}

export interface Board {
  /** Members by Elo, highest first. */
  models: RatedModel[];
  votes: number;
  method: IntervalMethod;
  /** The anchor, when it is on this board; otherwise the board's mean is 1000. */
  anchor: Anchor | null;
  iterations: number;
  rounds: number;
  degenerateRounds: number;
  /** Style-controlled scopes only: false when this board shows plain ratings (see style-control.ts). */
  styleControlled?: boolean;
}

export interface UnratedModel extends ModelTally {
  reason: UnidentifiedReason;
  /** Models it has met (ids). */
  opponents: string[];
  /** For "no-loss" / "no-win": an exact one-sided bound against those opponents, if it says anything. */
  bound: OneSidedBound | null;
}

export interface BoardsResult {
  boards: Board[];
  unrated: UnratedModel[];
  voteCount: number;
  skippedSelfVotes: number;
}

/** Fractional win table and per-pair outcomes of the votes among `members` (local indices). */
export interface LocalBoard {
  members: number[];
  pairs: PairOutcomes[];
  table: WinTable;
  votes: number;
  /** Votes of each member inside the board. */
  memberVotes: number[];
}

export function localBoard(counts: PairCounts, members: readonly number[]): LocalBoard {
  // Plain loops over typed arrays: at 400 models a board has 80k pairs and this runs per scope.
  const local = new Int32Array(counts.ids.length).fill(-1);
  members.forEach((g, k) => (local[g] = k));
  const pairs: PairOutcomes[] = [];
  const memberVotes = members.map(() => 0);
  let votes = 0;
  for (const p of counts.pairs) {
    const i = local[p.i]!;
    const j = local[p.j]!;
    if (i < 0 || j < 0) continue;
    const draws = p.ties + p.bothBad;
    const total = p.winsI + p.winsJ + draws;
    if (total === 0) continue;
    pairs.push({ i, j, winsI: p.winsI, winsJ: p.winsJ, draws });
    memberVotes[i]! += total;
    memberVotes[j]! += total;
    votes += total;
  }
  const m = pairs.length;
  const table: WinTable = { n: members.length, i: new Int32Array(m), j: new Int32Array(m), wI: new Float64Array(m), wJ: new Float64Array(m) };
  for (let k = 0; k < m; k++) {
    const p = pairs[k]!;
    table.i[k] = p.i;
    table.j[k] = p.j;
    table.wI[k] = p.winsI + 0.5 * p.draws;
    table.wJ[k] = p.winsJ + 0.5 * p.draws;
  }
  return { members: [...members], pairs, table, votes, memberVotes };
}

/**
 * Boards of at least two models, each a strongly connected component in which every member has at
 * least `minVotes` votes; the models set aside for too few votes come back in `fewVotes`.
 */
export function findBoards(counts: PairCounts, minVotes = MIN_BOARD_VOTES): { boards: number[][]; fewVotes: Set<number> } {
  const fewVotes = new Set<number>();
  let current = counts;
  for (;;) {
    const { components, component } = identify(current);
    // Votes of each model with members of its own component.
    const inside = new Float64Array(counts.ids.length);
    for (const p of current.pairs) {
      if (component[p.i]! < 0 || component[p.i] !== component[p.j]) continue;
      const total = p.winsI + p.winsJ + p.ties + p.bothBad;
      inside[p.i]! += total;
      inside[p.j]! += total;
    }
    let removed = false;
    for (const members of components) {
      for (const g of members) {
        if (inside[g]! < minVotes) {
          fewVotes.add(g);
          removed = true;
        }
      }
    }
    if (!removed) return { boards: components, fewVotes };
    current = { ...current, pairs: current.pairs.filter((p) => !fewVotes.has(p.i) && !fewVotes.has(p.j)) };
  }
}

/** Which interval method a board gets when none is forced (the rule is measured by sim:ratings). */
export function chooseMethod(models: number, votes: number): IntervalMethod {
  return models <= BOOTSTRAP_MAX_MODELS && votes <= BOOTSTRAP_MAX_VOTES ? "bootstrap" : "sandwich";
}

/** Fits one board and gives it intervals; null only if the fit failed (cannot happen on a component). */
export function rateBoard(
  counts: PairCounts,
  members: readonly number[],
  index: number,
  opts: BoardOptions = {},
): Board | null {
  const board = localBoard(counts, members);
  const n = members.length;
  // Always from 0 (no warm start from the last snapshot): the same counts give the same bits.
  const fit = fitStrengths(board.table);
  if (!fit.converged || fit.ridge > 0) return null;
  const theta = fit.theta;
  const forced = opts.method && opts.method !== "auto" ? opts.method : null;
  const method = forced ?? chooseMethod(n, board.votes);
  const rounds = opts.rounds ?? DEFAULT_ROUNDS;
  let iv =
    method === "bootstrap" ? bootstrapIntervals(board, theta, rounds, opts.seed ?? DEFAULT_SEED) : sandwichIntervals(board, theta);
  // A bootstrap with too many degenerate rounds has no percentile interval: the sandwich steps in.
  if (!iv && method === "bootstrap") iv = sandwichIntervals(board, theta);
  if (!iv) return null;

  return assembleBoard(counts, board, index, theta, iv, opts.anchor, fit.iterations);
}

/** A board's published form from its centred strengths (nats, local order) and intervals. */
export function assembleBoard(
  counts: PairCounts,
  board: LocalBoard,
  index: number,
  theta: Float64Array,
  iv: Intervals,
  anchor: Anchor | undefined,
  iterations: number,
): Board {
  const { members } = board;
  const anchorAt = anchor ? members.findIndex((g) => counts.ids[g] === anchor.id) : -1;
  const shift = anchorAt >= 0 ? anchor!.elo - (ELO_BASE + theta[anchorAt]! * ELO_PER_NAT) : 0;
  const elo = (nats: number) => ELO_BASE + nats * ELO_PER_NAT + shift;
  const order = Array.from(members.keys()).sort(
    (a, b) => theta[b]! - theta[a]! || (counts.ids[members[a]!]! < counts.ids[members[b]!]! ? -1 : 1),
  );
  const ciLow = order.map((k) => elo(iv.low[k]!));
  const ciHigh = order.map((k) => elo(iv.high[k]!));
  const rank = ranksFromIntervals(ciLow, ciHigh);
  const models = order.map((k, r): RatedModel => {
    const t = counts.tallies[members[k]!]!;
    const below = order[r + 1];
    return {
      ...t,
      elo: elo(theta[k]!),
      ciLow: ciLow[r]!,
      ciHigh: ciHigh[r]!,
      rank: rank[r]!,
      board: index,
      boardVotes: board.memberVotes[k]!,
      winRate: t.wins / t.votes,
      next: below === undefined ? null : iv.order(k, below),
    };
  });
  return {
    models,
    votes: board.votes,
    method: iv.method,
    anchor: anchorAt >= 0 ? anchor! : null,
    iterations,
    rounds: iv.rounds,
    degenerateRounds: iv.degenerate,
  };
}

/** Boards and unrated models of one scope's pair counts. */
export function rateScope(counts: PairCounts, opts: BoardOptions = {}): BoardsResult {
  const { boards: components, fewVotes } = findBoards(counts, opts.minVotes ?? MIN_BOARD_VOTES);
  const boards: Board[] = [];
  const rated = new Set<number>();
  const noInterval = new Set<number>();
  for (const members of components) {
    const board = rateBoard(counts, members, boards.length, opts);
    if (!board) {
      members.forEach((g) => noInterval.add(g));
      continue;
    }
    boards.push(board);
    members.forEach((g) => rated.add(g));
  }
  const unrated: UnratedModel[] = [];
  counts.tallies.forEach((t, g) => {
    if (rated.has(g) || t.votes === 0) return;
    const reason: UnidentifiedReason = fewVotes.has(g) ? "few-votes" : noInterval.has(g) ? "no-interval" : unidentifiedReason(counts, g);
    const bound = reason === "no-loss" ? sweepBound(t.wins, "above") : reason === "no-win" ? sweepBound(t.losses, "below") : null;
    unrated.push({ ...t, reason, opponents: opponentsOf(counts, g).map((o) => counts.ids[o]!), bound });
  });
  unrated.sort((x, y) => y.votes - x.votes || (x.id < y.id ? -1 : 1));
  return { boards, unrated, voteCount: counts.voteCount, skippedSelfVotes: counts.skipped };
}

