import type { RevealSide } from "@/lib/contracts";
import type { SideResult } from "./model-side";

const BADGE: Record<SideResult, { text: string; className: string } | null> = {
  winner: { text: "Winner", className: "bg-arena-win/15 text-arena-win border-arena-win/30" },
  loser: null,
  tie: { text: "Tie", className: "bg-arena-accent/15 text-arena-accent border-arena-accent/30" },
  both_bad: { text: "Both bad", className: "bg-arena-danger/15 text-arena-danger border-arena-danger/30" },
};

/** "+6", "−3", "±0" (a vote always moves a rated model a little; rounding can hide it). */
function formatChange(change: number): string {
  const r = Math.round(change);
  return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : "±0";
}

/** The rating after this vote, what the vote changed, and whether the rating is settled enough to read. */
function RatingAfter({ side, reveal }: { side: "a" | "b"; reveal: RevealSide }) {
  // Responses from before ratings carried the vote's effect have only `elo`.
  const status = reveal.status ?? (reveal.elo === null ? "unrated" : "rated");
  const after = reveal.eloAfter ?? (reveal.status ? null : reveal.elo);
  if (status === "unrated" || after === null) {
    return (
      <div className="shrink-0 text-right" data-testid={`reveal-${side}-elo`} data-status="unrated" title={reveal.missing ?? undefined}>
        <p className="text-xs leading-tight font-semibold text-arena-muted">Not rated yet</p>
        <p className="max-w-36 truncate text-[10px] text-arena-muted" data-testid={`reveal-${side}-missing`}>
          {reveal.missing ?? "needs more votes"}
        </p>
      </div>
    );
  }
  const change = reveal.change;
  return (
    <div
      className="shrink-0 text-right"
      data-testid={`reveal-${side}-elo`}
      data-status={status}
      data-elo-after={after.toFixed(1)}
      data-change={change === null ? undefined : change.toFixed(2)}
      title={
        status === "joins"
          ? "Rated from this vote on"
          : `Elo ${Math.round(reveal.elo!)} before this vote, ${Math.round(after)} after it${reveal.board ? ` (group ${reveal.board + 1})` : ""}`
      }
    >
      <p className="text-sm leading-tight font-semibold tabular">
        {Math.round(after)}
        {change !== null && (
          <span
            className={`ml-1 text-xs font-medium ${change > 0 ? "text-arena-win" : change < 0 ? "text-arena-danger" : "text-arena-muted"}`}
            data-testid={`reveal-${side}-change`}
          >
            {formatChange(change)}
          </span>
        )}
      </p>
      <p className="text-[10px] tracking-wide text-arena-muted uppercase">
        {status === "joins" ? "Elo · now rated" : "Elo"}
        {reveal.provisional && (
          <span className="ml-1 text-arena-warn" data-testid={`reveal-${side}-provisional`} title="Few votes so far: the rating can still move a lot">
            · provisional
          </span>
        )}
      </p>
    </div>
  );
}

/** The model's identity, shown over its viewer once the vote is in, with the rating this vote leaves it at. */
export function RevealCard({ side, battleId, reveal, result }: { side: "a" | "b"; battleId: string; reveal: RevealSide; result: SideResult }) {
  const badge = BADGE[result];
  return (
    <div
      data-testid={`reveal-${side}`}
      data-model={reveal.model}
      data-result={result}
      className={`m-1.5 flex flex-wrap sm:absolute sm:inset-x-2.5 sm:bottom-2.5 sm:m-0 items-center gap-x-3 gap-y-1 rounded-xl border bg-arena-bg/85 px-2.5 py-2 shadow-lg backdrop-blur-md sm:flex-nowrap sm:px-3.5 sm:py-2.5 motion-safe:animate-[reveal-in_260ms_ease-out] ${
        result === "winner" ? "border-arena-win/40" : "border-white/10"
      }`}
    >
      <div className="min-w-0 basis-full sm:basis-auto sm:flex-1">
        <p className="text-[15px] leading-tight font-semibold break-words sm:truncate" data-testid={`reveal-${side}-name`}>
          {reveal.displayName}
        </p>
        <p className="truncate text-xs text-arena-muted">{reveal.organisation}</p>
        {/* New tabs: the arena (and the next battle fetched ahead) stays where it was. */}
        <p className="mt-1 flex flex-wrap gap-x-3 text-xs font-medium">
          <a
            href={`/models/${encodeURIComponent(reveal.model)}`}
            target="_blank"
            rel="noopener"
            className="text-arena-accent hover:underline"
            data-testid={`reveal-${side}-model-link`}
          >
            Model page ↗
          </a>
          <a
            href={`/battles/${encodeURIComponent(battleId)}/code/${side}`}
            target="_blank"
            rel="noopener"
            className="text-arena-accent hover:underline"
            data-testid={`reveal-${side}-code-link`}
          >
            Its Blender code ↗
          </a>
        </p>
      </div>
      <RatingAfter side={side} reveal={reveal} />
      {badge && (
        <span className={`shrink-0 rounded-full border px-2.5 py-0.5 text-xs font-semibold ${badge.className}`}>{badge.text}</span>
      )}
    </div>
  );
}
