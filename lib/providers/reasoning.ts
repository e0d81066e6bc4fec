/**
 * Reasoning levels (ModelSettings.reasoning) and what each API is sent for them. The levels are
 * 3DCodeBench's (off added for "no thinking at all"); where an API takes a named effort or level,
 * the mapping is the benchmark's own (/work/notes benchmark-facts §8, docs/providers/README.md).
 * APIs that take a token budget get THINKING_BUDGET.
 */
export const REASONING_LEVELS = ["off", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
export type ReasoningLevel = (typeof REASONING_LEVELS)[number];
export type ThinkingLevel = Exclude<ReasoningLevel, "off">;

/**
 * Thinking budget per level, in tokens, for the APIs that take a budget (Anthropic, Gemini before
 * 3), and the room added to the output limit of those that count reasoning in it. Anthropic needs
 * at least 1,024; low..high follow its documentation's examples.
 */
export const THINKING_BUDGET: Record<ThinkingLevel, number> = { minimal: 1024, low: 2048, medium: 8192, high: 24576, xhigh: 32768, max: 49152 };

/** Gemini 2.5's largest thinking budget. */
const GEMINI_MAX_BUDGET = 32768;

export function thinkingLevel(level: ReasoningLevel | undefined): ThinkingLevel | undefined {
  return level && level !== "off" ? level : undefined;
}

/** OpenAI `reasoning_effort` / `reasoning.effort`: minimal asks for low, max for xhigh; "-pro" models take medium at least. */
export function openaiEffort(level: ReasoningLevel | undefined, modelId: string): string | undefined {
  const l = thinkingLevel(level);
  if (!l) return undefined;
  const effort = ({ minimal: "low", low: "low", medium: "medium", high: "high", xhigh: "xhigh", max: "xhigh" } as const)[l];
  return /-pro(\b|-)/.test(modelId) && effort === "low" ? "medium" : effort;
}

/** Gemini 3 and Gemma 4 take a thinking level (high is their top); earlier models a budget. */
export function usesThinkingLevel(modelId: string): boolean {
  return /^(models\/)?(gemini-3|gemma-)/.test(modelId);
}

export function geminiThinkingConfig(level: ReasoningLevel | undefined, modelId: string): Record<string, unknown> | undefined {
  if (level === undefined) return undefined;
  // "off" is an explicit budget of 0 everywhere; unset leaves the model's default.
  if (level === "off") return { thinkingBudget: 0 };
  if (usesThinkingLevel(modelId)) return { thinkingLevel: level === "xhigh" || level === "max" ? "high" : level };
  return { thinkingBudget: Math.min(THINKING_BUDGET[level], GEMINI_MAX_BUDGET) };
}

/** Anthropic extended thinking budget; minimal turns thinking off, as the benchmark does. */
export function anthropicBudget(level: ReasoningLevel | undefined): number {
  const l = thinkingLevel(level);
  return l && l !== "minimal" ? THINKING_BUDGET[l] : 0;
}
