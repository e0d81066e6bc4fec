/**
 * `judge.verdict`: one judge call for one battle. Reloads everything from the verdict row, skips
 * it unless it is pending, holds the call's worst-case cost against the run's budget before
 * sending (so concurrent jobs cannot overspend together), then records the answer, the tokens and
 * the cost actually charged. Provider failures are recorded, not retried by the queue: the client
 * already retried what can be retried, and a second queue attempt could pay twice.
 */
import { db } from "@/lib/db";
import { assets } from "@/lib/storage";
import { logger } from "@/lib/log";
import { callCost, providerClient, ProviderError } from "@/lib/providers";
import type { ChatImage, ProviderKind } from "@/lib/providers/types";
import { loadJudgeModel, worstCallCost } from "./plan";
import { promptForRun } from "./prompts";
import { judgeUserMessage, type JudgeSide } from "./request";
import { mapBack, parseJudgeAnswer, RAW_ANSWER_KEEP } from "./parse";
import { finishRunIfDone } from "./runs";

const log = logger("judge");
/** A stored render or reference view is a PNG of a few hundred KB; anything far larger is not one. */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

async function images(keys: readonly string[]): Promise<ChatImage[]> {
  const out: ChatImage[] = [];
  for (const key of keys) {
    const bytes = await assets().get(key);
    if (!bytes) throw new Error(`stored image ${key} is missing`);
    if (bytes.byteLength > MAX_IMAGE_BYTES) throw new Error(`stored image ${key} is larger than ${MAX_IMAGE_BYTES} bytes`);
    out.push({ mediaType: key.endsWith(".jpg") || key.endsWith(".jpeg") ? "image/jpeg" : "image/png", data: Buffer.from(bytes).toString("base64") });
  }
  return out;
}

async function finish(verdictId: string, runId: string, data: Parameters<ReturnType<typeof db>["judgeVerdict"]["update"]>[0]["data"]): Promise<void> {
  await db().judgeVerdict.update({ where: { id: verdictId }, data: { ...data, finishedAt: new Date() } });
  await finishRunIfDone(runId);
}

export async function judgeVerdict(payload: { verdictId: string }): Promise<void> {
  const v = await db().judgeVerdict.findUnique({
    where: { id: payload.verdictId },
    include: {
      run: true,
      judge: { select: { slug: true } },
      battle: { include: { category: true, generationA: true, generationB: true } },
    },
  });
  if (!v || v.status !== "pending") return;
  const { run, battle } = v;
  if (run.status !== "running") {
    await finish(v.id, run.id, { status: "skipped", error: `run ${run.status.replace("_", " ")} before this battle was judged` });
    return;
  }

  let request;
  let judge;
  try {
    judge = await loadJudgeModel(v.judge.slug);
    const prompt = await promptForRun(run.promptSet, v.mode);
    if (prompt.version !== run.promptVersion) throw new Error(`the judge prompt changed since the run started (${prompt.version}, run ${run.promptVersion})`);
    const wantImages = v.mode === "image";
    const side = async (g: typeof battle.generationA): Promise<JudgeSide> => ({ code: g.finalCode, renders: wantImages ? await images(g.renderKeys) : [] });
    const [a, b, refs] = await Promise.all([
      side(battle.generationA),
      side(battle.generationB),
      wantImages && battle.track === "image" ? images(battle.category.referenceImageKeys) : Promise.resolve([]),
    ]);
    const task = { track: battle.track, description: battle.category.description, referenceViews: refs };
    const user = v.swapped ? judgeUserMessage(v.mode, task, b, a) : judgeUserMessage(v.mode, task, a, b);
    request = { system: prompt.system, user, settings: judge.settings, label: `judge ${battle.id}` };
  } catch (err) {
    await finish(v.id, run.id, { status: "failed", error: (err as Error).message.slice(0, 500) });
    return;
  }

  const hold = worstCallCost({ promptChars: request.system.length + request.user.text.length, images: request.user.images.length }, judge);
  const held = await db().$executeRaw`
    UPDATE "JudgeRun" SET "reservedUsd" = "reservedUsd" + ${hold}
    WHERE "id" = ${run.id} AND "status" = 'running' AND "spentUsd" + "reservedUsd" + ${hold} <= "budgetUsd"`;
  if (held === 0) {
    await db().judgeRun.updateMany({ where: { id: run.id, status: "running" }, data: { status: "budget_stopped" } });
    await finish(v.id, run.id, { status: "skipped", error: "the run's budget could not cover this call" });
    return;
  }

  let cost = 0;
  let outcome: Parameters<typeof finish>[2];
  try {
    const res = await providerClient(judge.provider as ProviderKind).chat(judge.providerModelId, request);
    cost = callCost(res.usage, judge.prices);
    const parsed = parseJudgeAnswer(res.text);
    const usage = {
      inputTokens: res.usage.inputTokens,
      cachedTokens: res.usage.cachedTokens,
      cacheWriteTokens: res.usage.cacheWriteTokens,
      outputTokens: res.usage.outputTokens,
      thinkingTokens: res.usage.thinkingTokens,
      latencyMs: res.usage.latencyMs,
      costUsd: cost,
      rawAnswer: res.text.slice(0, RAW_ANSWER_KEEP),
    };
    outcome = parsed.ok
      ? { ...usage, status: "done", verdictShown: parsed.verdict, verdict: mapBack(parsed.verdict, v.swapped), reasoning: parsed.reasoning }
      : { ...usage, status: "invalid", error: parsed.reason };
  } catch (err) {
    const message = err instanceof ProviderError ? err.message : `judge call failed: ${(err as Error).message}`;
    if (!(err instanceof ProviderError)) log.error(`verdict ${v.id}: ${(err as Error).stack ?? message}`);
    outcome = { status: "failed", error: message.slice(0, 500) };
  }
  // The spend is on the run before the verdict counts as finished, so a finished run shows it all.
  await db().$executeRaw`
    UPDATE "JudgeRun" SET "reservedUsd" = greatest(0, "reservedUsd" - ${hold}), "spentUsd" = "spentUsd" + ${cost}
    WHERE "id" = ${run.id}`;
  await finish(v.id, run.id, outcome);
}
