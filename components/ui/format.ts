/** Number, money, time and metric formats shared by the arena, the leaderboard, model pages and the console. */
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

/** US dollars: "—" when unknown, `zero` for nothing ("free" for key-less baselines), cents precision where it matters. */
export function formatUsd(value: number | null | undefined, zero = "$0"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (value === 0) return zero;
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(value < 10 ? 3 : 2)}`;
}

export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return "—";
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min`;
}

/** An ISO time as "YYYY-MM-DD HH:MM:SS UTC". */
export function formatUtc(iso: string | null): string {
  if (!iso) return "—";
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export function formatChamfer(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  if (value === 0) return "0";
  return value < 0.001 ? value.toExponential(1) : value.toFixed(4);
}

export function formatElo(value: number): string {
  return String(Math.round(value));
}
