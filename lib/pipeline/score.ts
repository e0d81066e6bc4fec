/**
 * generation.score: automated metrics for an executed generation (docs/benchmark.md §5), then ready.
 * Chamfer needs the category's reference GLB, so scoring waits for category.prepare. As in the
 * benchmark, Chamfer is scored whenever a metric GLB exists: a failed generation that has one
 * (e.g. ERR_RENDER) is scored too and stays failed. The registry's metrics (lib/metrics/registry.ts)
 * follow as metric.score jobs.
 */
import { db, type Prisma } from "@/lib/db";
import { assets } from "@/lib/storage";
import { chamferBetweenGlbs } from "@/lib/metrics/chamfer";
import { PermanentJobError, ReferenceNotReadyError } from "./errors";
import { completeSweepIfDone } from "@/lib/sweeps/sweeps";
import { transition } from "@/lib/generations/transition";
import { enqueueMetricsFor } from "@/lib/metrics/backfill";
import { logger } from "@/lib/log";

export async function scoreGeneration(p: { generationId: string }): Promise<void> {
  const gen = await db().generation.findUnique({ where: { id: p.generationId }, include: { category: true } });
  if (!gen) throw new PermanentJobError(`Generation ${p.generationId} no longer exists`);
  const failedWithGlb = gen.status === "failed" && gen.metricGlbKey !== null;
  if (gen.status !== "scoring" && !failedWithGlb) return;
  const { category } = gen;
  if (category.referenceStatus === null) throw new ReferenceNotReadyError(category.instanceId);

  const metrics: Record<string, unknown> = {};
  let chamfer: number | null = null;
  let chamferRotMin: number | null = null;
  let chamferRotMinVertical: number | null = null;
  // Bytes from the store, wherever it is: a scoring worker needs no shared folder.
  const ref = category.referenceGlbKey ? await assets().get(category.referenceGlbKey) : null;
  const mine = gen.metricGlbKey ? await assets().get(gen.metricGlbKey) : null;
  if (!ref) {
    metrics.chamfer = { available: false, reason: `Reference did not execute (${category.referenceStatus}).` };
  } else if (!mine) {
    metrics.chamfer = { available: false, reason: "No metric GLB for this generation." };
  } else {
    const r = await chamferBetweenGlbs(mine, ref);
    if (r.ok) {
      chamfer = r.cd;
      chamferRotMin = r.cdRotMin;
      chamferRotMinVertical = r.cdRotMinVertical;
      metrics.chamfer = {
        available: true,
        cd: r.cd,
        cdRotMin: r.cdRotMin,
        bestRotationDeg: r.bestRotationDeg,
        rotationAxis: "glTF Z (the benchmark's)",
        cdRotMinVertical: r.cdRotMinVertical,
        bestRotationVerticalDeg: r.bestRotationVerticalDeg,
        points: r.points,
        ...(r.fewDistinctPoints ? { fewDistinctPoints: true } : {}),
      };
    } else {
      metrics.chamfer = { available: true, failed: true, reason: r.reason };
    }
  }
  const scores = { chamfer, chamferRotMin, chamferRotMinVertical, metrics: metrics as Prisma.InputJsonValue };
  if (failedWithGlb) {
    await db().generation.updateMany({ where: { id: gen.id, status: "failed" }, data: scores });
    await queueRegistryMetrics(gen.id, gen.track);
    return;
  }
  // Conditional: a generation an admin cancelled while it was scored stays cancelled.
  if (await transition(gen.id, ["scoring"], "ready", { readyAt: new Date(), ...scores })) {
    await completeSweepIfDone(gen.sweepId);
    await queueRegistryMetrics(gen.id, gen.track);
  }
}

/**
 * The registry's metrics (SigLIP-2, DINOv3, ...) run as their own metric.score jobs once the output
 * is ready: their rows arrive later and never hold up readiness. A failure to queue them is logged;
 * `npm run metrics:backfill` (or /admin/metrics) picks up what is missing.
 */
async function queueRegistryMetrics(generationId: string, track: "text" | "image"): Promise<void> {
  try {
    await enqueueMetricsFor(generationId, track);
  } catch (err) {
    logger("scoring").warn(`metric jobs for ${generationId} not queued: ${err instanceof Error ? err.message : String(err)}`);
  }
}
