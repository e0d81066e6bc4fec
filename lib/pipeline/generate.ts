/**
 * generation.generate: asks the contestant for code (one attempt), stores the attempt with its
 * usage, then hands over to execution. Idempotent per (generation, attempt).
 */
import { db, type Prisma } from "@/lib/db";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { assets, withLocalCopies } from "@/lib/storage";
import { codeGeneratorFor } from "@/lib/contestants/registry";
import { PermanentJobError, ReferenceNotReadyError } from "./errors";
import { completeSweepIfDone } from "@/lib/sweeps/sweeps";
import { sweepOverrides, withSweepOverrides } from "@/lib/sweeps/overrides";
import { defaultPromptSetId, loadPromptSet } from "@/lib/harness/load-prompt-set";
import { PromptSetError, type PromptSet } from "@/lib/harness/prompt-set";
import { transition, transitionQuery } from "@/lib/generations/transition";
import { AgentConfigError } from "@/lib/agents/generator";

export async function generateCode(p: { generationId: string; attempt: number }): Promise<void> {
  const gen = await db().generation.findUnique({
    where: { id: p.generationId },
    include: { category: true, contestant: true, sweep: { select: { status: true, config: true } }, attempts: { orderBy: { index: "asc" } } },
  });
  if (!gen) throw new PermanentJobError(`Generation ${p.generationId} no longer exists`);
  if (gen.status !== "queued" && gen.status !== "generating") return;
  // Paused or cancelled by an admin: no new model calls. Resume re-enqueues this job.
  if (gen.sweep.status === "paused" || gen.sweep.status === "cancelled") return;
  const contestant = withSweepOverrides(gen.contestant, gen.sweep.config);

  const existing = gen.attempts.find((a) => a.index === p.attempt);
  if (existing?.code) {
    // Crashed after storing the attempt: just make sure execution follows.
    if (await moveOn(gen.id, "executing")) await enqueue(JOBS.generationExecute, { generationId: gen.id, attempt: p.attempt });
    return;
  }

  const { category } = gen;
  // Our rendered views are the image track's input only once prepared with the current reference
  // profile and Blender version (a stale reference is reset to null while it renders again).
  if (gen.track === "image" && !category.referenceViewsFromSet && category.referenceStatus === null) {
    throw new ReferenceNotReadyError(category.instanceId);
  }
  if (gen.track === "image" && category.referenceImageKeys.length === 0) {
    await fail(gen.id, "The category has no reference views (its reference script did not render), so the image track cannot be prompted.");
    return;
  }

  // The sweep's prompt set (pinned when it was created), else PROMPT_SET; baselines are not prompted.
  let promptSet: PromptSet | undefined;
  if (contestant.provider !== "baseline") {
    try {
      promptSet = await loadPromptSet(sweepOverrides(gen.sweep.config).promptSet ?? defaultPromptSetId());
    } catch (err) {
      if (!(err instanceof PromptSetError)) throw err;
      await fail(gen.id, `Prompt set: ${err.message}`);
      return;
    }
  }

  // Conditional from here on: an admin may cancel the generation at any moment.
  if (!(await moveOn(gen.id, "generating"))) return;
  let generator;
  try {
    generator = codeGeneratorFor(contestant, { promptSet });
  } catch (err) {
    // A coding agent's settings that no longer parse: a configuration fault, not worth retrying.
    if (!(err instanceof AgentConfigError)) throw err;
    await fail(gen.id, `Coding agent: ${err.message}`);
    return;
  }
  const previous = p.attempt > 0 ? gen.attempts.find((a) => a.index === p.attempt - 1) : undefined;
  // Coding agents and provider requests take the views as files: private copies for this call,
  // removed after it, so this worker needs the store only, never another process's folder.
  const imageKeys = gen.track === "image" ? category.referenceImageKeys : [];
  const result = await withLocalCopies(assets(), imageKeys, (referenceImages) => generator.generate({
    category: {
      instanceId: category.instanceId,
      name: category.name,
      description: category.description,
      instruction: category.instruction,
      referenceScript: category.referenceScript,
      referenceImages,
    },
    track: gen.track,
    attempt: p.attempt,
    previous: previous
      ? {
          code: previous.code,
          execStatus: previous.execStatus,
          errorText: previous.errorText,
          meshObjects: previous.meshObjects,
          viewsRendered: previous.viewsRendered,
        }
      : null,
    settings: (contestant.settings as Record<string, unknown>) ?? {},
  }));

  const u = result.usage;
  const extra = {
    rawResponse: result.rawResponse ?? null,
    parseTries: result.parseTries ?? 1,
    prompt: result.prompt ?? null,
    promptSet: promptSet?.id ?? null,
    promptSetDigest: promptSet?.digest ?? null,
  };
  const [, , moved] = await db().$transaction([
    db().generationAttempt.upsert({
      where: { generationId_index: { generationId: gen.id, index: p.attempt } },
      create: {
        generationId: gen.id,
        index: p.attempt,
        code: result.code,
        parseOk: result.parseOk,
        errorText: result.error,
        ...extra,
        ...u,
      },
      update: { code: result.code, parseOk: result.parseOk, errorText: result.error, ...extra, ...u },
    }),
    db().generation.update({
      where: { id: gen.id },
      data: {
        ...(result.agentRun ? { agentRun: JSON.parse(JSON.stringify(result.agentRun)) as Prisma.InputJsonValue } : {}),
        inputTokens: { increment: u.inputTokens },
        cachedTokens: { increment: u.cachedTokens },
        cacheWriteTokens: { increment: u.cacheWriteTokens },
        outputTokens: { increment: u.outputTokens },
        thinkingTokens: { increment: u.thinkingTokens },
        costUsd: { increment: u.costUsd },
        latencyMs: { increment: u.latencyMs },
      },
    }),
    // Only if nobody cancelled it while the model was answering (the call's usage counts either way).
    transitionQuery(gen.id, ["queued", "generating"], result.code ? "executing" : "generating"),
  ]);
  if (moved.count === 0) return;

  if (result.code) {
    await enqueue(JOBS.generationExecute, { generationId: gen.id, attempt: p.attempt });
  } else if (!result.final && p.attempt + 1 < generator.maxAttempts) {
    // A parse failure may get another attempt; a refusing provider (result.final) ends it here.
    await enqueue(JOBS.generationGenerate, { generationId: gen.id, attempt: p.attempt + 1 });
  } else {
    await fail(gen.id, result.error ?? "The model returned no parseable Python code.");
  }
}

/** Moves a generation that is still queued or generating to `status`; false if it was cancelled. */
async function moveOn(id: string, status: "generating" | "executing"): Promise<boolean> {
  return transition(id, ["queued", "generating"], status);
}

async function fail(id: string, reason: string): Promise<void> {
  // Conditional: a generation an admin cancelled meanwhile keeps its "cancelled by" reason.
  const moved = await transition(id, ["queued", "generating"], "failed", { errorText: reason });
  const gen = await db().generation.findUnique({ where: { id }, select: { sweepId: true } });
  if (moved && gen) await completeSweepIfDone(gen.sweepId);
}
