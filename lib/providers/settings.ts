/**
 * Contestant.settings is free JSON edited in the admin console: parse it into ModelSettings here,
 * once, so a typo ("temprature") or a wrong type fails with a readable message instead of being
 * silently ignored by the provider.
 */
import { z } from "zod";
import type { ModelSettings } from "./types";
import { REASONING_LEVELS } from "./reasoning";

export const ZModelSettings = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    reasoning: z.enum(REASONING_LEVELS).optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    baseUrl: z.string().url().optional(),
    apiKeyName: z.string().min(1).max(100).optional(),
    textPrompt: z.enum(["description", "instruction"]).optional(),
    requestsPerMinute: z.number().int().min(0).optional(),
    tokensPerMinute: z.number().int().min(0).optional(),
    timeoutSec: z.number().positive().optional(),
  })
  .strict() satisfies z.ZodType<ModelSettings>;

export function parseModelSettings(raw: unknown): ModelSettings {
  const parsed = ZModelSettings.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`);
  throw new Error(`Invalid model settings: ${issues.join("; ")}`);
}
