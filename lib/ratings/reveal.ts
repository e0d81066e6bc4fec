/**
 * The effect of one vote on the two models' published ratings, computed cheaply at reveal time.
 *
 * The published fit theta maximises the log-likelihood of the scope's counts, so after one more vote
 * the gradient is (almost exactly) that vote's score g = (y - p)(e_a - e_b), and one Newton step
 * theta' = theta + H+ g (H the Fisher information of the board at theta; H+ g by one Cholesky solve
 * of H + 11^T/n, since g sums to 0) lands within O(1/N^2) of the refitted MLE. Up to three more
 * steps (stopping below 1e-6 nats; a board with many votes needs none) make it the refit: the
 * reveal shows what the next snapshot will show, up to votes cast meanwhile. Each step keeps the
 * board's mean, so the centring is kept; on an anchored board the anchor's own move is subtracted.
 *
 * When the vote changes which models a board holds (a newcomer's first loss, two groups linked),
 * the board is refitted instead (one fit, warm-free; boards rarely change).
 */
import type { Outcome } from "@/lib/contracts";
import { findBoards, localBoard, MIN_BOARD_VOTES, type Anchor } from "@/lib/ratings/board";
import { ELO_BASE, ELO_PER_NAT, fitStrengths } from "@/lib/ratings/bradley-terry";
import { choleskySolve } from "@/lib/math/cholesky";
import { unidentifiedReason, type UnidentifiedReason } from "@/lib/ratings/identification";
import { pairCountsFromRows, pairRows, type PairCounts } from "@/lib/ratings/pair-counts";

export interface Published {
  elo: number;
  board: number;
}

export interface RevealRating {
  before: number | null;
  after: number | null;
  status: "rated" | "joins" | "unrated";
  board: number | null;
  /** Why it is not rated after the vote. */
  reason: UnidentifiedReason | null;
  /** Votes in the scope, counting this one. */
  votes: number;
  /** Ids of the models it has met, counting this vote. */
  opponents: string[];
}

export interface RevealInput {
  /** The scope's counts the published fit was made on (without this vote). */
  counts: PairCounts;
  /** Published ratings by contestant id. */
  published: ReadonlyMap<string, Published>;
  /** Anchor of each published board (by board index), if any. */
  anchors: ReadonlyMap<number, Anchor | null>;
  vote: { a: string; b: string; outcome: Outcome };
  minVotes?: number;
}

/** counts plus one vote. */
export function withVote(counts: PairCounts, vote: RevealInput["vote"]): PairCounts {
  const rows = pairRows(counts);
  const aIsLo = vote.a < vote.b;
  const [lo, hi] = aIsLo ? [vote.a, vote.b] : [vote.b, vote.a];
  let row = rows.find((r) => r.lo === lo && r.hi === hi);
  if (!row) rows.push((row = { lo, hi, winsLo: 0, winsHi: 0, ties: 0, bothBad: 0 }));
  if (vote.outcome === "a") row[aIsLo ? "winsLo" : "winsHi"]++;
  else if (vote.outcome === "b") row[aIsLo ? "winsHi" : "winsLo"]++;
  else if (vote.outcome === "tie") row.ties++;
  else row.bothBad++;
  return pairCountsFromRows(rows);
}

export function ratingsAfterVote(input: RevealInput): { a: RevealRating; b: RevealRating } {
  const minVotes = input.minVotes ?? MIN_BOARD_VOTES;
  const after = withVote(input.counts, input.vote);
  const { boards, fewVotes } = findBoards(after, minVotes);
  const index = new Map(after.ids.map((id, k) => [id, k] as const));
  const newElo = new Map<string, { elo: number; board: number }>();

  const side = (id: string): RevealRating => {
    const g = index.get(id)!;
    const before = input.published.get(id) ?? null;
    const t = after.tallies[g]!;
    const opponents = after.pairs.filter((p) => p.i === g || p.j === g).map((p) => after.ids[p.i === g ? p.j : p.i]!);
    const base = { votes: t.votes, opponents, before: before?.elo ?? null };
    const b = boards.findIndex((members) => members.includes(g));
    if (b < 0) {
      const reason: UnidentifiedReason = fewVotes.has(g) ? "few-votes" : unidentifiedReason(after, g);
      return { ...base, after: null, status: "unrated", board: null, reason };
    }
    if (!newElo.has(id)) rateBoard(after, boards[b]!, b, input, newElo);
    const r = newElo.get(id)!;
    return { ...base, after: r.elo, status: before ? "rated" : "joins", board: r.board, reason: null };
  };
  return { a: side(input.vote.a), b: side(input.vote.b) };
}

/** New Elo of every member of board `members` (global indices of `after`), into `out`. */
function rateBoard(after: PairCounts, members: number[], index: number, input: RevealInput, out: Map<string, { elo: number; board: number }>): void {
  const ids = members.map((g) => after.ids[g]!);
  const published = ids.map((id) => input.published.get(id));
  const boardBefore = published[0]?.board;
  const sameBoard =
    boardBefore !== undefined &&
    published.every((p) => p?.board === boardBefore) &&
    [...input.published.values()].filter((p) => p.board === boardBefore).length === ids.length;
  const local = localBoard(after, members);
  const n = members.length;
  if (sameBoard) {
    // Newton steps from the published ratings (any common offset is irrelevant to H and g). The
    // first is the vote's effect to O(1/N^2); a few more (cheap when the board is small, tiny when
    // it has many votes) make it the refit's to 1e-6 nats.
    const start = Float64Array.from(published, (p) => p!.elo / ELO_PER_NAT);
    const theta = start.slice();
    let moved = true;
    for (let step = 0; step < 4 && moved; step++) {
      const h = new Float64Array(n * n).fill(1 / n);
      const grad = new Float64Array(n);
      for (const p of local.pairs) {
        const s = 1 / (1 + Math.exp(-(theta[p.i]! - theta[p.j]!)));
        const total = p.winsI + p.winsJ + p.draws;
        const g = p.winsI + 0.5 * p.draws - total * s;
        grad[p.i]! += g;
        grad[p.j]! -= g;
        const w = total * s * (1 - s);
        h[p.i * n + p.i]! += w;
        h[p.j * n + p.j]! += w;
        h[p.i * n + p.j]! -= w;
        h[p.j * n + p.i]! -= w;
      }
      if (!choleskySolve(h, grad, n)) break;
      let largest = 0;
      for (let k = 0; k < n; k++) {
        theta[k]! += grad[k]!;
        largest = Math.max(largest, Math.abs(grad[k]!));
      }
      moved = largest > 1e-6;
    }
    const anchor = input.anchors.get(boardBefore) ?? null;
    const at = anchor ? ids.indexOf(anchor.id) : -1;
    const offset = at >= 0 ? theta[at]! - start[at]! : 0;
    ids.forEach((id, k) => out.set(id, { elo: published[k]!.elo + (theta[k]! - start[k]! - offset) * ELO_PER_NAT, board: index }));
    return;
  }
  // The board is new or changed: fit it (centred on its members, or on an anchor among them).
  const fit = fitStrengths(local.table);
  const anchor = [...input.anchors.values()].find((a) => a && ids.includes(a.id)) ?? null;
  const shift = anchor ? anchor.elo - (ELO_BASE + fit.theta[ids.indexOf(anchor.id)]! * ELO_PER_NAT) : 0;
  ids.forEach((id, k) => out.set(id, { elo: ELO_BASE + fit.theta[k]! * ELO_PER_NAT + shift, board: index }));
}
