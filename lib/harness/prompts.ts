/**
 * What a model is asked in our own words: the `arena-default` prompt set (docs/benchmark.md §6).
 * The system prompt states the §6 rules one by one and nothing more: adding rules would change
 * what the models are measured on. The benchmark's own wording is read from a checkout instead
 * (prompt set `3dcodebench:<checkout>`, lib/harness/benchmark-prompts.ts), never copied here.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CodeRequest, PreviousAttempt } from "@/lib/contestants/types";
import type { ChatImage } from "@/lib/providers/types";
import type { PromptSet } from "./prompt-set";

/** docs/benchmark.md §6, rule by rule. */
export const ALLOWED_IMPORTS = [
  "bpy",
  "bmesh",
  "mathutils",
  "math",
  "random",
  "itertools",
  "collections",
  "functools",
  "dataclasses",
  "enum",
  "typing",
  "numpy",
  "scipy",
] as const;

export const SYSTEM_PROMPT = [
  "You write Python scripts for Blender 5.0 that procedurally build one 3D object.",
  "",
  "Rules:",
  "1. Output raw Python only: no Markdown fences and no explanations before or after the code. Your whole answer must parse as Python.",
  "2. Target the Blender 5.0 Python API.",
  `3. Import only these modules: ${ALLOWED_IMPORTS.join(", ")}.`,
  "4. Clear the scene first: delete every existing object.",
  "5. Build one object, centred at the origin. Do not add a ground plane, floor or backdrop.",
  "6. Do not render, do not save or export files, and do not call sys.exit().",
  "7. Keep the geometry within a few hundred thousand vertices in total.",
].join("\n");

/** The Image -> 3D task: one line, then the four reference views (docs/benchmark.md §4 cameras). */
export const IMAGE_INSTRUCTION =
  "Write the Blender 5.0 Python script that builds the object shown in these four reference views (azimuth 45, 135, 225 and 315 degrees, elevation about 18 degrees).";

/** docs/benchmark.md §6: error text in feedback is cut to 3,000 characters, 70% head, 30% tail. */
export const FEEDBACK_ERROR_CHARS = 3_000;

export interface UserMessage {
  text: string;
  images?: ChatImage[];
}

export function textTask(req: Pick<CodeRequest, "category" | "settings">): string {
  const useInstruction = req.settings.textPrompt === "instruction";
  return (useInstruction ? req.category.instruction : req.category.description).trim();
}

const MEDIA_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

export async function referenceImages(paths: string[]): Promise<ChatImage[]> {
  return Promise.all(
    paths.map(async (p) => ({
      mediaType: MEDIA_TYPES[path.extname(p).toLowerCase()] ?? "image/png",
      data: (await readFile(p)).toString("base64"),
    })),
  );
}

/**
 * The first message of a task: the caption (Text -> 3D) or the image instruction plus the four
 * views. The instruction is the prompt set's (the arena's own when none is given).
 */
export async function taskMessage(
  req: Pick<CodeRequest, "category" | "settings" | "track">,
  set?: Pick<PromptSet, "imageUserMessage">,
): Promise<UserMessage> {
  if (req.track === "image") {
    if (req.category.referenceImages.length === 0) throw new Error(`${req.category.instanceId} has no reference views`);
    return { text: set?.imageUserMessage ?? IMAGE_INSTRUCTION, images: await referenceImages(req.category.referenceImages) };
  }
  return { text: textTask(req) };
}

/** Cuts long error text to `max` characters: the first 70% and the last 30%, with a marker between. */
export function cutErrorText(text: string, max = FEEDBACK_ERROR_CHARS): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  const tail = max - head;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n[... ${cut} characters cut ...]\n${text.slice(text.length - tail)}`;
}

/**
 * A multi-turn retry (docs/benchmark.md §6): a fresh call holding the original task, the previous
 * code, its status and the (cut) error text.
 */
export function feedbackText(task: string, previous: PreviousAttempt): string {
  const parts = [task, ""];
  if (previous.code) {
    parts.push("Your previous script was:", "```python", previous.code.trimEnd(), "```", "");
    parts.push(`Executed in Blender 5.0, it ended with status ${previous.execStatus ?? "unknown"}.`);
  } else {
    parts.push("Your previous answer contained no parseable Python code.");
  }
  if (previous.errorText) parts.push("Error:", cutErrorText(previous.errorText));
  parts.push("", "Fix the problem and output the complete corrected script.");
  return parts.join("\n");
}

/** The names the views go by in a feedback message: their file names when they look like views. */
function viewNames(paths: string[]): string[] {
  const names = paths.map((p) => path.basename(p));
  return names.every((n) => /^Image_\d{3}\.png$/.test(n)) ? names : paths.map((_, i) => `Image_${String(5 + 10 * i).padStart(3, "0")}.png`);
}

/**
 * A multi-turn retry: the arena's wording (feedbackText) unless a prompt set is given, whose
 * feedback then also sees the attempt number and the attempts allowed.
 */
export async function feedbackMessage(
  req: Pick<CodeRequest, "category" | "settings" | "track" | "attempt">,
  previous: PreviousAttempt,
  ctx?: { set: PromptSet; maxAttempts: number },
): Promise<UserMessage> {
  const task = await taskMessage(req, ctx?.set);
  if (!ctx) return { text: feedbackText(task.text, previous), images: task.images };
  const text = ctx.set.feedback({
    track: req.track,
    taskText: task.text,
    imageNames: task.images ? viewNames(req.category.referenceImages) : [],
    previous,
    attemptNumber: req.attempt + 1,
    maxAttempts: ctx.maxAttempts,
  });
  return { text, images: task.images };
}
