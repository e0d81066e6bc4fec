/**
 * Loads the 3DCodeBench prompt set from a checkout of the benchmark (docs/benchmark.md §6, "Prompt
 * sets"). The files are the checkout's own, read at run time through the untrusted reader (house
 * rule 14: no symlink anywhere on the way, regular files only, a size cap), decoded as strict
 * UTF-8 and checked: a missing or malformed file is an error naming it.
 */
import path from "node:path";
import { stat } from "node:fs/promises";
import { readUntrusted, UntrustedFileError } from "@/blender-runner/client/untrusted-file";
import {
  benchmarkErrorText,
  fillFeedbackTemplate,
  imageTaskBlock,
  parseFeedbackTemplate,
  pyRstrip,
  TemplateError,
  withApiReference,
} from "./benchmark-rules";
import { IMAGE_INSTRUCTION } from "./prompts";
import { BENCHMARK_RULES, digestOf, PromptSetError, promptSetId, type PromptSet } from "./prompt-set";

/** The checkout layout (relative paths). */
export const BENCHMARK_PROMPT_FILES = {
  text: "prompts/text_to_3d_system_prompt.txt",
  image: "prompts/image_to_3d_system_prompt.txt",
  feedback: "prompts/multi_turn_feedback_template.txt",
  apiReference: "prompts/blender_5_api_reference.txt",
} as const;
/** Where the benchmark keeps the Image -> 3D user text (a Python constant); optional. */
export const BENCHMARK_INPUTS_PY = "core/inputs.py";
const IMAGE_TEXT_CONSTANT = "IMAGE_TASK_USER_TEXT";

/** The largest prompt file is the API reference (16 KB); anything far bigger is not a prompt. */
export const MAX_PROMPT_FILE_BYTES = 256 * 1024;
const MAX_INPUTS_PY_BYTES = 1024 * 1024;

async function readText(checkout: string, rel: string, maxBytes: number, required: boolean): Promise<string | null> {
  let bytes: Buffer | null;
  try {
    bytes = await readUntrusted(checkout, rel, maxBytes);
  } catch (err) {
    if (err instanceof UntrustedFileError) throw new PromptSetError(`Benchmark checkout ${checkout}: ${err.message}`);
    throw err;
  }
  if (bytes === null) {
    if (required) throw new PromptSetError(`Benchmark checkout ${checkout} has no ${rel}.`);
    return null;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new PromptSetError(`Benchmark checkout ${checkout}: ${rel} is not UTF-8 text.`);
  }
}

/**
 * The value of `IMAGE_TASK_USER_TEXT = ( "..." "..." )` (adjacent double-quoted literals, simple
 * escapes only); null when the file does not assign it in that form.
 */
export function imageTextFromInputsPy(source: string): string | null {
  const m = new RegExp(`^${IMAGE_TEXT_CONSTANT}\\s*=\\s*(\\(\\s*((?:"(?:[^"\\\\\\n]|\\\\.)*"\\s*)+)\\)|("(?:[^"\\\\\\n]|\\\\.)*"))`, "m").exec(source);
  if (!m) return null;
  const literals = (m[2] ?? m[3] ?? "").match(/"(?:[^"\\\n]|\\.)*"/g) ?? [];
  const ESC: Record<string, string> = { n: "\n", t: "\t", "\\": "\\", '"': '"', "'": "'" };
  let out = "";
  for (const lit of literals) {
    const body = lit.slice(1, -1);
    if (/\\[^nt\\"']/.test(body)) return null;
    out += body.replace(/\\(.)/g, (_, c: string) => ESC[c]!);
  }
  return out || null;
}

export async function loadBenchmarkPromptSet(checkout: string, opts: { apiReference: boolean }): Promise<PromptSet> {
  if (!path.isAbsolute(checkout)) throw new PromptSetError(`Benchmark checkout "${checkout}" must be an absolute path.`);
  const st = await stat(checkout).catch(() => null);
  if (!st?.isDirectory()) throw new PromptSetError(`Benchmark checkout ${checkout} is not a folder.`);

  const F = BENCHMARK_PROMPT_FILES;
  const [text, image, feedback, apiReference, inputsPy] = await Promise.all([
    readText(checkout, F.text, MAX_PROMPT_FILE_BYTES, true),
    readText(checkout, F.image, MAX_PROMPT_FILE_BYTES, true),
    readText(checkout, F.feedback, MAX_PROMPT_FILE_BYTES, true),
    opts.apiReference ? readText(checkout, F.apiReference, MAX_PROMPT_FILE_BYTES, true) : Promise.resolve(null),
    readText(checkout, BENCHMARK_INPUTS_PY, MAX_INPUTS_PY_BYTES, false),
  ]);
  for (const [rel, body] of [[F.text, text], [F.image, image]] as const) {
    if (!body || pyRstrip(body) === "") throw new PromptSetError(`Benchmark checkout ${checkout}: ${rel} is empty.`);
  }
  let template;
  try {
    template = parseFeedbackTemplate(feedback!);
  } catch (err) {
    if (err instanceof TemplateError) throw new PromptSetError(`Benchmark checkout ${checkout}: ${F.feedback}: ${err.message}`);
    throw err;
  }

  const notes: string[] = [];
  let imageUserMessage: string;
  if (inputsPy === null) {
    imageUserMessage = IMAGE_INSTRUCTION;
    notes.push(`${BENCHMARK_INPUTS_PY} is not in the checkout: the Image -> 3D user text is the arena's own.`);
  } else {
    const found = imageTextFromInputsPy(inputsPy);
    if (found === null) throw new PromptSetError(`Benchmark checkout ${checkout}: ${BENCHMARK_INPUTS_PY} does not assign ${IMAGE_TEXT_CONSTANT} as a plain string.`);
    imageUserMessage = found;
  }

  // The files are read verbatim (a trailing newline is kept), as the benchmark's runner reads them.
  const system = { text: text!, image: image! };
  if (apiReference !== null) {
    system.text = withApiReference(system.text, apiReference);
    system.image = withApiReference(system.image, apiReference);
  }
  const id = promptSetId({ kind: "3dcodebench", checkout, apiReference: opts.apiReference });
  return {
    id,
    digest: digestOf([system.text, system.image, imageUserMessage, feedback!]),
    label: `3DCodeBench prompts${opts.apiReference ? " with API reference" : ""}`,
    systemPrompt: (track) => (track === "image" ? system.image : system.text),
    imageUserMessage,
    feedback: (i) =>
      fillFeedbackTemplate(template, {
        original_task_block: i.track === "image" ? imageTaskBlock(i.taskText, i.imageNames) : i.taskText,
        prev_code: pyRstrip(i.previous.code ?? ""),
        status: i.previous.execStatus ?? "None",
        n_meshes: i.previous.meshObjects ?? 0,
        n_views_rendered: i.previous.viewsRendered ?? 0,
        attempt_num: i.attemptNumber,
        max_attempts: i.maxAttempts,
        error_text: benchmarkErrorText(i.previous.errorText),
      }),
    rules: BENCHMARK_RULES,
    notes,
  };
}

/** Whether the checkout offers the "with API reference" variant. */
export async function hasApiReference(checkout: string): Promise<boolean> {
  try {
    return (await readUntrusted(checkout, BENCHMARK_PROMPT_FILES.apiReference, MAX_PROMPT_FILE_BYTES)) !== null;
  } catch {
    return false;
  }
}
