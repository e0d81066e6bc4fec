/**
 * Multi-turn (docs/benchmark.md §6): after an attempt that did not end OK, a fresh call holding the
 * original task, the previous code, its status and its error text; T = 3 retries unless the
 * contestant's or the sweep's `retries` setting lowers it. The pipeline runs each attempt in Blender
 * and feeds the result back through CodeRequest.previous.
 */
import type { CodeGenerator } from "@/lib/contestants/types";
import { askForCode, type HarnessDeps } from "./ask";
import { ARENA_PROMPT_SET } from "./prompt-set";
import { feedbackMessage, taskMessage } from "./prompts";

export const DEFAULT_RETRIES = 3;
const MAX_RETRIES = 10;

export function retriesFrom(settings: Record<string, unknown>): number {
  const r = settings.retries;
  if (typeof r !== "number" || !Number.isFinite(r)) return DEFAULT_RETRIES;
  return Math.min(MAX_RETRIES, Math.max(0, Math.floor(r)));
}

export function multiTurn(deps: HarnessDeps): CodeGenerator {
  const maxAttempts = 1 + retriesFrom(deps.settings);
  const set = deps.promptSet ?? ARENA_PROMPT_SET;
  return {
    maxAttempts,
    async generate(req) {
      const r = { ...req, settings: { ...deps.settings, ...req.settings } };
      const message = req.attempt > 0 && req.previous ? await feedbackMessage(r, req.previous, { set, maxAttempts }) : await taskMessage(r, set);
      return askForCode(deps, message, req);
    },
  };
}
