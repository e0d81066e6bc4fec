/**
 * The judge's system prompts: the arena's own default set (written for the arena), or the judge
 * prompts of a 3DCodeBench checkout (BENCHMARK_CHECKOUT), read at run time as data through the
 * untrusted reader (house rule 14), never copied into the repository. A prompt version is the
 * digest of the exact wording plus the user-message layout, so a verdict is tied to what was asked.
 */
import path from "node:path";
import { readUntrusted, UntrustedFileError } from "@/blender-runner/client/untrusted-file";
import { digestOf } from "@/lib/harness/prompt-set";
import type { JudgeMode } from "./types";

/** Bump when the user message layout (lib/judge/request.ts) changes: a new version re-judges. */
export const USER_LAYOUT_VERSION = "judge-user-v1";

const VERDICT_RULES = `Answer with one JSON object and nothing else, no code fence:
{"winner": "a" | "b" | "tie" | "both_bad", "reasoning": "<at most three sentences>"}
"a" or "b": that system is clearly the better answer to the prompt. "tie": about equally good (or
equally flawed). "both_bad": neither is recognisably the requested object, so a comparison says nothing.`;

const ARENA_IMAGE = `You compare two 3D objects made by two anonymous systems from the same request. Each
system wrote a Blender script; you see four grey, untextured renders of each result, taken from
four sides. For an Image->3D request you also see the reference views the object should match.

Decide which object better fulfils the request. In order of weight:
1. Is it the requested object at all?
2. Are its main parts there, placed and sized plausibly?
3. Is the shape faithful and clean (silhouette, proportions, surfaces)?
4. Image->3D only: how closely does it match the reference views?
Colour and materials do not count (the renders are grey). Neither does complexity for its own sake:
a simple correct shape beats a busy wrong one. Judge the objects, not the order you see them in.

${VERDICT_RULES}`;

const ARENA_CODE = `You compare two Blender 5.0 Python scripts written by two anonymous systems for the same
3D modelling request. You cannot run them; read them and judge which one is more likely to build
the requested object well.

In order of weight:
1. Does the script set out to build the requested object (not a placeholder primitive)?
2. Are the object's main parts modelled, with sensible counts, placement and proportions?
3. Is there real shape detail (profiles, tapering, curvature) rather than boxes put together?
4. Will it run under Blender 5.0: imports, names, removed APIs, obvious crashes? A script that
   will certainly fail counts heavily against it.
Length and cleverness do not count on their own. Judge the scripts, not the order you see them in.

${VERDICT_RULES}`;

export const ARENA_JUDGE_PROMPT_SET = "arena-default";

/** Where a 3DCodeBench checkout keeps its judge prompts (docs/benchmark-compat §9). */
export const BENCHMARK_JUDGE_FILES: Record<JudgeMode, string> = {
  image: "metrics/llm_judge/prompts/image_judge.txt",
  code: "metrics/llm_judge/prompts/code_judge.txt",
};
const MAX_PROMPT_BYTES = 64 * 1024;

export class JudgePromptError extends Error {}

export interface JudgePrompt {
  /** "arena-default" or "3dcodebench:<checkout>". */
  set: string;
  system: string;
  /** Digest of the wording and the user layout. */
  version: string;
}

function version(set: string, mode: JudgeMode, system: string): string {
  return `${set === ARENA_JUDGE_PROMPT_SET ? "arena" : "3dcodebench"}-${mode}-${digestOf([USER_LAYOUT_VERSION, mode, system]).slice(0, 12)}`;
}

export function arenaJudgePrompt(mode: JudgeMode): JudgePrompt {
  const system = mode === "image" ? ARENA_IMAGE : ARENA_CODE;
  return { set: ARENA_JUDGE_PROMPT_SET, system, version: version(ARENA_JUDGE_PROMPT_SET, mode, system) };
}

/** The checkout's judge prompt for a mode; a missing, oversized or non-UTF-8 file is an error naming it. */
export async function benchmarkJudgePrompt(checkout: string, mode: JudgeMode): Promise<JudgePrompt> {
  if (!path.isAbsolute(checkout)) throw new JudgePromptError(`Benchmark checkout "${checkout}" must be an absolute path.`);
  const rel = BENCHMARK_JUDGE_FILES[mode];
  let bytes: Buffer | null;
  try {
    bytes = await readUntrusted(checkout, rel, MAX_PROMPT_BYTES);
  } catch (err) {
    if (err instanceof UntrustedFileError) throw new JudgePromptError(`Benchmark checkout ${checkout}: ${err.message}`);
    throw err;
  }
  if (bytes === null) throw new JudgePromptError(`Benchmark checkout ${checkout} has no ${rel}.`);
  let system: string;
  try {
    system = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new JudgePromptError(`Benchmark checkout ${checkout}: ${rel} is not UTF-8 text.`);
  }
  if (system.trim() === "") throw new JudgePromptError(`Benchmark checkout ${checkout}: ${rel} is empty.`);
  const set = `3dcodebench:${checkout}`;
  return { set, system, version: version(set, mode, system) };
}

/** "arena-default" or "3dcodebench" (needs BENCHMARK_CHECKOUT). */
export async function loadJudgePrompt(choice: "arena-default" | "3dcodebench", mode: JudgeMode, checkout: string | undefined): Promise<JudgePrompt> {
  if (choice === "arena-default") return arenaJudgePrompt(mode);
  if (!checkout) throw new JudgePromptError("The 3DCodeBench judge prompts need BENCHMARK_CHECKOUT (the path of a 3DCodeBench checkout).");
  return benchmarkJudgePrompt(checkout, mode);
}

/** A run stores its prompt set id; the job reloads the wording from it and checks the version. */
export async function promptForRun(set: string, mode: JudgeMode): Promise<JudgePrompt> {
  if (set === ARENA_JUDGE_PROMPT_SET) return arenaJudgePrompt(mode);
  if (set.startsWith("3dcodebench:")) return benchmarkJudgePrompt(set.slice("3dcodebench:".length), mode);
  throw new JudgePromptError(`Unknown judge prompt set "${set}".`);
}
