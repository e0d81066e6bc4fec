/**
 * What a sweep was asked to do, as stored in Sweep.config: written only through createSweep
 * (lib/sweeps/create.ts) and read back only through sweepConfig(), never by casting the JSON.
 */
import { z } from "zod";
import { isValidPromptSetId } from "@/lib/harness/prompt-set";
import type { Prisma } from "@/lib/db";

export const ZSweepConfig = z.object({
  contestants: z.array(z.string().min(1)),
  /** Category instance ids; empty = every category (or, for an import, the instances it holds). */
  categories: z.array(z.string().min(1)).default([]),
  /** The console's choice as the admin made it (all / by tag / a list), for display. */
  categorySelection: z
    .discriminatedUnion("mode", [
      z.object({ mode: z.literal("all") }),
      z.object({ mode: z.literal("tag"), tags: z.array(z.string()) }),
      z.object({ mode: z.literal("list"), ids: z.array(z.string()) }),
    ])
    .optional(),
  tracks: z.array(z.enum(["text", "image"])).min(1),
  profile: z.string().min(1).default("preview"),
  /** Applied to every LLM contestant of the sweep (lib/sweeps/overrides.ts). */
  harness: z.enum(["single-shot", "multi-turn"]).optional(),
  retries: z.number().int().min(0).max(3).optional(),
  /**
   * The prompt set (lib/harness/prompt-set.ts): "arena-default" or "3dcodebench[+api]:<checkout>".
   * createSweep pins PROMPT_SET's when none is picked, so a changed env does not change a sweep.
   */
  promptSet: z.string().refine(isValidPromptSetId, "expected arena-default or 3dcodebench[+api]:<absolute checkout path>").optional(),
  /** Imported from a results tree (lib/runs): the folder it came from. */
  imported: z.boolean().optional(),
  root: z.string().optional(),
});
export type SweepConfig = z.infer<typeof ZSweepConfig>;

/** Sweep.config as typed data; a row that does not parse is a bug, reported with the sweep's id. */
export function sweepConfig(json: Prisma.JsonValue, sweepId = "?"): SweepConfig {
  const parsed = ZSweepConfig.safeParse(json);
  if (!parsed.success) throw new Error(`Sweep ${sweepId} has an invalid config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
