/**
 * Non-LLM contestants. They are deterministic, cost nothing, and bracket the leaderboard:
 * the reference is the ceiling, the block-out a floor that still executes.
 */
import type { CodeGenerator, CodeRequest, CodeResult } from "../types";
import { ZERO_USAGE } from "../types";
import { blockoutCode } from "./blockout";
import { perturbedCode } from "./perturbed";

export const BASELINE_IDS = { reference: "reference", perturbed: "perturbed", blockout: "blockout" } as const;

function ok(code: string, t0: number): CodeResult {
  return { code, parseOk: true, error: null, usage: { ...ZERO_USAGE, latencyMs: Date.now() - t0 } };
}

export function baselineGenerator(id: string, slug: string): CodeGenerator {
  const make = (fn: (req: CodeRequest) => string): CodeGenerator => ({
    maxAttempts: 1,
    async generate(req) {
      const t0 = Date.now();
      return ok(fn(req), t0);
    },
  });
  switch (id) {
    case BASELINE_IDS.reference:
      return make((req) => req.category.referenceScript);
    case BASELINE_IDS.perturbed:
      // Seeded by contestant and category (not track) so both tracks get the same script.
      return make((req) => perturbedCode(req.category.referenceScript, `${slug}:${req.category.instanceId}`));
    case BASELINE_IDS.blockout:
      return make((req) =>
        blockoutCode({ name: req.category.name, instruction: req.category.instruction, description: req.category.description }),
      );
    default:
      throw new Error(`Unknown baseline "${id}"`);
  }
}
