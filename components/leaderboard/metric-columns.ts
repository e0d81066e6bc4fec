/**
 * Registry metric columns of the leaderboard table (issue 16): which are shown (the `cols` URL
 * choice, else every available score) and how their headers read. Unavailable metrics never get a
 * column: they have no numbers, only a reason (metric-picker.tsx).
 */
import type { LeaderboardMetric } from "@/lib/contracts";
import type { LeaderboardView } from "./leaderboard-url";

export interface MetricColumn {
  column: string;
  label: string;
  title: string;
  penalty: "zero" | "excluded";
  higherIsBetter: boolean;
  metricId: string;
  metricLabel: string;
  version: string;
}

export function availableMetricColumns(metrics: LeaderboardMetric[]): MetricColumn[] {
  return metrics
    .filter((m) => m.available)
    .flatMap((m) =>
      m.scores.map((s) => ({
        column: s.column,
        label: `${s.label} ${s.higherIsBetter ? "↑" : "↓"}`,
        title:
          `${m.label} (${m.id}, version ${m.version}), ${s.higherIsBetter ? "higher" : "lower"} is better. ` +
          (s.penalty === "zero"
            ? "Penalised mean (every scored output, a failure or missing value counting 0), with the conditional mean (outputs with a value) below."
            : "Conditional mean over outputs with a value (this score has no penalised mean)."),
        penalty: s.penalty,
        higherIsBetter: s.higherIsBetter,
        metricId: m.id,
        metricLabel: m.label,
        version: m.version,
      })),
    );
}

export function visibleMetricColumns(metrics: LeaderboardMetric[], view: LeaderboardView): MetricColumn[] {
  const all = availableMetricColumns(metrics);
  if (view.cols === undefined) return all;
  const chosen = new Set(view.cols);
  return all.filter((c) => chosen.has(c.column));
}
