/** One generation in full for admins (prompt, attempts, renders, metrics) and its review actions. */
import "server-only";
import { metricLines } from "@/lib/metrics/summary";
import { describePromptSetId } from "@/lib/harness/prompt-set";
import { z } from "zod";
import type { TamperEvidence } from "@/blender-runner/client/types";
import { db } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { ApiError } from "@/lib/api/errors";
import { staffAssetUrl } from "@/lib/storage";
import type { SignedInUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/moderation/audit-log";
import { hideOutput } from "@/lib/moderation/hide-output";

const ZTamperEvidence = z.array(
  z.object({ source: z.enum(["audit", "channel", "scene"]), event: z.string(), site: z.string().nullable(), detail: z.string().nullable() }),
);

/** The stored evidence list (written by lib/pipeline/execute.ts); anything else shows as none. */
function tamperEvidence(value: unknown): TamperEvidence[] {
  const parsed = ZTamperEvidence.safeParse(value);
  return parsed.success ? parsed.data : [];
}

export async function generationDetail(id: string) {
  await requireRole("admin");
  const g = await db().generation.findUnique({
    where: { id },
    include: {
      contestant: true,
      category: { select: { instanceId: true, name: true, description: true, instruction: true } },
      sweep: { select: { id: true, name: true, status: true } },
      reviewedBy: { select: { email: true } },
      attempts: { orderBy: { index: "asc" } },
    },
  });
  if (!g) return null;
  return {
    id: g.id,
    status: g.status,
    track: g.track,
    model: { slug: g.contestant.slug, displayName: g.contestant.displayName, provider: g.contestant.provider, modelId: g.contestant.providerModelId, harness: g.contestant.harness },
    category: g.category,
    sweep: g.sweep,
    execStatus: g.execStatus,
    errorText: g.errorText,
    failureGroup: g.failureGroup,
    failureDetail: g.failureDetail,
    renderUrls: g.renderKeys.map(staffAssetUrl),
    glbUrl: g.displayGlbKey ? staffAssetUrl(g.displayGlbKey) : null,
    meshStats: g.meshStats,
    metrics: g.metrics,
    registryMetrics: await metricLines(g.id, g.track),
    chamfer: g.chamfer,
    renderProfile: g.renderProfile,
    blenderVersion: g.blenderVersion,
    execDevice: g.execDevice,
    usage: {
      inputTokens: g.inputTokens,
      cachedTokens: g.cachedTokens,
      cacheWriteTokens: g.cacheWriteTokens,
      outputTokens: g.outputTokens,
      thinkingTokens: g.thinkingTokens,
      costUsd: g.costUsd,
      latencyMs: g.latencyMs,
    },
    importedStatus: g.importedStatus,
    statusMismatch: g.statusMismatch,
    /** The export step's own status, the run's deliberate differences from the benchmark, the imported folder's facts. */
    exportStatus: g.exportStatus,
    runConditions: g.runConditions,
    importedRun: g.importedRun,
    /** Coding-agent contestants: agent status, exit, limits hit, usage report, run_blender calls, network. */
    agentRun: g.agentRun,
    tamperSuspected: g.tamperSuspected,
    tamperEvidence: tamperEvidence(g.tamperEvidence),
    reviewedBy: g.reviewedBy?.email ?? null,
    reviewedAt: g.reviewedAt?.toISOString() ?? null,
    attempts: g.attempts.map((a) => ({
      index: a.index,
      prompt: a.prompt,
      code: a.code,
      parseOk: a.parseOk,
      parseTries: a.parseTries,
      /** The prompt set it was asked with (null: a baseline, an import or an older attempt). */
      promptSet: a.promptSet,
      promptSetLabel: a.promptSet ? describePromptSetId(a.promptSet) : null,
      promptSetDigest: a.promptSetDigest,
      rawResponse: a.rawResponse,
      execStatus: a.execStatus,
      errorText: a.errorText,
      failureGroup: a.failureGroup,
      failureDetail: a.failureDetail,
      renderUrls: a.renderKeys.map(staffAssetUrl),
      usage: {
        inputTokens: a.inputTokens,
        cachedTokens: a.cachedTokens,
        cacheWriteTokens: a.cacheWriteTokens,
        outputTokens: a.outputTokens,
        thinkingTokens: a.thinkingTokens,
        costUsd: a.costUsd,
        latencyMs: a.latencyMs,
      },
    })),
  };
}
export type GenerationDetail = NonNullable<Awaited<ReturnType<typeof generationDetail>>>;

/** hide: leaves the arena (status hidden); unhide: back to ready; approve: marks it reviewed. */
export async function reviewGeneration(id: string, action: "hide" | "unhide" | "approve", admin: SignedInUser): Promise<{ status: string }> {
  const g = await db().generation.findUnique({ where: { id }, select: { status: true, displayGlbKey: true, execStatus: true } });
  if (!g) throw new ApiError("not_found", "This generation does not exist.");
  if (action === "hide" && g.status !== "ready" && g.status !== "failed") throw new ApiError("conflict", `A ${g.status} generation cannot be hidden.`);
  if (action === "unhide" && g.status !== "hidden") throw new ApiError("conflict", "Only a hidden generation can be unhidden.");
  if (action === "unhide" && (g.execStatus !== "OK" || !g.displayGlbKey)) throw new ApiError("conflict", "This generation has no servable model.");
  const status = action === "hide" ? "hidden" : action === "unhide" ? "ready" : g.status;
  await db().$transaction(async (tx) => {
    if (action === "hide") {
      await hideOutput(tx, id, admin.id, { via: "admin" });
      return;
    }
    await tx.generation.update({
      where: { id },
      data: { status, reviewedById: admin.id, reviewedAt: new Date() },
    });
    await recordAudit(admin.id, `generation.${action}`, "generation", id, { from: g.status, to: status }, tx);
  });
  return { status };
}
