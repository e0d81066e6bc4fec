import type { LeaderboardResponse } from "@/lib/contracts";
import type { HeadToHead, HistorySeries } from "@/lib/leaderboard/insights";
import type { MetricCorrelation } from "@/lib/contracts";
import { Heatmap } from "@/components/charts/heatmap";
import { IntervalChart } from "@/components/charts/interval-chart";
import { LineChart } from "@/components/charts/line-chart";
import { ScatterChart } from "@/components/charts/scatter-chart";
import { formatChamfer, formatElo, formatPercent, formatUsd } from "@/components/ui/format";
import { CorrelationTable, rhoText } from "./correlation-table";
import { availableMetricColumns } from "./metric-columns";

interface Props {
  data: LeaderboardResponse;
  history: HistorySeries[];
  h2h: HeadToHead | null;
}

/** The server's correlation for a column (read.ts), as the chart's caption line. */
function rhoLabel(correlations: MetricCorrelation[], column: string): string {
  const c = correlations.find((x) => x.column === column);
  return c ? rhoText(c) : "Spearman ρ: not computed";
}

const EFFECT_STATUS: Record<string, (f: NonNullable<LeaderboardResponse["effects"]>[number]) => string> = {
  collinear: () => "varies only between models, so it cannot be told apart from model strength",
  "little-variation": (f) =>
    `too little variation yet (${f.varyingVotes ?? 0} votes in matchups where it varies${f.designSe != null ? `, ±${Math.round(f.designSe)} Elo per unit` : ""})`,
  "not-converged": () => "the fit did not converge (it separates wins from losses): nothing published",
  "no-board": () => "no board to fit on yet",
};

/** Estimated effects get bars; the others are named with the reason, never drawn as a 0 ± 0 bar. */
function styleCaption(effects: NonNullable<LeaderboardResponse["effects"]>): string {
  const base =
    "Elo points a model gains per unit of each presentation feature, holding its strength fixed (95% sandwich intervals). An interval away from 0 means voters reward that feature itself.";
  // Older snapshots lack the status; an exact zero-width zero is the same situation.
  const fixed = effects.filter((f) => f.estimable === false || (f.elo === 0 && f.ciLow === 0 && f.ciHigh === 0));
  if (fixed.length === 0) return base;
  const notes = fixed.map((f) => `${f.label}: ${(EFFECT_STATUS[f.status ?? "collinear"] ?? EFFECT_STATUS.collinear!)(f)}`);
  return `${base} Not estimable yet (left at 0, i.e. not corrected for): ${notes.join("; ")}.`;
}

