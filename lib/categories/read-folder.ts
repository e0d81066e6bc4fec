/**
 * Reads a category set in the 3DCodeBench layout (benchmark-compat §1). Pure file reading: no
 * database, so it is unit-testable and reusable by the benchmark importer.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

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
  /** Absolute paths of the bundled reference views, when all four exist. */
  referenceImages: string[] | null;
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

async function readText(file: string, label: string): Promise<string> {
  if (!existsSync(file)) throw new Error(`missing ${label} (${path.basename(file)})`);
  const text = (await readFile(file, "utf8")).trim();
  if (!text) throw new Error(`${label} is empty (${path.basename(file)})`);
  return text;
}

export async function readCategory(dir: string): Promise<CategoryFolder> {
  const instanceId = path.basename(dir);
  const m = INSTANCE_RE.exec(instanceId);
  if (!m?.[1]) throw new Error(`folder name must look like <Name>_seed<N>, got "${instanceId}"`);
  const referenceScript = await readText(path.join(dir, `${instanceId}.py`), "reference script");
  const description = await readText(path.join(dir, "prompt_description.txt"), "description prompt");
  const instruction = await readText(path.join(dir, "prompt_instruction.txt"), "instruction prompt");
  let meta: z.infer<typeof ZArenaMeta> = { tags: [] };
  const metaPath = path.join(dir, "arena.json");
  if (existsSync(metaPath)) {
    const parsed = ZArenaMeta.safeParse(JSON.parse(await readFile(metaPath, "utf8")));
    if (!parsed.success) throw new Error(`arena.json is invalid: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    meta = parsed.data;
  }
  const imagePaths = REFERENCE_VIEWS.map((v) => path.join(dir, "images", v));
  const referenceImages = imagePaths.every((p) => existsSync(p)) ? imagePaths : null;
  const hash = createHash("sha256");
  for (const part of [referenceScript, description, instruction, JSON.stringify(meta)]) hash.update(part).update("\0");
  for (const img of referenceImages ?? []) hash.update(await readFile(img));
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
