/** Axis helpers shared by the charts: "nice" ticks (1, 2, 5 × 10^k) and linear/log scales. */

export type Scale = (value: number) => number;

/**
 * About `count` evenly spaced round ticks covering [min, max]. The first and last tick enclose the
 * data, so a chart can use them as its domain and every axis ends on a labelled value.
 * A degenerate range (min === max, e.g. a single point) is widened so there is still an axis.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const decimals = stepDecimals(step);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(roundTo(i * step, decimals));
  return ticks;
}

/** Digits after the decimal point needed to print multiples of `step` exactly. */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Ticks for a log axis within [min, max] (both > 0): the densest of 1·10^k, {1,3}·10^k or
 * {1,2,5}·10^k that stays within `maxCount` ticks, so two decades get 1-2-5 steps and six decades
 * only powers of ten. Falls back to the bracketing powers of ten when the range holds fewer than two.
 */
export function logTicks(min: number, max: number, maxCount = 8): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const within = (mantissas: number[]) => {
    const out: number[] = [];
    for (let k = lo; k <= hi; k++) {
      for (const m of mantissas) {
        const v = roundTo(m * 10 ** k, Math.max(0, -k));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  };
  let best = within([1]);
  for (const mantissas of [[1, 3], [1, 2, 5]]) {
    const ticks = within(mantissas);
    if (ticks.length <= maxCount) best = ticks;
  }
  if (best.length >= 2) return best;
  return [10 ** lo, 10 ** Math.max(hi, lo + 1)].map((v, i) => roundTo(v, Math.max(0, -(i ? hi : lo))));
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Log10 scale; the caller keeps values > 0 (charts place zero on a separate tick). */
export function logScale([d0, d1]: readonly [number, number], range: readonly [number, number]): Scale {
  const linear = linearScale([Math.log10(d0), Math.log10(d1)], range);
  return (v) => linear(Math.log10(v));
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1.5 ? 1 : fraction <= 3 ? 2 : fraction <= 7 ? 5 : 10;
  return nice * power;
}

function roundTo(value: number, decimals: number): number {
  // Kills float noise such as 0.30000000000000004 and -0 without changing real values.
  const rounded = Number(value.toFixed(Math.min(decimals, 20)));
  return rounded === 0 ? 0 : rounded;
}
