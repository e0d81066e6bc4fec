/** Number formats of the admin console. */
export function usd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (v === 0) return "$0";
  if (v < 0.01) return `$${v.toFixed(4)}`;
  return `$${v.toFixed(v < 10 ? 3 : 2)}`;
}

export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return "—";
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min`;
}

export function when(iso: string | null): string {
  if (!iso) return "—";
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export const STATUS_COLOR: Record<string, string> = {
  queued: "bg-arena-muted/50",
  generating: "bg-sky-400",
  executing: "bg-violet-400",
  scoring: "bg-arena-warn",
  ready: "bg-arena-win",
  failed: "bg-arena-danger",
  hidden: "bg-arena-border",
};

export const SWEEP_BADGE: Record<string, string> = {
  running: "border-sky-400/40 text-sky-300",
  paused: "border-arena-warn/40 text-arena-warn",
  cancelled: "border-arena-danger/40 text-arena-danger",
  completed: "border-arena-win/40 text-arena-win",
};
