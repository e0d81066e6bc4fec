/**
 * Starting, following and cancelling judge runs (docs/judge.md). A run is one judge model over
 * one track in one mode, with a budget; each battle to judge is a `judge.verdict` job.
 * No `import "server-only"` and no lib/moderation/audit-log (which has it): the integration tests
 * drive runs from plain Node, so the audit rows are written here with the same shape.
 */
import { db, Prisma } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import type { SignedInUser } from "@/lib/auth/session";
import { planDetail, type JudgePlan, type JudgeRunInput } from "./plan";
import { swapFor } from "./request";

export interface StartedRun extends JudgePlan {
  runId: string;
}

export async function startJudgeRun(input: JudgeRunInput, admin: Pick<SignedInUser, "id">): Promise<StartedRun> {
  const d = await planDetail(input);
  if (d.plan.battles === 0) throw new ApiError("unprocessable", `No ${input.track === "text" ? "Text -> 3D" : "Image -> 3D"} battle has a valid human vote yet.`);
  const toJudge = [...d.fresh, ...d.retry];
  const run = await db().$transaction(async (tx) => {
    const r = await tx.judgeRun.create({
      data: {
        judgeContestantId: d.model.id,
        mode: input.mode,
        track: input.track,
        promptSet: d.prompt.set,
        promptVersion: d.prompt.version,
        budgetUsd: input.budgetUsd,
        estimatedCostUsd: d.plan.estimatedCostUsd,
        worstCaseCostUsd: d.plan.worstCaseCostUsd,
        battles: d.plan.battles,
        reused: d.reused.length,
        ...(toJudge.length === 0 && { status: "completed", finishedAt: new Date() }),
        createdById: admin.id,
      },
    });
    const key = { judgeContestantId: d.model.id, mode: input.mode, promptVersion: d.prompt.version } as const;
    if (d.fresh.length) {
      await tx.judgeVerdict.createMany({
        data: d.fresh.map((battleId) => ({ ...key, runId: r.id, battleId, swapped: swapFor(battleId, d.model.id) })),
        // Another run may have created a verdict for the same battle since the plan: it stands.
        skipDuplicates: true,
      });
    }
    if (d.retry.length) {
      // Failed or skipped before: asked again under this run, from scratch.
      await tx.judgeVerdict.updateMany({
        where: { ...key, battleId: { in: d.retry }, status: { in: ["failed", "skipped"] } },
        data: { runId: r.id, status: "pending", error: null, rawAnswer: null, finishedAt: null },
      });
    }
    await tx.auditLog.create({ data: { actorId: admin.id, action: "judge.start", targetType: "judgeRun", targetId: r.id, details: { ...d.plan } } });
    return r;
  });
  const pending = await db().judgeVerdict.findMany({ where: { runId: run.id, status: "pending" }, select: { id: true } });
  for (const v of pending) await enqueue(JOBS.judgeVerdict, { verdictId: v.id }, { replaceFinished: true });
  await finishRunIfDone(run.id);
  return { runId: run.id, ...d.plan };
}

/** Marks a run finished once nothing is pending: completed, unless it stopped at its budget or was cancelled. */
export async function finishRunIfDone(runId: string): Promise<void> {
  await db().$executeRaw`
    UPDATE "JudgeRun" SET "status" = CASE WHEN "status" = 'running' THEN 'completed'::"JudgeRunStatus" ELSE "status" END,
                          "finishedAt" = now()
    WHERE "id" = ${runId} AND "finishedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "JudgeVerdict" WHERE "runId" = ${runId} AND "status" = 'pending')`;
}

export async function cancelJudgeRun(runId: string, admin: Pick<SignedInUser, "id">): Promise<void> {
  const n = await db().judgeRun.updateMany({ where: { id: runId, status: "running" }, data: { status: "cancelled" } });
  if (n.count === 0) {
    const exists = await db().judgeRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (!exists) throw new ApiError("not_found", "No such judge run.");
    throw new ApiError("conflict", `The run is already ${exists.status.replace("_", " ")}.`);
  }
  await db().auditLog.create({ data: { actorId: admin.id, action: "judge.cancel", targetType: "judgeRun", targetId: runId } });
  await finishRunIfDone(runId);
}

export interface RunProgress {
  id: string;
  judge: { slug: string; displayName: string; model: string };
  mode: string;
  track: string;
  promptSet: string;
  promptVersion: string;
  status: string;
  battles: number;
  reused: number;
  counts: { pending: number; done: number; invalid: number; failed: number; skipped: number };
  budgetUsd: number;
  estimatedCostUsd: number;
  worstCaseCostUsd: number;
  spentUsd: number;
  tokens: { input: number; cached: number; output: number; thinking: number };
  createdAt: string;
  finishedAt: string | null;
}

const runInclude = { judge: { select: { slug: true, displayName: true, providerModelId: true } } } satisfies Prisma.JudgeRunInclude;

async function progressOf(runs: Prisma.JudgeRunGetPayload<{ include: typeof runInclude }>[]): Promise<RunProgress[]> {
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const [byStatus, usage] = await Promise.all([
    db().judgeVerdict.groupBy({ by: ["runId", "status"], where: { runId: { in: ids } }, _count: { _all: true } }),
    db().judgeVerdict.groupBy({
      by: ["runId"],
      where: { runId: { in: ids } },
      _sum: { inputTokens: true, cachedTokens: true, outputTokens: true, thinkingTokens: true },
    }),
  ]);
  return runs.map((r) => {
    const counts = { pending: 0, done: 0, invalid: 0, failed: 0, skipped: 0 };
    for (const g of byStatus) if (g.runId === r.id) counts[g.status] = g._count._all;
    const u = usage.find((g) => g.runId === r.id)?._sum;
    return {
      id: r.id,
      judge: { slug: r.judge.slug, displayName: r.judge.displayName, model: r.judge.providerModelId },
      mode: r.mode,
      track: r.track,
      promptSet: r.promptSet,
      promptVersion: r.promptVersion,
      status: r.status,
      battles: r.battles,
      reused: r.reused,
      counts,
      budgetUsd: r.budgetUsd,
      estimatedCostUsd: r.estimatedCostUsd,
      worstCaseCostUsd: r.worstCaseCostUsd,
      spentUsd: r.spentUsd,
      tokens: { input: u?.inputTokens ?? 0, cached: u?.cachedTokens ?? 0, output: u?.outputTokens ?? 0, thinking: u?.thinkingTokens ?? 0 },
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  });
}

export async function judgeRunProgress(runId: string): Promise<RunProgress> {
  const r = await db().judgeRun.findUnique({ where: { id: runId }, include: runInclude });
  if (!r) throw new ApiError("not_found", "No such judge run.");
  return (await progressOf([r]))[0]!;
}

export async function listJudgeRuns(limit = 20): Promise<RunProgress[]> {
  return progressOf(await db().judgeRun.findMany({ orderBy: { createdAt: "desc" }, take: limit, include: runInclude }));
}