export function LeaderboardCharts({ data, history, h2h }: Props) {
  const entries = data.entries;
  const point = (e: (typeof entries)[number], x: number) => ({
    id: e.model,
    label: e.displayName,
    x,
    y: e.elo,
    yLow: e.ciLow,
    yHigh: e.ciHigh,
    href: `/models/${e.model}`,
    muted: e.provisional,
  });
  const withCost = entries.filter((e) => e.costPerQuery !== null);
  const withExec = entries.filter((e) => e.execRate !== null);
  const withChamfer = entries.filter((e) => e.chamfer !== null);
  const labels = h2h?.models.map((m) => m.displayName) ?? [];
  const correlations = data.correlations ?? [];
  const metricColumns = availableMetricColumns(data.metrics ?? []);

  return (
    <section aria-labelledby="charts-heading" className="flex flex-col gap-4" data-testid="leaderboard-charts">
      <h2 id="charts-heading" className="text-lg font-semibold tracking-tight">
        Charts
      </h2>
      {/* One chart per row: side by side they would shrink their labels below a readable size. */}
      <div className="grid gap-4">
        <IntervalChart
          testId="chart-intervals"
          title="Ratings with 95% confidence intervals"
          caption="Main board. Overlapping bars mean the order is not settled (see the Order column); faded rows are provisional."
          valueLabel="Elo"
          format={formatElo}
          items={entries.map((e) => ({
            id: e.model,
            label: e.displayName,
            value: e.elo,
            low: e.ciLow,
            high: e.ciHigh,
            href: `/models/${e.model}`,
            note: e.provisional ? "provisional" : undefined,
          }))}
        />
        <ScatterChart
          testId="chart-cost"
          title="Cost per query vs Elo"
          caption="Models on the line are the Pareto frontier: none is both cheaper and better rated. Free = key-less baselines."
          xLabel="USD per query (log scale)"
          yLabel="Elo"
          xScale="log"
          frontier
          formatX={(v) => formatUsd(v, "free")}
          formatY={formatElo}
          mutedLabel="provisional"
          points={withCost.map((e) => ({ ...point(e, e.costPerQuery!), label: `${e.displayName} · ${formatUsd(e.costPerQuery, "free")}` }))}
        />
        <ScatterChart
          testId="chart-exec"
          title="Elo vs execution rate"
          caption="Share of a model's generations whose code ran and produced a mesh."
          xLabel="Execution rate"
          xDomain={[0, 1]}
          yLabel="Elo"
          formatX={(v) => formatPercent(v)}
          formatY={formatElo}
          mutedLabel="provisional"
          stat={rhoLabel(correlations, "execRate")}
          points={withExec.map((e) => ({ ...point(e, e.execRate!), label: `${e.displayName} · ${formatPercent(e.execRate)}` }))}
        />
        <ScatterChart
          testId="chart-chamfer"
          title="Elo vs Chamfer distance"
          caption="Mean Chamfer distance to the reference shape (docs/benchmark.md §5); lower is closer, so better models sit top-left."
          xLabel="Mean Chamfer distance (lower is better)"
          yLabel="Elo"
          formatX={formatChamfer}
          formatY={formatElo}
          mutedLabel="provisional"
          stat={rhoLabel(correlations, "chamfer")}
          points={withChamfer.map((e) => point(e, e.chamfer!))}
        />
        {metricColumns.map((m) => {
          const corr = correlations.find((c) => c.column === m.column);
          const mean = corr?.mean ?? (m.penalty === "zero" ? "penalised" : "conditional");
          const withValue = entries.filter((e) => e.metricScores?.[m.column]?.[mean] != null);
          return (
            <ScatterChart
              key={m.column}
              testId={`chart-metric-${m.column}`}
              title={`Elo vs ${m.label.replace(/ [↑↓]$/, "")}`}
              caption={`${m.metricLabel} (${m.metricId}, version ${m.version}). Plotted: each model's ${mean} mean${mean === "penalised" ? " (a failed or missing output counts 0)" : " over outputs with a value"}; ${m.higherIsBetter ? "higher" : "lower"} is better.`}
              xLabel={`${mean === "penalised" ? "Penalised" : "Conditional"} mean (${m.higherIsBetter ? "higher" : "lower"} is better)`}
              yLabel="Elo"
              formatX={(v) => v.toFixed(3)}
              formatY={formatElo}
              mutedLabel="provisional"
              stat={rhoLabel(correlations, m.column)}
              points={withValue.map((e) => point(e, e.metricScores[m.column]![mean]!))}
            />
          );
        })}
        <CorrelationTable correlations={correlations} />
        {h2h && (
          <>
            <Heatmap
              testId="chart-winrate"
              title="Head-to-head win rate"
              caption="Row model's share of wins against the column model; ties and both-bad count half."
              rowLabels={labels}
              colLabels={labels}
              values={h2h.winRate}
              format={(v) => formatPercent(v)}
              scheme="diverging"
              domain={[0, 1]}
              center={0.5}
            />
            <Heatmap
              testId="chart-battles"
              title="Battle counts"
              caption="Votes between each pair of models in this scope."
              rowLabels={labels}
              colLabels={labels}
              values={h2h.battles}
              format={(v) => v.toLocaleString("en-US")}
              scheme="sequential"
            />
          </>
        )}
        <LineChart
          testId="chart-history"
          title="Elo over time"
          caption="Main board: every recompute for the last hour, then the last snapshot of each hour; bands are 95% CIs. A model appears once it is rated."
          yLabel="Elo"
          formatY={formatElo}
          series={history.map((s) => ({ id: s.model, label: s.displayName, points: s.points }))}
        />
      </div>
      {data.effects && data.effects.length > 0 && (
        <IntervalChart
          testId="chart-style-effects"
          title="Style effects removed by style control"
          caption={styleCaption(data.effects)}
          valueLabel="Elo per unit"
          format={(v) => (v > 0 ? "+" : "") + v.toFixed(0)}
          items={data.effects.filter((f) => f.estimable !== false && !(f.elo === 0 && f.ciLow === 0 && f.ciHigh === 0)).map((f) => ({
            id: f.key,
            label: `${f.label} (${f.unit})`,
            value: f.elo,
            low: f.ciLow,
            high: f.ciHigh,
          }))}
        />
      )}
    </section>
  );
}
