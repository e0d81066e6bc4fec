import Link from "next/link";
import type { LeaderboardEntry, LeaderboardMetric, MetricScoreCell } from "@/lib/contracts";
import { formatChamfer, formatPercent, formatUsd } from "@/components/ui/format";
import { RankConfidenceMark } from "./rank-confidence";
import { hrefFor, type LeaderboardView, type SortKey } from "./leaderboard-url";
import { visibleMetricColumns, type MetricColumn } from "./metric-columns";

/** Language models are the norm; anything else is labelled for what it is. */
const KIND_BADGE: Record<string, string> = {
  reference: "border-violet-400/30 bg-violet-400/10 text-violet-300",
  baseline: "border-amber-400/30 bg-amber-400/10 text-amber-300",
};
const UNLABELLED_KINDS = new Set(["llm"]);

const COLUMNS: { key: string; sort?: SortKey; label: string; title?: string; className: string }[] = [
  { key: "rank", label: "Rank", title: "1 + the number of models whose 95% CI lies entirely above this one", className: "w-12 min-w-12 max-w-12 text-right" },
  { key: "model", label: "Model", className: "text-left" },
  { key: "elo", sort: "elo", label: "Elo", title: "Bradley–Terry rating on the Elo scale", className: "text-right" },
  {
    key: "order",
    label: "Order",
    title: "How sure the order is against the next model down the board (by Elo); hover for how many votes would settle it",
    className: "text-center",
  },
  { key: "ci", label: "95% CI", title: "95% confidence interval of the rating (bootstrap or sandwich, see below)", className: "text-left" },
  { key: "votes", sort: "votes", label: "Votes", title: "Votes in battles with this model (in this scope)", className: "text-right" },
  { key: "winRate", sort: "winRate", label: "Win rate", title: "Share of battles won; ties and both-bad count half", className: "text-right" },
  { key: "execRate", sort: "execRate", label: "Exec rate", title: "Share of generations whose code ran and produced a mesh", className: "text-right" },
  {
    key: "chamfer",
    sort: "chamfer",
    label: "Chamfer ↓",
    title: "Chamfer distance to the reference shape, lower is better: the benchmark's penalised mean (an output without a score counts 1.5 × the worst scored one), with the conditional mean (scored outputs only) below",
    className: "text-right",
  },
  { key: "cost", sort: "cost", label: "Cost / query", title: "Mean USD of model calls per generation (all attempts)", className: "text-right" },
];

const SORT_VALUE: Record<SortKey, (e: LeaderboardEntry) => number | null> = {
  elo: (e) => e.elo,
  votes: (e) => e.votes,
  winRate: (e) => e.winRate,
  execRate: (e) => e.execRate,
  chamfer: (e) => e.chamfer,
  cost: (e) => e.costPerQuery,
};

/** Sorted copy; missing values always go last, ties keep Elo order. */
export function sortEntries(entries: LeaderboardEntry[], sort: SortKey, dir: "asc" | "desc"): LeaderboardEntry[] {
  const value = SORT_VALUE[sort];
  const sign = dir === "asc" ? 1 : -1;
  return [...entries].sort((x, y) => {
    const a = value(x);
    const b = value(y);
    if (a === null || b === null) return a === b ? y.elo - x.elo : a === null ? 1 : -1;
    return sign * (a - b) || y.elo - x.elo;
  });
}

// The first two columns stay put while the table scrolls sideways on phones.
const STICKY = ["sticky left-0 z-10", "sticky left-12 z-10 shadow-[1px_0_0_var(--color-arena-border)] md:shadow-none"];

