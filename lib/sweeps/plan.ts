/**
 * Planning a sweep before it starts: which generations it makes, how many model calls that takes
 * (worst case: every feedback retry and every parse retry used; expected: one answer per attempt
 * and the retries history says a model needs) and what it should cost from the model's prices.
 */
import "server-only";
import { z } from "zod";
import { db, type Contestant } from "@/lib/db";
import { FEEDBACK_ERROR_CHARS, textTask } from "@/lib/harness/prompts";
import { defaultPromptSetId, loadPromptSet, promptSetChoices } from "@/lib/harness/load-prompt-set";
import { PromptSetError } from "@/lib/harness/prompt-set";
import { MAX_PARSE_TRIES } from "@/lib/harness/ask";
import { estimateCallCost, DEFAULT_OUTPUT_ESTIMATE } from "@/lib/providers/cost";
import { ZAgentSettings } from "@/lib/agents/presets";
import { PROFILES } from "@/lib/pipeline/profiles";
import { ApiError } from "@/lib/api/errors";
import { requireRole } from "@/lib/auth/session";

export const ZSweepInput = z.object({
  name: z.string().trim().min(1).max(120),
  contestants: z.array(z.string().min(1)).min(1, "Pick at least one model."),
  categories: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("all") }),
    z.object({ mode: z.literal("tag"), tags: z.array(z.string().min(1)).min(1) }),
    z.object({ mode: z.literal("list"), ids: z.array(z.string().min(1)).min(1) }),
  ]),
  tracks: z.array(z.enum(["text", "image"])).min(1, "Pick at least one track."),
  /** null: each model's own harness. */
  harness: z.enum(["single-shot", "multi-turn"]).nullable().default(null),
  retries: z.number().int().min(0).max(3).default(2),
  profile: z.string().refine((p) => p in PROFILES, "Unknown render profile.").default("preview"),
  /** null: PROMPT_SET's (lib/harness/load-prompt-set.ts). */
  promptSet: z.string().max(1_000).nullable().default(null),
});
export type SweepInput = z.infer<typeof ZSweepInput>;

/** When a model has no history: the share of attempts that need a feedback retry. */
const DEFAULT_RETRY_RATE = 0.3;

export interface ModelPlan {
  slug: string;
  displayName: string;
  harness: string;
  attempts: number;
  generations: number;
  worstCalls: number;
  expectedCalls: number;
  worstCostUsd: number;
  expectedCostUsd: number;
}

export interface SweepPlan {
  /** The prompt set every LLM contestant is asked with (pinned in the sweep's config). */
  promptSet: { id: string; label: string; digest: string; notes: string[] };
  categories: string[];
  generations: number;
  plannedCalls: number;
  expectedCalls: number;
  estimatedCostUsd: number;
  worstCostUsd: number;
  models: ModelPlan[];
}

export async function resolveCategories(sel: SweepInput["categories"]) {
  const where =
    sel.mode === "all" ? {} : sel.mode === "tag" ? { tags: { hasSome: sel.tags } } : { instanceId: { in: sel.ids } };
  const cats = await db().category.findMany({ where, orderBy: { instanceId: "asc" } });
  if (sel.mode === "list") {
    const missing = sel.ids.filter((id) => !cats.some((c) => c.instanceId === id));
    if (missing.length) throw new ApiError("unprocessable", `Unknown categories: ${missing.join(", ")}`);
  }
  if (cats.length === 0) throw new ApiError("unprocessable", "No category matches this selection.");
  return cats;
}

function effectiveHarness(c: Contestant, input: SweepInput): string {
  if (c.provider === "baseline" || c.kind === "agent") return c.harness;
  return input.harness ?? c.harness;
}

function prices(c: Contestant) {
  return { input: c.priceInput, cached: c.priceCached, output: c.priceOutput, cacheWrite: c.priceCacheWrite };
}

/** Share of past generations of this model that needed more than one attempt, when known. */
async function retryRate(contestantId: string): Promise<number | null> {
  const rows = await db().generation.findMany({
    where: { contestantId, status: { in: ["ready", "failed"] } },
    select: { _count: { select: { attempts: true } } },
    take: 500,
    orderBy: { updatedAt: "desc" },
  });
  if (rows.length < 5) return null;
  return rows.filter((r) => r._count.attempts > 1).length / rows.length;
}

