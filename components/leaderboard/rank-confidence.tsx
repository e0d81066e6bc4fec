import type { RankConfidence } from "@/lib/contracts";

/** "97%" with one decimal only where it matters (99.6%), never "100%" for a probability below 1. */
export function formatProbability(p: number): string {
  const pct = 100 * p;
  if (pct >= 99.95) return ">99.9%";
  return pct >= 99 ? `${pct.toFixed(1)}%` : `${Math.floor(pct)}%`;
}

export function settleText(order: Pick<RankConfidence, "probability" | "votesToSettle">): string {
  if (order.votesToSettle === 0) return "settled (95% or more)";
  if (order.votesToSettle === null) return "a near tie: more votes at the current pairing will not settle it";
  return `about ${order.votesToSettle.toLocaleString("en-US")} more votes at the current pairing to reach 95%`;
}

/**
 * The small mark in a leaderboard row: how sure the order against the next model down the board is.
 * Filled green when settled, amber while undecided, grey for a near tie; the tooltip says the rest.
 */
export function RankConfidenceMark({ order, belowName }: { order: RankConfidence; belowName: string }) {
  const state = order.votesToSettle === 0 ? "settled" : order.votesToSettle === null ? "tie" : "open";
  const style = {
    settled: "border-arena-win/40 bg-arena-win/15 text-arena-win",
    open: "border-arena-warn/40 bg-arena-warn/10 text-arena-warn",
    tie: "border-arena-border bg-arena-raised text-arena-muted",
  }[state];
  const text = `${formatProbability(order.probability)} sure it is above ${belowName}: ${settleText(order)}`;
  return (
    <span
      className={`inline-flex min-w-12 items-center justify-center gap-0.5 rounded-full border px-1.5 py-px text-[11px] font-medium tabular ${style}`}
      title={text}
      data-testid="rank-confidence"
      data-state={state}
      data-probability={order.probability.toFixed(4)}
      data-votes-to-settle={order.votesToSettle ?? "unreachable"}
    >
      <span aria-hidden="true">{state === "settled" ? "▼" : state === "tie" ? "≈" : "▽"}</span>
      {formatProbability(order.probability)}
      <span className="sr-only">. {text}</span>
    </span>
  );
}
