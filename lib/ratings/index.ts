/**
 * Arena leaderboard ratings: Bradley-Terry MLE on the Elo scale with bootstrap 95% intervals.
 * Models that never appear in a (non-self) vote are simply absent from the result.
 */
import { bootstrapElo, DEFAULT_ROUNDS, DEFAULT_SEED, ranksFromIntervals } from "@/lib/ratings/bootstrap";
import { ELO_BASE, ELO_SCALE, fitBradleyTerry, type Anchor } from "@/lib/ratings/bradley-terry";
import { aggregateVotes, type Vote } from "@/lib/ratings/pair-counts";

export type { Vote } from "@/lib/ratings/pair-counts";
export type { Anchor } from "@/lib/ratings/bradley-terry";

export interface RatingOptions {
  /** Bootstrap rounds (default 1,000); 0 gives point estimates with ciLow = ciHigh = elo. */
  rounds?: number;
  seed?: number;
  /** Shift the whole scale so this model's point estimate equals `elo`; intervals move with it. */
  anchor?: Anchor;
}

export interface ModelRating {
  id: string;
  elo: number;
  ciLow: number;
  ciHigh: number;
  rank: number;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  votes: number;
  /** Outright wins / votes (ties and both_bad are not wins). */
  winRate: number;
}

export interface RatingsResult {
  models: ModelRating[];
  voteCount: number;
  params: {
    scale: number;
    base: number;
    rounds: number;
    seed: number;
    anchor: Anchor | null;
    /** Ridge used by the point fit (0 = plain MLE). */
    ridge: number;
    iterations: number;
    converged: boolean;
    skippedSelfVotes: number;
    bootstrapUnconverged: number;
    bootstrapRidgeRounds: number;
  };
}

export function computeRatings(votes: readonly Vote[], opts: RatingOptions = {}): RatingsResult {
  const rounds = opts.rounds ?? DEFAULT_ROUNDS;
  const seed = opts.seed ?? DEFAULT_SEED;
  const counts = aggregateVotes(votes);
  const fit = fitBradleyTerry(counts, { anchor: opts.anchor });
  const boot = bootstrapElo(counts, { rounds, seed, init: fit.theta });

  // Every id in `counts` has at least one vote against another model, so it has a rating.
  const elo = fit.elo.map((e) => e!);
  // A bound is null only if no round drew the model at all (or rounds = 0): fall back to the point.
  const bound = (b: number | null | undefined, e: number): number => (b == null ? e : b + fit.shift);
  // The percentile interval can miss the point estimate when the point fit needed the ridge (a
  // model that never lost or never won) but rounds without that model did not: widen it to
  // include the estimate, so a published rating always lies inside its own interval.
  const ciLow = elo.map((e, k) => Math.min(e, bound(boot.ciLow[k], e)));
  const ciHigh = elo.map((e, k) => Math.max(e, bound(boot.ciHigh[k], e)));
  const rank = ranksFromIntervals(ciLow, ciHigh);

  const models = counts.tallies.map(
    (t, k): ModelRating => ({
      ...t,
      elo: elo[k]!,
      ciLow: ciLow[k]!,
      ciHigh: ciHigh[k]!,
      rank: rank[k]!,
      winRate: t.wins / t.votes,
    }),
  );
  models.sort((x, y) => y.elo - x.elo || (x.id < y.id ? -1 : 1));

  return {
    models,
    voteCount: counts.voteCount,
    params: {
      scale: ELO_SCALE,
      base: ELO_BASE,
      rounds,
      seed,
      anchor: opts.anchor ?? null,
      ridge: fit.ridge,
      iterations: fit.iterations,
      converged: fit.converged,
      skippedSelfVotes: counts.skipped,
      bootstrapUnconverged: boot.unconverged,
      bootstrapRidgeRounds: boot.ridgeRounds,
    },
  };
}
