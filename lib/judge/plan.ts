/**
 * Which battles a judge run covers and what it will cost, before anything is sent (docs/judge.md).
 * Battles: those of the track with a valid human vote (the votes the leaderboard counts), newest
 * first. A battle that already has a verdict for this judge model, mode and prompt version is
 * reused, not paid for again.
 */
import { z } from "zod";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { estimateCallCost, promptTokensEstimate } from "@/lib/providers/cost";
import { THINKING_BUDGET } from "@/lib/providers/reasoning";
import { isProviderKind, parseModelSettings } from "@/lib/providers";
import type { ModelSettings, Prices } from "@/lib/providers/types";
import { JudgePromptError, loadJudgePrompt, type JudgePrompt } from "./prompts";
import { CODE_MAX_CHARS, judgeSettings, worstCaseOutputTokens } from "./request";
import type { JudgeMode } from "./types";

export const MAX_RUN_BATTLES = 5000;

export const ZJudgeRunInput = z
  .object({
    /** Slug of the contestant row that describes the judge model (provider, model id, settings, prices). */
    judge: z.string().trim().min(1).max(100),
    mode: z.enum(["image", "code"]),
    track: z.enum(["text", "image"]),
    prompts: z.enum(["arena-default", "3dcodebench"]).default("arena-default"),
    budgetUsd: z.number().positive().max(100_000),
    /** Only categories of this imported set (Category.setName), e.g. "3dcodebench". */
    categorySet: z.string().trim().min(1).max(100).optional(),
    /** At most this many battles (newest votes first); default all, up to MAX_RUN_BATTLES. */
    limit: z.number().int().positive().max(MAX_RUN_BATTLES).optional(),
  })
  .strict();
export type JudgeRunInput = z.infer<typeof ZJudgeRunInput>;

/** An answer is a verdict and a few sentences; thinking at the low level uses part of its budget. */
const EXPECTED_ANSWER_TOKENS = 200;
const EXPECTED_THINKING_SHARE = 0.5;
/** Characters of the user message around the task (labels, instructions), for the estimate. */
const USER_FRAME_CHARS = 600;

export interface JudgeModel {
  id: string;
  slug: string;
  displayName: string;
  provider: string;
  providerModelId: string;
  settings: ModelSettings;
  prices: Prices;
}

export async function loadJudgeModel(slug: string): Promise<JudgeModel> {
  const c = await db().contestant.findUnique({ where: { slug } });
  if (!c) throw new ApiError("not_found", `No model "${slug}": register the judge model in the admin console first (it may stay hidden).`);
  if (!isProviderKind(c.provider)) throw new ApiError("unprocessable", `"${slug}" is not behind a model provider (provider "${c.provider}").`);
  let settings: ModelSettings;
  try {
    settings = judgeSettings(parseModelSettings(c.settings));
  } catch (err) {
    throw new ApiError("unprocessable", `${slug}: ${(err as Error).message}`);
  }
  return {
    id: c.id,
    slug: c.slug,
    displayName: c.displayName,
    provider: c.provider,
    providerModelId: c.providerModelId,
    settings,
    prices: { input: c.priceInput, cached: c.priceCached, cacheWrite: c.priceCacheWrite, output: c.priceOutput },
  };
}

export interface CandidateBattle {
  id: string;
  descriptionChars: number;
  codeA: number;
  codeB: number;
  rendersA: number;
  rendersB: number;
  references: number;
}

export async function candidateBattles(track: "text" | "image", limit = MAX_RUN_BATTLES, categorySet?: string): Promise<CandidateBattle[]> {
  return db().$queryRaw<CandidateBattle[]>`
    SELECT b."id",
           length(c."description")::int AS "descriptionChars",
           length(coalesce(ga."finalCode", ''))::int AS "codeA",
           length(coalesce(gb."finalCode", ''))::int AS "codeB",
           cardinality(ga."renderKeys")::int AS "rendersA",
           cardinality(gb."renderKeys")::int AS "rendersB",
           cardinality(c."referenceImageKeys")::int AS "references"
    FROM "Battle" b
    JOIN "Vote" v ON v."battleId" = b."id" AND v."valid"
    JOIN "Generation" ga ON ga."id" = b."generationAId"
    JOIN "Generation" gb ON gb."id" = b."generationBId"
    JOIN "Category" c ON c."id" = b."categoryId"
    WHERE b."track" = ${track}::"Track" AND (${categorySet ?? null}::text IS NULL OR c."setName" = ${categorySet ?? null})
    ORDER BY v."createdAt" DESC, b."id"
    LIMIT ${limit}`;
}

