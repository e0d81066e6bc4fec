/**
 * Bootstrap confidence intervals for Bradley-Terry Elo ratings.
 *
 * Resampling N votes with replacement is the same as drawing the vector of per-(pair, outcome)
 * counts from a multinomial with the observed proportions and total N, so each round costs
 * O(cells * log N) instead of O(N). Ties and both_bad are one cell because the fit cannot tell
 * them apart (both are half a win each way).
 */
import { fitStrengths, thetaToElo, type WinTable } from "@/lib/ratings/bradley-terry";
import type { PairCounts } from "@/lib/ratings/pair-counts";
import { Variates, xoshiro128 } from "@/lib/ratings/random";

export const DEFAULT_ROUNDS = 1000;
/** Any fixed value: the same votes must always give the same published intervals. */
export const DEFAULT_SEED = 20250101;

export interface BootstrapOptions {
  rounds?: number;
  seed?: number;
  /** Warm start for every round (normally the full-data fit); speeds Newton up, same answer. */
  init?: Float64Array;
}

export interface BootstrapResult {
  /** Percentile 2.5 / 97.5 bounds on the field-mean-1000 Elo scale; null if never rated. */
  ciLow: (number | null)[];
  ciHigh: (number | null)[];
  rounds: number;
  /** Rounds whose Newton fit did not reach the tolerance (expected 0; reported, not hidden). */
  unconverged: number;
  /** Rounds that needed the ridge prior (a model swept or disconnected by chance). */
  ridgeRounds: number;
}

/** Linear-interpolation quantile (R type 7) of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < sorted.length ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

export function bootstrapElo(counts: PairCounts, opts: BootstrapOptions = {}): BootstrapResult {
  const rounds = opts.rounds ?? DEFAULT_ROUNDS;
  const n = counts.ids.length;
  const m = counts.pairs.length;
  // Cell layout per pair p: 3p = i wins, 3p+1 = j wins, 3p+2 = tie or both_bad.
  const cells = new Float64Array(3 * m);
  counts.pairs.forEach((p, k) => {
    cells[3 * k] = p.winsI;
    cells[3 * k + 1] = p.winsJ;
    cells[3 * k + 2] = p.ties + p.bothBad;
  });
  const drawn = new Float64Array(3 * m);
  const table: WinTable = {
    n,
    i: Int32Array.from(counts.pairs, (p) => p.i),
    j: Int32Array.from(counts.pairs, (p) => p.j),
    wI: new Float64Array(m),
    wJ: new Float64Array(m),
  };
  const rng = new Variates(xoshiro128(opts.seed ?? DEFAULT_SEED));
  // samples[model * rounds + r]; NaN when the model drew no comparisons in round r.
  const samples = new Float64Array(n * rounds);
  let unconverged = 0;
  let ridgeRounds = 0;

  for (let r = 0; r < rounds; r++) {
    rng.multinomial(counts.voteCount, cells, drawn);
    for (let k = 0; k < m; k++) {
      table.wI[k] = drawn[3 * k]! + 0.5 * drawn[3 * k + 2]!;
      table.wJ[k] = drawn[3 * k + 1]! + 0.5 * drawn[3 * k + 2]!;
    }
    const fit = fitStrengths(table, opts.init);
    if (!fit.converged) unconverged++;
    if (fit.ridge > 0) ridgeRounds++;
    for (let g = 0; g < n; g++) samples[g * rounds + r] = thetaToElo(fit.theta[g]!);
  }

  const ciLow: (number | null)[] = [];
  const ciHigh: (number | null)[] = [];
  for (let g = 0; g < n; g++) {
    const ci = percentileInterval(samples.subarray(g * rounds, (g + 1) * rounds));
    ciLow.push(ci?.low ?? null);
    ciHigh.push(ci?.high ?? null);
  }
  return { ciLow, ciHigh, rounds, unconverged, ridgeRounds };
}

/**
 * Percentile 95% interval of bootstrap samples, NaN meaning "not estimated in that round" (e.g. a
 * model absent from it): percentiles use the rounds that estimated it; null if none did.
 */
export function percentileInterval(samples: Float64Array): { low: number; high: number } | null {
  const own = samples.filter((x) => !Number.isNaN(x));
  if (own.length === 0) return null;
  own.sort();
  return { low: quantile(own, 0.025), high: quantile(own, 0.975) };
}

/** Rank = 1 + number of models whose lower bound is above this model's upper bound. */
export function ranksFromIntervals(ciLow: readonly number[], ciHigh: readonly number[]): number[] {
  return ciHigh.map((hi) => 1 + ciLow.filter((lo) => lo > hi).length);
}
