/** Compact counts for stats chips: 950, 12.3k, 1.24M. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (value < 1000) return String(Math.round(value));
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1).replace(/\.?0+$/, "")}k`;
  return `${(value / 1_000_000).toFixed(2).replace(/\.?0+$/, "")}M`;
}

export function formatPercent(fraction: number | null, digits = 0): string {
  return fraction === null || !Number.isFinite(fraction) ? "—" : `${(fraction * 100).toFixed(digits)}%`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