export async function planSweep(input: SweepInput): Promise<SweepPlan> {
  await requireRole("admin");
  const contestants = await db().contestant.findMany({ where: { slug: { in: input.contestants } } });
  const missing = input.contestants.filter((s) => !contestants.some((c) => c.slug === s));
  if (missing.length) throw new ApiError("unprocessable", `Unknown models: ${missing.join(", ")}`);
  const inactive = contestants.filter((c) => c.status !== "active");
  if (inactive.length) throw new ApiError("unprocessable", `Hidden or retired models cannot be swept: ${inactive.map((c) => c.slug).join(", ")}`);
  const cats = await resolveCategories(input.categories);
  const set = await planPromptSet(input.promptSet);

  const models: ModelPlan[] = [];
  for (const c of contestants) {
    const harness = effectiveHarness(c, input);
    const llm = c.provider !== "baseline";
    const attempts = harness === "multi-turn" ? 1 + input.retries : 1;
    const generations = cats.length * input.tracks.length;
    const settings = (c.settings ?? {}) as Record<string, unknown>;
    const outTokens = Number(settings.maxOutputTokens) || DEFAULT_OUTPUT_ESTIMATE;
    const rate = attempts > 1 ? ((await retryRate(c.id)) ?? DEFAULT_RETRY_RATE) : 0;
    // Expected attempts per generation: geometric in the retry rate, capped by the harness.
    let expectedAttempts = 0;
    for (let k = 0; k < attempts; k++) expectedAttempts += rate ** k;

    let worstCost = 0;
    let expectedCost = 0;
    for (const cat of cats) {
      for (const track of input.tracks) {
        const images = track === "image" ? 4 : 0;
        const taskChars = track === "image" ? set.imageUserMessage.length : textTask({ category: cat, settings } as never).length;
        const firstChars = set.systemPrompt(track).length + taskChars;
        // A feedback turn adds the previous script (about one answer long) and the cut error text.
        const feedbackChars = firstChars + outTokens * 4 + FEEDBACK_ERROR_CHARS;
        const cost = (promptChars: number) => estimateCallCost({ promptChars, images, expectedOutputTokens: outTokens }, prices(c));
        const worstPerAttempt = [cost(firstChars), ...Array.from({ length: attempts - 1 }, () => cost(feedbackChars))];
        worstCost += worstPerAttempt.reduce((a, b) => a + b, 0) * MAX_PARSE_TRIES;
        expectedCost += cost(firstChars) + (expectedAttempts - 1) * cost(feedbackChars);
      }
    }
    if (c.kind === "agent") {
      // One agent run per generation, stopped at its budget (lib/agents): the budget is the only
      // bound known before the run, so it is the plan's figure for both.
      const budget = ZAgentSettings.safeParse(c.settings).data?.agent.budgetUsd ?? 0;
      models.push({ slug: c.slug, displayName: c.displayName, harness, attempts: 1, generations, worstCalls: generations, expectedCalls: generations, worstCostUsd: budget * generations, expectedCostUsd: budget * generations });
      continue;
    }
    models.push({
      slug: c.slug,
      displayName: c.displayName,
      harness,
      attempts,
      generations,
      worstCalls: llm ? generations * attempts * MAX_PARSE_TRIES : 0,
      expectedCalls: llm ? Math.round(generations * expectedAttempts) : 0,
      worstCostUsd: llm ? worstCost : 0,
      expectedCostUsd: llm ? expectedCost : 0,
    });
  }
  const sum = (f: (m: ModelPlan) => number) => models.reduce((a, m) => a + f(m), 0);
  return {
    promptSet: { id: set.id, label: set.label, digest: set.digest, notes: set.notes },
    categories: cats.map((c) => c.instanceId),
    generations: sum((m) => m.generations),
    plannedCalls: sum((m) => m.worstCalls),
    expectedCalls: sum((m) => m.expectedCalls),
    estimatedCostUsd: sum((m) => m.expectedCostUsd),
    worstCostUsd: sum((m) => m.worstCostUsd),
    models,
  };
}

/** The chosen prompt set, loaded (so a broken checkout shows in the plan, before the sweep starts). */
async function planPromptSet(choice: string | null) {
  // Only what the form offers: the console must not become a way to read files elsewhere.
  if (choice !== null && choice !== defaultChoice().id && !(await promptSetChoices()).some((c) => c.id === choice)) {
    throw new ApiError("unprocessable", "This prompt set is not offered here: the checkout must be the one in BENCHMARK_CHECKOUT (or PROMPT_SET's).");
  }
  try {
    return await loadPromptSet(choice ?? defaultPromptSetId());
  } catch (err) {
    if (err instanceof PromptSetError) throw new ApiError("unprocessable", err.message);
    throw err;
  }
}

/** PROMPT_SET's id, or the reason it cannot be used. */
function defaultChoice(): { id: string | null; problem: string | null } {
  try {
    return { id: defaultPromptSetId(), problem: null };
  } catch (err) {
    return { id: null, problem: (err as Error).message };
  }
}

/** What the new-sweep form offers: active models, every category and tag, the render profiles, the prompt sets. */
export async function sweepFormOptions() {
  await requireRole("admin");
  const [models, categories, promptSets] = await Promise.all([
    db().contestant.findMany({ where: { status: "active" }, orderBy: [{ kind: "desc" }, { slug: "asc" }], select: { slug: true, displayName: true, harness: true, kind: true } }),
    db().category.findMany({ orderBy: { instanceId: "asc" }, select: { instanceId: true, tags: true } }),
    promptSetChoices(),
  ]);
  const tags = [...new Set(categories.flatMap((c) => c.tags))].sort();
  const fallback = defaultChoice();
  return {
    models,
    tags,
    categories: categories.map((c) => c.instanceId),
    profiles: Object.keys(PROFILES),
    promptSets,
    defaultPromptSet: fallback.id,
  };
}
