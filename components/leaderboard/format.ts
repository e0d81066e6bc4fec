/** Number formats shared by the leaderboard table, charts and model pages. */
export function formatChamfer(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  if (value === 0) return "0";
  return value < 0.001 ? value.toExponential(1) : value.toFixed(4);
}

/** USD per query: "free" for key-less baselines, cents precision where it matters. */
export function formatCost(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  if (value === 0) return "free";
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(value < 1 ? 3 : 2)}`;
}

export function formatElo(value: number): string {
  return String(Math.round(value));
}
