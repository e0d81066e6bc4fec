/**
 * Harness registry: how an LLM contestant is driven (docs/benchmark.md §6). A new harness (e.g. a
 * coding agent with tool calls) is one more entry mapping deps to a CodeGenerator.
 */
import type { CodeGenerator } from "@/lib/contestants/types";
import type { HarnessDeps } from "./ask";
import { multiTurn } from "./multi-turn";
import { singleShot } from "./single-shot";

export type { HarnessDeps } from "./ask";

const HARNESSES = {
  "single-shot": singleShot,
  "multi-turn": multiTurn,
} satisfies Record<string, (deps: HarnessDeps) => CodeGenerator>;

export type HarnessName = keyof typeof HARNESSES;
export const HARNESS_NAMES = Object.keys(HARNESSES) as HarnessName[];

export class UnknownHarnessError extends Error {}

export function isHarnessName(name: string): name is HarnessName {
  return Object.hasOwn(HARNESSES, name);
}

export function harnessFor(name: string, deps: HarnessDeps): CodeGenerator {
  if (!isHarnessName(name)) throw new UnknownHarnessError(`Unknown harness "${name}" (known: ${HARNESS_NAMES.join(", ")}).`);
  return HARNESSES[name](deps);
}
