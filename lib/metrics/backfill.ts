/**
 * Which (generation, metric, version) pairs exist and which are missing, and queueing the missing
 * ones: after scoring (each new output), from `npm run metrics:backfill` and from /admin/metrics.
 * Outputs a metric applies to: executed ones (an exec status) that are ready or failed, on the
 * plugin's tracks. Hidden outputs left the arena and are not scored.
 */
import { db, type Prisma } from "@/lib/db";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { metricPlugins, type MetricPlugin } from "./registry";

function eligible(plugin: MetricPlugin): Prisma.GenerationWhereInput {
  return {
    status: { in: ["ready", "failed"] },
    execStatus: { not: null },
    ...(plugin.tracks ? { track: { in: [...plugin.tracks] } } : {}),
  };
}

export interface MetricProgress {
  id: string;
  label: string;
  version: string;
  available: boolean;
  reason: string | null;
  eligible: number;
  computed: number;
  failed: number;
  missing: number;
}

export async function metricProgress(plugin: MetricPlugin): Promise<MetricProgress> {
  const avail = await plugin.availability();
  const where = eligible(plugin);
  const [total, rows] = await Promise.all([
    db().generation.count({ where }),
    db().metricScore.groupBy({ by: ["status"], where: { metric: plugin.id, version: plugin.version, generation: where }, _count: true }),
  ]);
  const computed = rows.find((r) => r.status === "ok")?._count ?? 0;
  const failed = rows.find((r) => r.status === "failed")?._count ?? 0;
  return {
    id: plugin.id,
    label: plugin.label,
    version: plugin.version,
    available: avail.available,
    reason: avail.available ? null : avail.reason,
    eligible: total,
    computed,
    failed,
    missing: Math.max(0, total - computed - failed),
  };
}

/** Queues every available metric that applies to one output (called when it finishes scoring). */
export async function enqueueMetricsFor(generationId: string, track: "text" | "image"): Promise<string[]> {
  const queued: string[] = [];
  for (const plugin of metricPlugins()) {
    if (plugin.tracks && !plugin.tracks.includes(track)) continue;
    if (!(await plugin.availability()).available) continue;
    await enqueue(JOBS.metricScore, { generationId, metric: plugin.id });
    queued.push(plugin.id);
  }
  return queued;
}

export interface BackfillResult {
  id: string;
  available: boolean;
  reason: string | null;
  missing: number;
  enqueued: number;
}

/**
 * Queues the missing pairs of one metric (all when none is named). A job of the same id that already
 * finished (e.g. failed for good once) is replaced, so a backfill runs it again.
 */
export async function backfillMetrics(opts: { metric?: string; dryRun?: boolean } = {}): Promise<BackfillResult[]> {
  const plugins = metricPlugins().filter((p) => !opts.metric || p.id === opts.metric);
  if (opts.metric && plugins.length === 0) throw new Error(`No metric "${opts.metric}" in the registry (${metricPlugins().map((p) => p.id).join(", ")})`);
  const out: BackfillResult[] = [];
  for (const plugin of plugins) {
    const avail = await plugin.availability();
    const missing = await db().generation.findMany({
      where: { ...eligible(plugin), metricScores: { none: { metric: plugin.id, version: plugin.version } } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    let enqueued = 0;
    if (avail.available && !opts.dryRun) {
      for (const g of missing) {
        await enqueue(JOBS.metricScore, { generationId: g.id, metric: plugin.id }, { replaceFinished: true });
        enqueued++;
      }
    }
    out.push({ id: plugin.id, available: avail.available, reason: avail.available ? null : avail.reason, missing: missing.length, enqueued });
  }
  return out;
}
