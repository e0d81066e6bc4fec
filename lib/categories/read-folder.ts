/**
 * Reads a category set in the 3DCodeBench layout (docs/benchmark.md §1). Pure file reading: no
 * database, so it is unit-testable and reusable by the benchmark importer.
 *
 * An imported folder is data, never paths (house rule 14): it may come from anywhere, and its
 * prompts and views become public. Every file is read through the runner's untrusted-file reader
 * (no symlink anywhere on the way, no FIFO, regular files under a size cap), text must be UTF-8,
 * and reference views are decoded and re-encoded so only their pixels are kept.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { readUntrusted } from "@/blender-runner/client/untrusted-file";
import { reencodePng } from "@/blender-runner/client/image-clean";

export const REFERENCE_VIEWS = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"] as const;

/** Our optional per-category extension file; the benchmark layout does not need it. */
const ZArenaMeta = z.object({
  tags: z.array(z.string()).default([]),
  timeLimitSec: z.number().int().positive().max(3600).optional(),
});

export interface CategoryFolder {
  instanceId: string;
  name: string;
  description: string;
  instruction: string;
  referenceScript: string;
  tags: string[];
  timeLimitSec: number | null;
  /** The four reference views as re-encoded PNG bytes, when all four exist. */
  referenceImages: Uint8Array[] | null;
  contentHash: string;
}

export interface FolderProblem {
  folder: string;
  reason: string;
}

const INSTANCE_RE = /^(.+)_seed\d+$/;

export async function readCategorySet(root: string): Promise<{ categories: CategoryFolder[]; problems: FolderProblem[] }> {
  if (!existsSync(root)) throw new Error(`Category folder not found: ${root}`);
  const entries = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  const categories: CategoryFolder[] = [];
  const problems: FolderProblem[] = [];
  for (const folder of entries) {
    try {
      categories.push(await readCategory(path.join(root, folder)));
    } catch (err) {
      problems.push({ folder, reason: (err as Error).message });
    }
  }
  return { categories, problems };
}

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
/** 2048 x 2048: four times the benchmark's 512 px views. */
const MAX_IMAGE_PIXELS = 2048 * 2048;

async function readText(dir: string, rel: string, label: string, maxBytes = MAX_TEXT_BYTES): Promise<string> {
  const bytes = await readUntrusted(dir, rel, maxBytes);
  if (!bytes) throw new Error(`missing ${label} (${rel})`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).trim();
  } catch {
    throw new Error(`${label} is not UTF-8 text (${rel})`);
  }
  if (!text) throw new Error(`${label} is empty (${rel})`);
  return text;
}

async function readView(dir: string, view: string): Promise<Uint8Array | null> {
  const bytes = await readUntrusted(dir, `images/${view}`, MAX_IMAGE_BYTES);
  if (!bytes) return null;
  try {
    return reencodePng(bytes, MAX_IMAGE_PIXELS).png;
  } catch (err) {
    throw new Error(`images/${view} is not a usable PNG: ${(err as Error).message}`);
  }
}

export async function readCategory(dir: string): Promise<CategoryFolder> {
  const instanceId = path.basename(dir);
  const m = INSTANCE_RE.exec(instanceId);
  if (!m?.[1]) throw new Error(`folder name must look like <Name>_seed<N>, got "${instanceId}"`);
  const referenceScript = await readText(dir, `${instanceId}.py`, "reference script", MAX_SCRIPT_BYTES);
  const description = await readText(dir, "prompt_description.txt", "description prompt");
  const instruction = await readText(dir, "prompt_instruction.txt", "instruction prompt");
  let meta: z.infer<typeof ZArenaMeta> = { tags: [] };
  if (existsSync(path.join(dir, "arena.json"))) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readText(dir, "arena.json", "arena.json"));
    } catch (err) {
      throw new Error(`arena.json is not JSON: ${(err as Error).message}`);
    }
    const parsed = ZArenaMeta.safeParse(raw);
    if (!parsed.success) throw new Error(`arena.json is invalid: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    meta = parsed.data;
  }
  const views = await Promise.all(REFERENCE_VIEWS.map((v) => readView(dir, v)));
  const referenceImages = views.every((v) => v !== null) ? (views as Uint8Array[]) : null;
  const hash = createHash("sha256");
  for (const part of [referenceScript, description, instruction, JSON.stringify(meta)]) hash.update(part).update("\0");
  for (const img of referenceImages ?? []) hash.update(img);
  return {
    instanceId,
    name: m[1],
    description,
    instruction,
    referenceScript,
    tags: meta.tags,
    timeLimitSec: meta.timeLimitSec ?? null,
    referenceImages,
    contentHash: hash.digest("hex"),
  };
}