/** Prompt size of one battle's call, in characters and images, as request.ts builds it. */
export function callSize(mode: JudgeMode, track: "text" | "image", prompt: JudgePrompt, b: CandidateBattle): { promptChars: number; images: number } {
  const base = prompt.system.length + USER_FRAME_CHARS + b.descriptionChars;
  if (mode === "code") return { promptChars: base + Math.min(b.codeA, CODE_MAX_CHARS) + Math.min(b.codeB, CODE_MAX_CHARS), images: 0 };
  return { promptChars: base, images: b.rendersA + b.rendersB + (track === "image" ? b.references : 0) };
}

export function expectedCallCost(size: { promptChars: number; images: number }, judge: JudgeModel): number {
  const r = judge.settings.reasoning;
  const thinking = r && r !== "off" ? Math.round(THINKING_BUDGET[r] * EXPECTED_THINKING_SHARE) : 0;
  return estimateCallCost({ ...size, expectedOutputTokens: EXPECTED_ANSWER_TOKENS, expectedThinkingTokens: thinking }, judge.prices);
}

/**
 * The most a call may cost, held against the budget while it runs: the prompt estimate with a
 * margin (tokenisers differ from four characters a token, code in particular) and every output
 * and thinking token the settings allow.
 */
export const INPUT_SAFETY = 1.5;
export function worstCallCost(size: { promptChars: number; images: number }, judge: JudgeModel): number {
  const input = Math.ceil(promptTokensEstimate(size.promptChars, size.images) * INPUT_SAFETY);
  return (input * judge.prices.input + worstCaseOutputTokens(judge.settings) * judge.prices.output) / 1e6;
}

export interface JudgePlan {
  judge: { slug: string; displayName: string; provider: string; model: string };
  mode: JudgeMode;
  track: "text" | "image";
  promptSet: string;
  promptVersion: string;
  /** Battles with a valid human vote in the run (after `limit`). */
  battles: number;
  /** Of those, already judged with this judge, mode and prompt version (reused at no cost). */
  alreadyJudged: number;
  toJudge: number;
  estimatedCostUsd: number;
  worstCaseCostUsd: number;
  budgetUsd: number;
  /** Calls the budget covers in the worst case (all of them when it covers the worst case). */
  coveredCalls: number;
}

export interface PlanDetail {
  plan: JudgePlan;
  model: JudgeModel;
  prompt: JudgePrompt;
  /** Battles to judge (new or retried), and those reused. */
  fresh: string[];
  retry: string[];
  reused: string[];
}

export async function planDetail(input: JudgeRunInput): Promise<PlanDetail> {
  const model = await loadJudgeModel(input.judge);
  let prompt: JudgePrompt;
  try {
    prompt = await loadJudgePrompt(input.prompts, input.mode, getEnv().BENCHMARK_CHECKOUT);
  } catch (err) {
    if (err instanceof JudgePromptError) throw new ApiError("unprocessable", err.message);
    throw err;
  }
  const battles = await candidateBattles(input.track, input.limit, input.categorySet);
  const existing = await db().judgeVerdict.findMany({
    where: { judgeContestantId: model.id, mode: input.mode, promptVersion: prompt.version, battleId: { in: battles.map((b) => b.id) } },
    select: { battleId: true, status: true },
  });
  const statusOf = new Map(existing.map((v) => [v.battleId, v.status]));
  const fresh: string[] = [];
  const retry: string[] = [];
  const reused: string[] = [];
  let expected = 0;
  const worst: number[] = [];
  for (const b of battles) {
    const s = statusOf.get(b.id);
    if (s === undefined || s === "failed" || s === "skipped") {
      (s === undefined ? fresh : retry).push(b.id);
      const size = callSize(input.mode, input.track, prompt, b);
      expected += expectedCallCost(size, model);
      worst.push(worstCallCost(size, model));
    } else {
      reused.push(b.id);
    }
  }
  const worstTotal = worst.reduce((a, b) => a + b, 0);
  let covered = 0;
  for (let acc = 0; covered < worst.length && acc + worst[covered]! <= input.budgetUsd; covered++) acc += worst[covered]!;
  return {
    model,
    prompt,
    fresh,
    retry,
    reused,
    plan: {
      judge: { slug: model.slug, displayName: model.displayName, provider: model.provider, model: model.providerModelId },
      mode: input.mode,
      track: input.track,
      promptSet: prompt.set,
      promptVersion: prompt.version,
      battles: battles.length,
      alreadyJudged: reused.length,
      toJudge: fresh.length + retry.length,
      estimatedCostUsd: expected,
      worstCaseCostUsd: worstTotal,
      budgetUsd: input.budgetUsd,
      coveredCalls: covered,
    },
  };
}

export async function planJudgeRun(input: JudgeRunInput): Promise<JudgePlan> {
  return (await planDetail(input)).plan;
}
