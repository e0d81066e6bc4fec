/**
 * Spearman's rho between a metric and human Elo with a bootstrap interval (issue 16 part 5). The
 * models are the units: each replicate resamples models with replacement and recomputes rho; the
 * interval is the 2.5-97.5 percentile of the replicates. The seed is fixed so the board shows the
 * same interval on every read of the same data.
 *
 * Nothing is published that the data cannot support (house rule 15): below MIN_MODELS there is no
 * rho at all, and when too many replicates are degenerate (a resample whose metric or Elo is
 * constant has no rank correlation) there is no interval.
 */
import { mulberry32 } from "@/lib/math/mulberry32";
import { spearman } from "@/lib/math/spearman";

/** Below this many models a rank correlation is too coarse to publish (with 4 models rho moves in steps of 0.2). */
export const MIN_MODELS = 5;
export const BOOTSTRAP_REPLICATES = 2000;
export const BOOTSTRAP_SEED = 0x5eed_0016;
/** More degenerate replicates than this share and the interval is not identified. */
const MAX_DEGENERATE_SHARE = 0.05;

export type RankCorrelation =
  | { n: number; rho: number; ciLow: number | null; ciHigh: number | null; note: string | null }
  | { n: number; rho: null; ciLow: null; ciHigh: null; note: string };

export function notEnoughDataText(n: number): string {
  return `not enough data (n=${n}; needs ${MIN_MODELS} models)`;
}

/** Pairs with a non-finite value are dropped first (as spearman() does). */
export function rankCorrelation(
  x: readonly number[],
  y: readonly number[],
  { replicates = BOOTSTRAP_REPLICATES, seed = BOOTSTRAP_SEED }: { replicates?: number; seed?: number } = {},
): RankCorrelation {
  if (x.length !== y.length) throw new RangeError(`rankCorrelation: ${x.length} x values but ${y.length} y values`);
  const xs: number[] = [];
  const ys: number[] = [];
  x.forEach((xi, i) => {
    if (Number.isFinite(xi) && Number.isFinite(y[i]!)) {
      xs.push(xi);
      ys.push(y[i]!);
    }
  });
  const n = xs.length;
  if (n < MIN_MODELS) return { n, rho: null, ciLow: null, ciHigh: null, note: notEnoughDataText(n) };
  const rho = spearman(xs, ys);
  if (rho === null) return { n, rho: null, ciLow: null, ciHigh: null, note: `no correlation: every model has the same value (n=${n})` };

  const rand = mulberry32(seed);
  const draws: number[] = [];
  const bx = new Array<number>(n);
  const by = new Array<number>(n);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rand() * n);
      bx[i] = xs[k]!;
      by[i] = ys[k]!;
    }
    const v = spearman(bx, by);
    if (v !== null) draws.push(v);
  }
  if (draws.length < replicates * (1 - MAX_DEGENERATE_SHARE)) {
    return { n, rho, ciLow: null, ciHigh: null, note: `interval not identified: too few distinct models (n=${n})` };
  }
  draws.sort((a, b) => a - b);
  return { n, rho, ciLow: quantile(draws, 0.025), ciHigh: quantile(draws, 0.975), note: null };
}

/** Linear interpolation between order statistics (type 7, numpy's default). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
