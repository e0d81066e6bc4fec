import type { LeaderboardEntry } from "@/lib/contracts";
import { formatPercent } from "@/components/ui/format";

/** Language models are the norm; anything else is labelled for what it is. */
const KIND_BADGE: Record<string, string> = {
  reference: "border-violet-400/30 bg-violet-400/10 text-violet-300",
  baseline: "border-amber-400/30 bg-amber-400/10 text-amber-300",
};
const UNLABELLED_KINDS = new Set(["llm"]);

const COLUMNS = [
  { key: "rank", label: "Rank", title: "1 + the number of models whose 95% CI lies entirely above this one", className: "w-12 min-w-12 max-w-12 text-right" },
  { key: "model", label: "Model", title: undefined, className: "text-left" },
  { key: "elo", label: "Elo", title: "Bradley–Terry rating on the Elo scale", className: "text-right" },
  { key: "ci", label: "95% CI", title: "95% bootstrap confidence interval of the rating", className: "text-left" },
  { key: "votes", label: "Votes", title: "Valid votes in battles with this model", className: "text-right" },
  { key: "winRate", label: "Win rate", title: "Share of battles won; ties and both-bad count half", className: "text-right" },
  { key: "execRate", label: "Exec rate", title: "Share of generations whose code ran and produced a mesh", className: "text-right" },
  { key: "chamfer", label: "Chamfer ↓", title: "Mean Chamfer distance to the reference shape; lower is better", className: "text-right" },
] as const;

// The first two columns stay put while the table scrolls sideways on phones.
const STICKY = ["sticky left-0 z-10", "sticky left-12 z-10 shadow-[1px_0_0_var(--color-arena-border)] md:shadow-none"];

export function LeaderboardTable({ entries }: { entries: LeaderboardEntry[] }) {
  const lo = Math.min(...entries.map((e) => e.ciLow));
  const hi = Math.max(...entries.map((e) => e.ciHigh));
  const pad = Math.max((hi - lo) * 0.05, 5);
  const scale = (v: number) => ((v - (lo - pad)) / (hi - lo + 2 * pad)) * 100;

  return (
    <div className="overflow-x-auto rounded-2xl border border-arena-border bg-arena-panel">
      <table data-testid="leaderboard-table" className="w-full min-w-[780px] border-collapse text-sm sm:min-w-[860px]">
        <thead>
          <tr className="border-b border-arena-border text-[11px] tracking-wider text-arena-muted uppercase">
            {COLUMNS.map((c, i) => (
              <th
                key={c.key}
                scope="col"
                title={c.title}
                className={`bg-arena-panel px-3 py-3 font-semibold whitespace-nowrap ${c.className} ${STICKY[i] ?? ""}`}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <Row key={e.model} entry={e} scale={scale} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ entry: e, scale }: { entry: LeaderboardEntry; scale: (v: number) => number }) {
  const cell = "bg-arena-panel px-3 py-3 group-hover:bg-arena-raised transition-colors";
  const badge = UNLABELLED_KINDS.has(e.kind) ? null : (KIND_BADGE[e.kind] ?? "border-arena-border bg-arena-raised text-arena-muted");
  const low = scale(e.ciLow);
  const high = scale(e.ciHigh);
  return (
    <tr
      data-testid="leaderboard-row"
      data-model={e.model}
      data-votes={e.votes}
      data-rank={e.rank}
      className="group border-b border-arena-border/60 last:border-b-0"
    >
      <td className={`${cell} ${STICKY[0]} text-right font-semibold tabular ${e.rank === 1 ? "text-arena-accent" : "text-arena-text/80"}`}>
        {e.rank}
      </td>
      <th scope="row" className={`${cell} ${STICKY[1]} max-w-40 text-left font-normal sm:max-w-none`}>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <span className="font-semibold text-arena-text sm:whitespace-nowrap">{e.displayName}</span>
          {badge && (
            <span className={`rounded-full border px-1.5 py-px text-[10px] font-medium tracking-wide uppercase ${badge}`} data-testid="kind-badge">
              {e.kind}
            </span>
          )}
        </div>
        <div className="truncate text-xs text-arena-muted">{e.organisation}</div>
      </th>
      <td className={`${cell} text-right text-[15px] font-semibold tabular`}>{Math.round(e.elo)}</td>
      <td className={cell}>
        <div className="flex items-center gap-3" title={`95% CI ${Math.round(e.ciLow)} – ${Math.round(e.ciHigh)}`}>
          <div className="relative h-2 w-36 shrink-0 rounded-full bg-white/[0.06]" aria-hidden="true">
            <div className="absolute inset-y-0 rounded-full bg-arena-accent/35" style={{ left: `${low}%`, width: `${Math.max(high - low, 1)}%` }} />
            <div className="absolute top-1/2 h-3 w-[3px] -translate-x-1/2 -translate-y-1/2 rounded-full bg-arena-accent" style={{ left: `${scale(e.elo)}%` }} />
          </div>
          <span className="text-xs whitespace-nowrap text-arena-muted tabular">
            <span className="sr-only">95% confidence interval </span>
            {Math.round(e.ciLow)}–{Math.round(e.ciHigh)}
          </span>
        </div>
      </td>
      <td className={`${cell} text-right tabular`}>{e.votes.toLocaleString("en-US")}</td>
      <td className={`${cell} text-right tabular`}>{formatPercent(e.winRate)}</td>
      <td className={`${cell} text-right tabular`}>{formatPercent(e.execRate)}</td>
      <td className={`${cell} text-right tabular`}>{formatChamfer(e.chamfer)}</td>
    </tr>
  );
}

function formatChamfer(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  if (value === 0) return "0";
  return value < 0.001 ? value.toExponential(1) : value.toFixed(4);
}
