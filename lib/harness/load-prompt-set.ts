/**
 * Prompt sets by id (lib/harness/prompt-set.ts), and the default one: env PROMPT_SET, else the
 * arena's own wording. A 3DCodeBench set is read from its checkout each time it is loaded (four
 * small files), so what is recorded on an attempt is what was sent.
 */
import { getEnv } from "@/lib/env";
import { hasApiReference, loadBenchmarkPromptSet } from "./benchmark-prompts";
import { ARENA_PROMPT_SET, ARENA_PROMPT_SET_ID, parsePromptSetId, promptSetId, type PromptSet } from "./prompt-set";

export async function loadPromptSet(id: string): Promise<PromptSet> {
  const ref = parsePromptSetId(id);
  if (ref.kind === "arena") return ARENA_PROMPT_SET;
  return loadBenchmarkPromptSet(ref.checkout, { apiReference: ref.apiReference });
}

/** PROMPT_SET as a full id ("3dcodebench" alone means the checkout in BENCHMARK_CHECKOUT; lib/env.ts checks both). */
export function defaultPromptSetId(env: Pick<ReturnType<typeof getEnv>, "PROMPT_SET" | "BENCHMARK_CHECKOUT"> = getEnv()): string {
  return resolvePromptSetChoice(env.PROMPT_SET, env.BENCHMARK_CHECKOUT);
}

/** "arena-default" | "3dcodebench" | "3dcodebench+api" (with the checkout) | a full id. */
export function resolvePromptSetChoice(choice: string | undefined, checkout: string | undefined): string {
  const c = choice ?? ARENA_PROMPT_SET_ID;
  if (c === "3dcodebench" || c === "3dcodebench+api") {
    if (!checkout) throw new Error(`PROMPT_SET=${c} needs BENCHMARK_CHECKOUT (the path of a 3DCodeBench checkout).`);
    return promptSetId({ kind: "3dcodebench", checkout, apiReference: c === "3dcodebench+api" });
  }
  return promptSetId(parsePromptSetId(c));
}

export interface PromptSetChoice {
  id: string;
  label: string;
  /** Why it cannot be picked (e.g. a file missing in the checkout); null when it can. */
  problem: string | null;
}

/**
 * What the new-sweep form offers: the arena's wording, and with BENCHMARK_CHECKOUT set, the
 * benchmark's prompts (and "with API reference" when the checkout has it), each checked by loading.
 */
export async function promptSetChoices(env: Pick<ReturnType<typeof getEnv>, "BENCHMARK_CHECKOUT"> = getEnv()): Promise<PromptSetChoice[]> {
  const out: PromptSetChoice[] = [{ id: ARENA_PROMPT_SET_ID, label: ARENA_PROMPT_SET.label, problem: null }];
  const checkout = env.BENCHMARK_CHECKOUT;
  if (!checkout) return out;
  const variants = [false, ...((await hasApiReference(checkout)) ? [true] : [])];
  for (const apiReference of variants) {
    const id = promptSetId({ kind: "3dcodebench", checkout, apiReference });
    try {
      const set = await loadPromptSet(id);
      out.push({ id, label: `${set.label} (${checkout})`, problem: null });
    } catch (err) {
      out.push({ id, label: `3DCodeBench prompts (${checkout})`, problem: (err as Error).message });
    }
  }
  return out;
}
