/**
 * Arena leaderboard ratings: Bradley-Terry MLE on the Elo scale, published only where the votes
 * identify it (lib/ratings/board.ts), with 95% intervals and rank confidence per board.
 */
import { DEFAULT_ROUNDS, DEFAULT_SEED } from "@/lib/ratings/bootstrap";
import { ELO_BASE, ELO_SCALE } from "@/lib/ratings/bradley-terry";
import { rateScope, type Anchor, type Board, type BoardOptions, type RatedModel, type UnratedModel } from "@/lib/ratings/board";
import { aggregateVotes, type PairCounts, type Vote } from "@/lib/ratings/pair-counts";

export type { Vote } from "@/lib/ratings/pair-counts";
export type { Anchor, Board, IntervalMethod, RatedModel, UnratedModel } from "@/lib/ratings/board";
/** A rated model (kept under its older name for scripts that use it). */
export type ModelRating = RatedModel;

export type RatingOptions = BoardOptions;

export interface RatingsResult {
  /** Every rated model, board by board (main board first), each board by Elo. */
  models: RatedModel[];
  boards: Board[];
  /** Models the votes do not rate yet, with their record and what is missing. */
  unrated: UnratedModel[];
  voteCount: number;
  params: {
    scale: number;
    base: number;
    rounds: number;
    seed: number;
    anchor: Anchor | null;
    skippedSelfVotes: number;
  };
}

export function computeRatings(votes: readonly Vote[], opts: RatingOptions = {}): RatingsResult {
  return ratePairCounts(aggregateVotes(votes), opts);
}

export function ratePairCounts(counts: PairCounts, opts: RatingOptions = {}): RatingsResult {
  const res = rateScope(counts, opts);
  return {
    models: res.boards.flatMap((b) => b.models),
    boards: res.boards,
    unrated: res.unrated,
    voteCount: res.voteCount,
    params: {
      scale: ELO_SCALE,
      base: ELO_BASE,
      rounds: opts.rounds ?? DEFAULT_ROUNDS,
      seed: opts.seed ?? DEFAULT_SEED,
      anchor: opts.anchor ?? null,
      skippedSelfVotes: res.skippedSelfVotes,
    },
  };
}