export function LeaderboardTable({
  entries: unsorted,
  view,
  provisionalVotes,
  board = 0,
  metrics = [],
}: {
  entries: LeaderboardEntry[];
  view: LeaderboardView;
  provisionalVotes: number;
  board?: number;
  metrics?: LeaderboardMetric[];
}) {
  const metricColumns = visibleMetricColumns(metrics, view);
  const columns = [...COLUMNS.slice(0, -1), ...metricColumns.map((m) => ({ key: m.column, label: m.label, title: m.title, className: "text-right", sort: undefined })), COLUMNS.at(-1)!];
  const entries = sortEntries(unsorted, view.sort, view.dir);
  const names = new Map(unsorted.map((e) => [e.model, e.displayName]));
  const lo = Math.min(...entries.map((e) => e.ciLow));
  const hi = Math.max(...entries.map((e) => e.ciHigh));
  const pad = Math.max((hi - lo) * 0.05, 5);
  const scale = (v: number) => ((v - (lo - pad)) / (hi - lo + 2 * pad)) * 100;

  // `relative`: the cells' screen-reader-only spans are absolutely positioned; without a positioned
  // scroller they escape it and widen the whole page on a phone.
  return (
    <div className="relative overflow-x-auto rounded-2xl border border-arena-border bg-arena-panel">
      <table
        data-testid="leaderboard-table"
        data-board={board}
        data-sort={view.sort}
        data-dir={view.dir}
        className="w-full min-w-[920px] border-collapse text-sm sm:min-w-[1020px]"
        data-metric-columns={metricColumns.map((m) => m.column).join(",")}
      >
        <thead>
          <tr className="border-b border-arena-border text-[11px] tracking-wider text-arena-muted uppercase">
            {columns.map((c, i) => (
              <th
                key={c.key}
                scope="col"
                data-column={c.key}
                title={c.title}
                aria-sort={c.sort && c.sort === view.sort ? (view.dir === "asc" ? "ascending" : "descending") : undefined}
                className={`bg-arena-panel px-3 py-3 font-semibold whitespace-nowrap ${c.className} ${STICKY[i] ?? ""}`}
              >
                {c.sort ? <SortLink view={view} column={c.sort} label={c.label} /> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <Row
              key={e.model}
              entry={e}
              scale={scale}
              provisionalVotes={provisionalVotes}
              belowName={e.order ? (names.get(e.order.below) ?? e.order.below) : null}
              metricColumns={metricColumns}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortLink({ view, column, label }: { view: LeaderboardView; column: SortKey; label: string }) {
  const active = view.sort === column;
  // Clicking the active column flips it; another column starts in its natural direction.
  const href = hrefFor(view, active ? { sort: column, dir: view.dir === "asc" ? "desc" : "asc" } : { sort: column });
  return (
    <Link prefetch={false} href={href} scroll={false} data-testid={`sort-${column}`} className={`inline-flex items-center gap-1 hover:text-arena-text ${active ? "text-arena-text" : ""}`}>
      {label}
      <span aria-hidden="true" className={active ? "opacity-100" : "opacity-30"}>
        {active && view.dir === "asc" ? "▲" : "▼"}
      </span>
    </Link>
  );
}

function Row({
  entry: e,
  scale,
  provisionalVotes,
  belowName,
  metricColumns,
}: {
  entry: LeaderboardEntry;
  scale: (v: number) => number;
  provisionalVotes: number;
  belowName: string | null;
  metricColumns: MetricColumn[];
}) {
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
      data-elo={e.elo.toFixed(1)}
      data-board={e.board}
      data-provisional={e.provisional ? "true" : undefined}
      className="group border-b border-arena-border/60 last:border-b-0"
    >
      <td className={`${cell} ${STICKY[0]} text-right font-semibold tabular ${e.rank === 1 ? "text-arena-accent" : "text-arena-text/80"}`}>
        {e.rank}
      </td>
      <th scope="row" className={`${cell} ${STICKY[1]} max-w-40 text-left font-normal sm:max-w-none`}>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <Link prefetch={false} href={`/models/${e.model}`} className="font-semibold text-arena-text hover:text-arena-accent hover:underline sm:whitespace-nowrap">
            {e.displayName}
          </Link>
          {badge && (
            <span className={`rounded-full border px-1.5 py-px text-[10px] font-medium tracking-wide uppercase ${badge}`} data-testid="kind-badge">
              {e.kind}
            </span>
          )}
          {e.provisional && (
            <span
              className="rounded-full border border-arena-warn/40 bg-arena-warn/10 px-1.5 py-px text-[10px] font-medium tracking-wide text-arena-warn uppercase"
              title={`Fewer than ${provisionalVotes} votes: the rating can still move a lot`}
              data-testid="provisional-badge"
            >
              provisional
            </span>
          )}
        </div>
        <div className="truncate text-xs text-arena-muted">{e.organisation}</div>
      </th>
      <td className={`${cell} text-right text-[15px] font-semibold tabular`}>{Math.round(e.elo)}</td>
      <td className={`${cell} text-center`}>
        {e.order && belowName ? <RankConfidenceMark order={e.order} belowName={belowName} /> : <span className="text-arena-muted">—</span>}
      </td>
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
      <td className={`${cell} text-right tabular`} title={`penalised ${formatChamfer(e.chamfer)}, conditional ${formatChamfer(e.chamferConditional)}; over the benchmark's rotation search: penalised ${formatChamfer(e.chamferRotMin)}, conditional ${formatChamfer(e.chamferRotMinConditional)}`}>
        {formatChamfer(e.chamfer)}
        <span className="block text-[11px] text-arena-muted" data-testid="chamfer-conditional">
          <span className="sr-only">conditional </span>
          {formatChamfer(e.chamferConditional)}
        </span>
      </td>
      {metricColumns.map((m) => (
        <MetricCell key={m.column} column={m} value={e.metricScores?.[m.column]} className={cell} />
      ))}
      <td className={`${cell} text-right tabular`}>{formatUsd(e.costPerQuery, "free")}</td>
    </tr>
  );
}

/** Penalised mean on top (the benchmark's headline), conditional below; coverage in the tooltip. */
function MetricCell({ column, value, className }: { column: MetricColumn; value: MetricScoreCell | undefined; className: string }) {
  if (!value) {
    return (
      <td className={`${className} text-right text-arena-muted`} data-column={column.column} title="No scored output yet">
        —
      </td>
    );
  }
  const coverage = `${value.scored} of ${value.outputs} outputs scored, ${value.withValue} with a value`;
  return (
    <td
      className={`${className} text-right tabular`}
      data-column={column.column}
      data-penalised={value.penalised ?? undefined}
      data-conditional={value.conditional ?? undefined}
      title={`penalised ${formatScore(value.penalised)}, conditional ${formatScore(value.conditional)}; ${coverage}`}
    >
      {formatScore(column.penalty === "zero" ? value.penalised : value.conditional)}
      {column.penalty === "zero" && (
        <span className="block text-[11px] text-arena-muted">
          <span className="sr-only">conditional </span>
          {formatScore(value.conditional)}
        </span>
      )}
    </td>
  );
}

function formatScore(v: number | null): string {
  return v === null ? "—" : v.toFixed(3);
}
