/**
 * metric.score: one registry metric for one generation (lib/metrics/registry.ts). Idempotent: a row
 * for the plugin's current version already there = nothing to do. The plugin's inputs are resolved
 * into temp files from the asset store by key (bytes, never a store path), compute runs under a CPU
 * timer, and the outcome is stored with the plugin's exact definition. An unavailable plugin writes
 * nothing (benchmark-compat §5: never estimated).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { db, type Prisma } from "@/lib/db";
import { assets } from "@/lib/storage";
import { logger } from "@/lib/log";
import { BENCHMARK_VIEW_NAMES } from "@/lib/harness/benchmark-rules";
import { PermanentJobError } from "@/lib/pipeline/errors";
import { metricPlugin, type MetricInput, type MetricNeed, type MetricOutcome } from "./registry";

const log = logger("metrics");

/** Writes an asset to the scratch folder; null when the key is unset or the asset is gone. */
async function fetchTo(workDir: string, key: string | null | undefined, name: string): Promise<string | null> {
  if (!key) return null;
  const bytes = await assets().get(key);
  if (!bytes) return null;
  const file = path.join(workDir, name);
  await writeFile(file, bytes);
  return file;
}

/** The four view slots in benchmark order, each from the key that ends with that view's name. */
async function viewsTo(workDir: string, keys: string[], side: string): Promise<(string | null)[]> {
  return Promise.all(
    BENCHMARK_VIEW_NAMES.map((view) => {
      const key = keys.find((k) => k.endsWith(`/${view}`) || k === view);
      return fetchTo(workDir, key, `${side}-${view}`);
    }),
  );
}

export async function scoreMetric(p: { generationId: string; metric: string }): Promise<void> {
  const plugin = metricPlugin(p.metric);
  if (!plugin) throw new PermanentJobError(`No metric "${p.metric}" in the registry`);
  const gen = await db().generation.findUnique({ where: { id: p.generationId }, include: { category: true } });
  if (!gen) return; // deleted since: nothing to score
  const done = await db().metricScore.findUnique({
    where: { generationId_metric_version: { generationId: gen.id, metric: plugin.id, version: plugin.version } },
    select: { id: true },
  });
  if (done) return;
  const avail = await plugin.availability();
  if (!avail.available) {
    log.info(`${plugin.id} unavailable (${avail.reason}): ${gen.id} not scored`);
    return;
  }
  if (plugin.tracks && !plugin.tracks.includes(gen.track)) return;

  const workDir = await mkdtemp(path.join(os.tmpdir(), "arena-metric-"));
  try {
    const needs = new Set<MetricNeed>(plugin.needs);
    const input: MetricInput = { generationId: gen.id, track: gen.track, workDir };
    if (needs.has("renders")) input.renders = await viewsTo(workDir, gen.renderKeys, "generated");
    if (needs.has("referenceRenders")) input.referenceRenders = await viewsTo(workDir, gen.category.referenceImageKeys, "reference");
    if (needs.has("metricGlb")) input.metricGlb = await fetchTo(workDir, gen.metricGlbKey, "metric.glb");
    if (needs.has("referenceGlb")) input.referenceGlb = await fetchTo(workDir, gen.category.referenceGlbKey, "reference.glb");
    if (needs.has("prompt")) input.prompt = gen.category.description;
    // No step of the pipeline samples coloured points yet: a plugin that needs them gets null.
    if (needs.has("pointCloud")) input.pointCloud = null;

    const cpu0 = process.cpuUsage();
    const outcome: MetricOutcome = await plugin.compute(input);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const values = outcome.status === "ok" ? outcome.values : {};
    const details = outcome.status === "failed" ? { reason: outcome.reason, ...outcome.details } : outcome.details;
    await db()
      .metricScore.create({
        data: {
          generationId: gen.id,
          metric: plugin.id,
          version: plugin.version,
          status: outcome.status,
          values: values as Prisma.InputJsonValue,
          details: details ? (JSON.parse(JSON.stringify(details)) as Prisma.InputJsonValue) : undefined,
          definition: (await plugin.definition()) as Prisma.InputJsonValue,
          cpuMs,
        },
      })
      .catch((err: unknown) => {
        // Two runs of the same job raced: the first row stands.
        if ((err as { code?: string }).code !== "P2002") throw err;
      });
    if (outcome.status === "failed") log.info(`${plugin.id} failed for ${gen.id}: ${outcome.reason}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
