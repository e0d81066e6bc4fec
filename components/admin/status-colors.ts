/** Colours of generation and sweep statuses in the console. */
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
