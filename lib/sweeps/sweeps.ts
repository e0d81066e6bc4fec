/**
 * Sweeps: contestants x categories x tracks. Creating one is idempotent per name: a second call
 * adds only missing combinations and re-enqueues unfinished work (jobs have deterministic ids).
 */
import { db, type Track } from "@/lib/db";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { createSweep } from "@/lib/sweeps/create";
import { OPEN_STATUSES } from "@/lib/generations/status";
import { ensureReferences } from "@/lib/categories/references";

export interface SweepSpec {
  name: string;
  contestantSlugs: string[];
  /** Category instance ids; empty = all categories. */
  categories: string[];
  tracks: Track[];
  profile: string;
  createdById?: string;
  /** The prompt set (lib/harness/prompt-set.ts); unset: PROMPT_SET's, pinned at creation. */
  promptSet?: string;
}

export async function ensureSweep(spec: SweepSpec): Promise<{ sweepId: string; generations: number; enqueued: number }> {
  const contestants = await db().contestant.findMany({ where: { slug: { in: spec.contestantSlugs }, status: "active" } });
  const missing = spec.contestantSlugs.filter((s) => !contestants.some((c) => c.slug === s));
  if (missing.length) throw new Error(`Unknown or inactive contestants: ${missing.join(", ")}`);
  const categories = await db().category.findMany({
    where: spec.categories.length ? { instanceId: { in: spec.categories } } : {},
  });

  const sweep = await createSweep(
    { name: spec.name, config: {
        contestants: spec.contestantSlugs,
        categories: spec.categories,
        tracks: spec.tracks,
        profile: spec.profile,
        ...(spec.promptSet ? { promptSet: spec.promptSet } : {}),
      }, createdById: spec.createdById },
    { reuseByName: true },
  );
  if (sweep.status === "completed") await db().sweep.update({ where: { id: sweep.id }, data: { status: "running", finishedAt: null } });

  await db().generation.createMany({
    data: contestants.flatMap((c) =>
      categories.flatMap((cat) => spec.tracks.map((track) => ({ sweepId: sweep.id, contestantId: c.id, categoryId: cat.id, track }))),
    ),
    skipDuplicates: true,
  });

  // References render with REFERENCE_PROFILE, not the sweep's profile (lib/categories/references.ts).
  await ensureReferences(categories.map((c) => c.id));
  const open = await db().generation.findMany({
    where: { sweepId: sweep.id, status: { in: [...OPEN_STATUSES] } },
    include: { attempts: { select: { index: true, code: true }, orderBy: { index: "desc" }, take: 1 } },
  });
  for (const g of open) await resume(g);
  if (open.length === 0) await completeSweepIfDone(sweep.id);
  const total = await db().generation.count({ where: { sweepId: sweep.id } });
  return { sweepId: sweep.id, generations: total, enqueued: open.length };
}

/**
 * Re-enqueues the job for the stage a generation is in (a no-op if that job is still queued).
 * `replaceFinished` (admin resume/retry) also replaces a job BullMQ remembers as finished.
 */
export async function resume(
  g: { id: string; status: string; attempts: { index: number; code: string | null }[] },
  opts: { replaceFinished?: boolean } = {},
): Promise<void> {
  const last = g.attempts[0];
  switch (g.status) {
    case "queued":
      return enqueue(JOBS.generationGenerate, { generationId: g.id, attempt: 0 }, opts);
    case "generating":
      return enqueue(JOBS.generationGenerate, { generationId: g.id, attempt: last ? (last.code ? last.index + 1 : last.index) : 0 }, opts);
    case "executing":
      return enqueue(JOBS.generationExecute, { generationId: g.id, attempt: last?.index ?? 0 }, opts);
    case "scoring":
      return enqueue(JOBS.generationScore, { generationId: g.id }, opts);
  }
}

export interface SweepProgress {
  total: number;
  byStatus: Record<string, number>;
  done: number;
}

export async function sweepProgress(sweepId: string): Promise<SweepProgress> {
  const rows = await db().generation.groupBy({ by: ["status"], where: { sweepId }, _count: { _all: true } });
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    byStatus[r.status] = r._count._all;
    total += r._count._all;
  }
  const done = (byStatus.ready ?? 0) + (byStatus.failed ?? 0) + (byStatus.hidden ?? 0);
  return { total, byStatus, done };
}

/**
 * Called by the pipeline each time a generation reaches ready or failed. Every finisher checks after
 * its own write has committed, so the last one always sees the sweep complete.
 */
export async function completeSweepIfDone(sweepId: string): Promise<void> {
  const open = await db().generation.count({ where: { sweepId, status: { in: [...OPEN_STATUSES] } } });
  if (open === 0) {
    await db().sweep.updateMany({ where: { id: sweepId, status: "running" }, data: { status: "completed", finishedAt: new Date() } });
  }
}
