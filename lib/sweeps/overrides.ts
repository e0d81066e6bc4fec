/**
 * Sweep-level overrides an admin picks when starting a sweep (admin console): a harness for every
 * LLM contestant in it, the number of feedback retries and the prompt set (the latter is read by
 * lib/pipeline/generate.ts, not applied to the row). They travel in Sweep.config and are
 * applied to the contestant row before the registry picks its code generator, so the harness sees
 * `contestant.harness` and `settings.retries` as if they were the model's own.
 */
import { z } from "zod";
import { isValidPromptSetId } from "@/lib/harness/prompt-set";

const ZOverrides = z.object({
  harness: z.enum(["single-shot", "multi-turn"]).optional(),
  retries: z.number().int().min(0).max(3).optional(),
  /** The prompt set every LLM contestant of the sweep is asked with (lib/harness/prompt-set.ts). */
  promptSet: z.string().refine(isValidPromptSetId).optional(),
});
export type SweepOverrides = z.infer<typeof ZOverrides>;

export function sweepOverrides(config: unknown): SweepOverrides {
  const parsed = ZOverrides.safeParse(config ?? {});
  return parsed.success ? parsed.data : {};
}

export function withSweepOverrides<C extends { provider: string; harness: string; settings: unknown }>(contestant: C, config: unknown): C {
  // Baselines and the reference have no harness to override.
  if (contestant.provider === "baseline") return contestant;
  const o = sweepOverrides(config);
  if (o.harness === undefined && o.retries === undefined) return contestant;
  const settings = { ...((contestant.settings as Record<string, unknown> | null) ?? {}) };
  if (o.retries !== undefined) settings.retries = o.retries;
  return { ...contestant, harness: o.harness ?? contestant.harness, settings };
}
