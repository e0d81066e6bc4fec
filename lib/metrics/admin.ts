/**
 * Admin side of the metric registry (/admin/metrics): each plugin's availability, definition and
 * progress over the outputs it applies to, and the audited "compute for all outputs" action.
 */
import "server-only";
import { requireRole, type SignedInUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/moderation/audit-log";
import { ApiError } from "@/lib/api/errors";
import { backfillMetrics, metricProgress, type BackfillResult, type MetricProgress } from "./backfill";
import { metricPlugin, metricPlugins } from "./registry";

export interface MetricOverview extends MetricProgress {
  needs: string[];
  tracks: string[] | null;
  scores: { key: string; label: string; higherIsBetter: boolean; penalty: string }[];
  /** The exact definition new rows are stored with; null while unavailable. */
  definition: Record<string, unknown> | null;
}

export async function metricsOverview(): Promise<MetricOverview[]> {
  await requireRole("admin");
  return Promise.all(
    metricPlugins().map(async (p) => {
      const progress = await metricProgress(p);
      const definition = progress.available ? await p.definition().catch(() => null) : null;
      return { ...progress, needs: [...p.needs], tracks: p.tracks ? [...p.tracks] : null, scores: p.scores.map((s) => ({ ...s })), definition };
    }),
  );
}

/** Queues every missing (output, metric, version) of one metric, or of all available ones. */
export async function computeMetricsForAll(input: { metric?: string }, admin: SignedInUser): Promise<{ results: BackfillResult[] }> {
  if (input.metric) {
    const plugin = metricPlugin(input.metric);
    if (!plugin) throw new ApiError("not_found", `No metric "${input.metric}" in the registry.`);
    const avail = await plugin.availability();
    if (!avail.available) throw new ApiError("conflict", `${plugin.label} is unavailable on this host: ${avail.reason}`);
  }
  const results = await backfillMetrics({ metric: input.metric });
  await recordAudit(admin.id, "metrics.backfill", "metric", input.metric ?? null, {
    metric: input.metric ?? "all",
    queued: Object.fromEntries(results.filter((r) => r.available).map((r) => [r.id, r.enqueued])),
  });
  return { results };
}
