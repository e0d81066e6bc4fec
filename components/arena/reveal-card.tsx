import type { RevealSide } from "@/lib/contracts";
import type { SideResult } from "./model-side";

const BADGE: Record<SideResult, { text: string; className: string } | null> = {
  winner: { text: "Winner", className: "bg-arena-win/15 text-arena-win border-arena-win/30" },
  loser: null,
  tie: { text: "Tie", className: "bg-arena-accent/15 text-arena-accent border-arena-accent/30" },
  both_bad: { text: "Both bad", className: "bg-arena-danger/15 text-arena-danger border-arena-danger/30" },
};

/** The model's identity, shown over its viewer once the vote is in. */
export function RevealCard({ side, reveal, result }: { side: "a" | "b"; reveal: RevealSide; result: SideResult }) {
  const badge = BADGE[result];
  return (
    <div
      data-testid={`reveal-${side}`}
      data-model={reveal.model}
      data-result={result}
      className={`absolute inset-x-2.5 bottom-2.5 flex items-center gap-3 rounded-xl border bg-arena-bg/80 px-3.5 py-2.5 shadow-lg backdrop-blur-md motion-safe:animate-[reveal-in_260ms_ease-out] ${
        result === "winner" ? "border-arena-win/40" : "border-white/10"
      }`}
    >
      <div className="min-w-0 flex-1">
        <p className="truncate text-[15px] leading-tight font-semibold" data-testid={`reveal-${side}-name`}>
          {reveal.displayName}
        </p>
        <p className="truncate text-xs text-arena-muted">{reveal.organisation}</p>
      </div>
      {reveal.elo !== null && (
        <div className="shrink-0 text-right" data-testid={`reveal-${side}-elo`}>
          <p className="text-sm leading-tight font-semibold tabular">{Math.round(reveal.elo)}</p>
          <p className="text-[10px] tracking-wide text-arena-muted uppercase">Elo</p>
        </div>
      )}
      {badge && (
        <span className={`shrink-0 rounded-full border px-2.5 py-0.5 text-xs font-semibold ${badge.className}`}>{badge.text}</span>
      )}
    </div>
  );
}
