/**
 * Admin control of sweeps: start (with the plan shown), pause, resume, cancel and retry failed
 * work from the stage it failed in. Every action is audited in its own transaction.
 */
import "server-only";
import { db, type Prisma } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { completeSweepIfDone, resume } from "@/lib/sweeps/sweeps";
import type { SignedInUser } from "@/lib/auth/session";
import { createSweep } from "@/lib/sweeps/create";
import type { SweepConfig } from "@/lib/sweeps/config";
import { recordAudit } from "@/lib/moderation/audit-log";
import { planSweep, type SweepInput } from "@/lib/sweeps/plan";
import { OPEN_STATUSES } from "@/lib/generations/status";
import { ensureReferences } from "@/lib/categories/references";

export async function startSweep(input: SweepInput, admin: SignedInUser): Promise<{ sweepId: string; generations: number }> {
  const plan = await planSweep(input);
  const contestants = await db().contestant.findMany({ where: { slug: { in: input.contestants } } });
  const categories = await db().category.findMany({ where: { instanceId: { in: plan.categories } } });
  const config: SweepConfig = {
    contestants: input.contestants,
    categories: plan.categories,
    categorySelection: input.categories,
    tracks: input.tracks,
    profile: input.profile,
    // Read by lib/sweeps/overrides.ts for every LLM contestant of the sweep.
    ...(input.harness ? { harness: input.harness } : {}),
    retries: input.retries,
    promptSet: plan.promptSet.id,
  };
  const sweep = await db().$transaction(async (tx) => {
    const s = await createSweep(
      { name: input.name, config, createdById: admin.id, plannedCalls: plan.plannedCalls, estimatedCostUsd: plan.estimatedCostUsd },
      { tx },
    );
    await tx.generation.createMany({
      data: contestants.flatMap((c) =>
        categories.flatMap((cat) => input.tracks.map((track) => ({ sweepId: s.id, contestantId: c.id, categoryId: cat.id, track }))),
      ),
      skipDuplicates: true,
    });
    await recordAudit(admin.id, "sweep.start", "sweep", s.id, { name: input.name, ...config, plannedCalls: plan.plannedCalls, estimatedCostUsd: plan.estimatedCostUsd }, tx);
    return s;
  });
  // References render with REFERENCE_PROFILE, not the sweep's profile (lib/categories/references.ts).
  await ensureReferences(categories.map((c) => c.id));
  const gens = await db().generation.findMany({ where: { sweepId: sweep.id }, select: { id: true } });
  for (const g of gens) await enqueue(JOBS.generationGenerate, { generationId: g.id, attempt: 0 });
  return { sweepId: sweep.id, generations: gens.length };
}

async function loadSweep(id: string) {
  const s = await db().sweep.findUnique({ where: { id } });
  if (!s) throw new ApiError("not_found", "This sweep does not exist.");
  return s;
}

export async function pauseSweep(id: string, admin: SignedInUser): Promise<void> {
  const s = await loadSweep(id);
  if (s.status !== "running") throw new ApiError("conflict", `Only a running sweep can be paused (this one is ${s.status}).`);
  await db().$transaction(async (tx) => {
    await tx.sweep.update({ where: { id }, data: { status: "paused" } });
    await recordAudit(admin.id, "sweep.pause", "sweep", id, {}, tx);
  });
}

async function reenqueueOpen(sweepId: string): Promise<number> {
  const open = await db().generation.findMany({
    where: { sweepId, status: { in: [...OPEN_STATUSES] } },
    include: { attempts: { select: { index: true, code: true }, orderBy: { index: "desc" }, take: 1 } },
  });
  for (const g of open) await resume(g, { replaceFinished: true });
  return open.length;
}

export async function resumeSweep(id: string, admin: SignedInUser): Promise<{ enqueued: number }> {
  const s = await loadSweep(id);
  if (s.status !== "paused") throw new ApiError("conflict", `Only a paused sweep can be resumed (this one is ${s.status}).`);
  await db().$transaction(async (tx) => {
    await tx.sweep.update({ where: { id }, data: { status: "running" } });
    await recordAudit(admin.id, "sweep.resume", "sweep", id, {}, tx);
  });
  const enqueued = await reenqueueOpen(id);
  if (enqueued === 0) await completeSweepIfDone(id);
  return { enqueued };
}

