/**
 * Multinomial bootstrap of one board (a strongly connected set of models, lib/ratings/board.ts).
 *
 * Resampling the board's N votes with replacement is the same as drawing its per-(pair, outcome)
 * counts from a multinomial with the observed proportions and total N, so each round costs
 * O(cells * log N) plus one fit, whatever N is. Ties and both_bad are one cell because the fit
 * cannot tell them apart (both are half a win each way).
 *
 * A round whose resample is not strongly connected has no MLE (some model drew only wins, say):
 * it is "degenerate". Rather than fitting it with a prior, it counts as an extreme in both
 * directions for every model, which can only widen the percentile interval; when more than 2.5% of
 * rounds are degenerate the 95% percentile interval is not defined and the board falls back to the
 * sandwich covariance (board.ts).
 */
import { stronglyConnected } from "@/lib/ratings/comparison-graph";
import { fitStrengths, type WinTable } from "@/lib/ratings/bradley-terry";
import { Variates, xoshiro128 } from "@/lib/ratings/random";
import type { PairOutcomes } from "@/lib/ratings/sandwich";

export const DEFAULT_ROUNDS = 1000;
/** Any fixed value: the same votes must always give the same published intervals. */
export const DEFAULT_SEED = 20250101;

export interface BoardBootstrap {
  rounds: number;
  /** samples[model * rounds + r]: centred log-strength (nats) in round r; NaN in degenerate rounds. */
  samples: Float64Array;
  /** Rounds whose resample identified no rating for some model. */
  degenerate: number;
  /** Rounds whose fit did not reach the tolerance (expected 0; reported, not hidden). */
  unconverged: number;
}

/** Linear-interpolation quantile (R type 7) of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < sorted.length ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

export function bootstrapBoard(
  n: number,
  pairs: readonly PairOutcomes[],
  votes: number,
  opts: { rounds: number; seed: number; init: Float64Array },
): BoardBootstrap {
  const { rounds } = opts;
  const m = pairs.length;
  // Cell layout per pair p: 3p = i wins, 3p+1 = j wins, 3p+2 = tie or both_bad.
  const cells = new Float64Array(3 * m);
  pairs.forEach((p, k) => {
    cells[3 * k] = p.winsI;
    cells[3 * k + 1] = p.winsJ;
    cells[3 * k + 2] = p.draws;
  });
  const drawn = new Float64Array(3 * m);
  const table: WinTable = {
    n,
    i: Int32Array.from(pairs, (p) => p.i),
    j: Int32Array.from(pairs, (p) => p.j),
    wI: new Float64Array(m),
    wJ: new Float64Array(m),
  };
  const rng = new Variates(xoshiro128(opts.seed));
  const samples = new Float64Array(n * rounds).fill(Number.NaN);
  let degenerate = 0;
  let unconverged = 0;
  for (let r = 0; r < rounds; r++) {
    rng.multinomial(votes, cells, drawn);
    for (let k = 0; k < m; k++) {
      table.wI[k] = drawn[3 * k]! + 0.5 * drawn[3 * k + 2]!;
      table.wJ[k] = drawn[3 * k + 1]! + 0.5 * drawn[3 * k + 2]!;
    }
    if (!stronglyConnected(n, table.i, table.j, table.wI, table.wJ)) {
      degenerate++;
      continue;
    }
    const fit = fitStrengths(table, opts.init);
    if (!fit.converged) unconverged++;
    for (let g = 0; g < n; g++) samples[g * rounds + r] = fit.theta[g]!;
  }
  return { rounds, samples, degenerate, unconverged };
}

/**
 * Percentile 95% interval of one model's rounds, degenerate rounds (NaN) counted as -inf for the
 * lower bound and +inf for the upper one; null when they make either bound infinite.
 */
export function percentileInterval(samples: Float64Array): { low: number; high: number } | null {
  const finite = samples.filter((x) => !Number.isNaN(x)).sort();
  const missing = samples.length - finite.length;
  const r = samples.length;
  // Type-7 positions in the full array (missing values at both ends), shifted into the finite part.
  const lowAt = 0.025 * (r - 1) - missing;
  const highAt = 0.975 * (r - 1);
  if (finite.length === 0 || lowAt < 0 || highAt > finite.length - 1) return null;
  const at = (h: number): number => {
    const lo = Math.floor(h);
    return lo + 1 < finite.length ? finite[lo]! + (h - lo) * (finite[lo + 1]! - finite[lo]!) : finite[lo]!;
  };
  return { low: at(lowAt), high: at(highAt) };
}

/** Rank = 1 + number of models whose lower bound is above this model's upper bound. */
export function ranksFromIntervals(ciLow: readonly number[], ciHigh: readonly number[]): number[] {
  return ciHigh.map((hi) => 1 + ciLow.filter((lo) => lo > hi).length);
}
