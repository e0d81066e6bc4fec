/**
 * A prompt set: what a model is told (system prompt per track, the image task's user text, the
 * multi-turn feedback) and the rules around its answers (code extraction, parse retries, error
 * cutting). Two kinds (docs/benchmark.md §6, "Prompt sets"):
 *   - `arena-default`: our own wording (lib/harness/prompts.ts) and rules;
 *   - `3dcodebench:<checkout>` / `3dcodebench+api:<checkout>`: the prompt files of a 3DCodeBench
 *     checkout, read at run time (never copied into this repository), with the benchmark's rules;
 *     `+api` appends its Blender 5 API reference to the system prompt.
 * The id (and a digest of the wording) is recorded on every attempt.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Track } from "@/lib/contracts";
import type { PreviousAttempt } from "@/lib/contestants/types";
import { feedbackText, IMAGE_INSTRUCTION, SYSTEM_PROMPT } from "./prompts";

export type RuleSet = "arena" | "benchmark";

export interface PromptRules {
  /** arena: any ``` line dropped, 60 lines trimmed in total, at least one statement; benchmark: see benchmark-rules.ts. */
  extraction: RuleSet;
  /**
   * arena: an empty or unparseable answer is asked again (4 calls), and an attempt without code may
   * be followed by the next one; benchmark: an empty answer stops at once, and an attempt that ends
   * without code ends the generation (the first one as ERR_PARSE, a retry keeps the previous code).
   */
  parseRetry: RuleSet;
  /** arena: 3,000 characters, 70% head / 30% tail; benchmark: 2,100 head + 820 tail. */
  errorTruncation: RuleSet;
}

export interface FeedbackInput {
  track: Track;
  /** The first message's text: the caption (Text -> 3D) or the image instruction. */
  taskText: string;
  /** Names of the reference views re-attached to the message (Image -> 3D). */
  imageNames: string[];
  previous: PreviousAttempt;
  /** The attempt being asked for, 1-based, and the attempts allowed in total. */
  attemptNumber: number;
  maxAttempts: number;
}

export interface PromptSet {
  /** Recorded on every attempt: "arena-default" | "3dcodebench[+api]:<absolute checkout path>". */
  id: string;
  /** sha256 (16 hex) of the wording actually used, so a changed checkout shows. */
  digest: string;
  /** For the console. */
  label: string;
  systemPrompt(track: Track): string;
  /** The Image -> 3D task's user text (the views follow it). */
  imageUserMessage: string;
  /** The text of a multi-turn retry. */
  feedback(input: FeedbackInput): string;
  rules: PromptRules;
  /** Where this set departs from its source, e.g. a file the checkout does not have. */
  notes: string[];
}

export const ARENA_PROMPT_SET_ID = "arena-default";

export const ARENA_RULES: PromptRules = { extraction: "arena", parseRetry: "arena", errorTruncation: "arena" };
export const BENCHMARK_RULES: PromptRules = { extraction: "benchmark", parseRetry: "benchmark", errorTruncation: "benchmark" };

export function digestOf(parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

export const ARENA_PROMPT_SET: PromptSet = {
  id: ARENA_PROMPT_SET_ID,
  digest: digestOf([SYSTEM_PROMPT, IMAGE_INSTRUCTION, feedbackText("{task}", { code: "{code}", execStatus: "{status}", errorText: "{error}" })]),
  label: "Arena default wording",
  systemPrompt: () => SYSTEM_PROMPT,
  imageUserMessage: IMAGE_INSTRUCTION,
  feedback: (i) => feedbackText(i.taskText, i.previous),
  rules: ARENA_RULES,
  notes: [],
};

export type PromptSetRef =
  | { kind: "arena" }
  | { kind: "3dcodebench"; checkout: string; apiReference: boolean };

export class PromptSetError extends Error {
  override name = "PromptSetError";
}

const BENCH_ID = /^3dcodebench(\+api)?:(.+)$/;

/** Parses a prompt-set id; the checkout must be an absolute path. */
export function parsePromptSetId(id: string): PromptSetRef {
  if (id === ARENA_PROMPT_SET_ID) return { kind: "arena" };
  const m = BENCH_ID.exec(id);
  if (!m) throw new PromptSetError(`Unknown prompt set "${id}" (expected ${ARENA_PROMPT_SET_ID}, 3dcodebench:<checkout> or 3dcodebench+api:<checkout>).`);
  const checkout = m[2]!;
  if (!path.isAbsolute(checkout)) throw new PromptSetError(`Prompt set "${id}": the checkout path must be absolute.`);
  return { kind: "3dcodebench", checkout: path.normalize(checkout).replace(/\/+$/, "") || "/", apiReference: m[1] === "+api" };
}

export function promptSetId(ref: PromptSetRef): string {
  return ref.kind === "arena" ? ARENA_PROMPT_SET_ID : `3dcodebench${ref.apiReference ? "+api" : ""}:${ref.checkout}`;
}

export function isValidPromptSetId(id: string): boolean {
  try {
    parsePromptSetId(id);
    return true;
  } catch {
    return false;
  }
}

/** "3DCodeBench prompts (with API reference) from /path" for the console. */
export function describePromptSetId(id: string | null | undefined): string {
  if (!id) return "—";
  let ref: PromptSetRef;
  try {
    ref = parsePromptSetId(id);
  } catch {
    return id;
  }
  if (ref.kind === "arena") return ARENA_PROMPT_SET.label;
  return `3DCodeBench prompts${ref.apiReference ? " with API reference" : ""} (${ref.checkout})`;
}