export async function cancelSweep(id: string, admin: SignedInUser): Promise<{ cancelled: number }> {
  const s = await loadSweep(id);
  if (s.status === "cancelled" || s.status === "completed") throw new ApiError("conflict", `This sweep is already ${s.status}.`);
  const reason = `cancelled by ${admin.email ?? admin.name ?? "an admin"}`;
  return db().$transaction(async (tx) => {
    await tx.sweep.update({ where: { id }, data: { status: "cancelled", finishedAt: new Date() } });
    // Jobs already queued find their generation failed and stop (each stage checks its status).
    const { count } = await tx.generation.updateMany({
      where: { sweepId: id, status: { in: [...OPEN_STATUSES] } },
      data: { status: "failed", errorText: reason },
    });
    await recordAudit(admin.id, "sweep.cancel", "sweep", id, { cancelled: count }, tx);
    return { cancelled: count };
  });
}

/**
 * The status a failed generation goes back to: executing when its last attempt has code (run it
 * again), else a new model call. Which job then runs, with which attempt, is resume()'s rule, the
 * same as for any open generation (lib/sweeps/sweeps.ts).
 */
function retryStatus(g: { attempts: { code: string | null }[] }): "executing" | "generating" | "queued" {
  const last = g.attempts[0];
  if (last?.code) return "executing";
  return g.attempts.length ? "generating" : "queued";
}

const RESET = {
  errorText: null,
  execStatus: null,
  failureGroup: null,
  failureDetail: null,
  reviewedAt: null,
  reviewedBy: { disconnect: true },
} satisfies Prisma.GenerationUpdateInput;

/** Retries one failed generation from the stage it failed in. */
export async function retryGeneration(id: string, admin: SignedInUser): Promise<{ retried: number }> {
  const g = await db().generation.findUnique({ where: { id }, select: { sweepId: true } });
  if (!g) throw new ApiError("not_found", "This generation does not exist.");
  return retryFailed(g.sweepId, admin, [id]);
}

/** Retries failed generations of a sweep (all, or the given ids) from the stage each failed in. */
export async function retryFailed(sweepId: string, admin: SignedInUser, generationIds?: string[]): Promise<{ retried: number }> {
  const s = await loadSweep(sweepId);
  const failed = await db().generation.findMany({
    where: { sweepId, status: "failed", ...(generationIds?.length ? { id: { in: generationIds } } : {}) },
    include: { attempts: { select: { index: true, code: true, execStatus: true }, orderBy: { index: "desc" }, take: 1 } },
  });
  if (failed.length === 0) throw new ApiError("conflict", "There is nothing failed to retry here.");
  const plans = failed.map((g) => ({ g, status: retryStatus(g), attempt: g.attempts[0]?.index ?? 0 }));
  await db().$transaction(async (tx) => {
    if (s.status !== "running" && s.status !== "paused") await tx.sweep.update({ where: { id: sweepId }, data: { status: "running", finishedAt: null } });
    for (const p of plans) {
      await tx.generation.update({ where: { id: p.g.id }, data: { ...RESET, status: p.status } });
      if (p.status === "executing") {
        // The re-run must not simply reuse the stored outcome of the same code.
        await tx.generationAttempt.updateMany({ where: { generationId: p.g.id, index: p.attempt }, data: { execStatus: null, errorText: null, failureGroup: null, failureDetail: null } });
      } else if (p.g.attempts.length) {
        // A generation-stage failure leaves an attempt without code: drop it so the model is asked again.
        await tx.generationAttempt.deleteMany({ where: { generationId: p.g.id, index: p.attempt, code: null } });
      }
    }
    await recordAudit(
      admin.id,
      "sweep.retry",
      "sweep",
      sweepId,
      { generations: plans.map((p) => ({ id: p.g.id, from: p.status === "executing" ? "execute" : "generate", attempt: p.attempt })) },
      tx,
    );
  });
  const restarted = await db().generation.findMany({
    where: { id: { in: plans.map((p) => p.g.id) } },
    select: { id: true, status: true, attempts: { select: { index: true, code: true }, orderBy: { index: "desc" }, take: 1 } },
  });
  for (const g of restarted) await resume(g, { replaceFinished: true });
  return { retried: plans.length };
}
