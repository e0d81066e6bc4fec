/**
 * Sweep-level overrides an admin picks when starting a sweep (admin console): a harness for every
 * LLM contestant in it and the number of feedback retries. They travel in Sweep.config and are
 * applied to the contestant row before the registry picks its code generator, so the harness sees
 * `contestant.harness` and `settings.retries` as if they were the model's own.
 */
import { z } from "zod";

const ZOverrides = z.object({
  harness: z.enum(["single-shot", "multi-turn"]).optional(),
  retries: z.number().int().min(0).max(3).optional(),
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
