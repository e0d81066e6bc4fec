/**
 * Reads a results tree made elsewhere (benchmark-compat §7):
 * `results/[text_to_3D|image_to_3D/]<model>/<Name>_seed0/` with `<Name>_seed0.py` (final code),
 * `prompt.txt` and `log.json`. Pure file reading: every problem is reported per instance folder,
 * in words, and never stops the others. The tree is data, never paths (house rule 14): files are
 * read through the runner's untrusted-file reader (no symlinks, no FIFOs, size caps, UTF-8 only).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Track } from "@/lib/contracts";
import { readUntrusted } from "@/blender-runner/client/untrusted-file";

const TRACK_DIRS: Record<string, Track> = { text_to_3D: "text", image_to_3D: "image" };

const num = z.number().finite().nonnegative().nullish();
/** The log.json fields we use; others (render_history, ...) are ignored. */
export const ZResultLog = z.object({
  provider: z.string().nullish(),
  model: z.string().nullish(),
  status: z.string().min(1),
  latency_s: num,
  input_tokens: num,
  output_tokens: num,
  thoughts_tokens: num,
  cache_read_tokens: num,
  cache_creation_tokens: num,
  cost_usd: num,
});
export type ResultLog = z.infer<typeof ZResultLog>;

export interface ResultInstance {
  instanceId: string;
  track: Track;
  /** Folder, relative to the imported root. */
  path: string;
  /** Null when the tree holds no final code (the model produced none). */
  code: string | null;
  prompt: string | null;
  log: ResultLog;
}

export interface ResultProblem {
  path: string;
  reason: string;
}

export class ResultsTreeError extends Error {}

const INSTANCE_DIR = /^.+_seed\d+$/;

function dirs(p: string): string[] {
  return readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The model folders to import, one per track present. */
export function modelDirs(root: string, modelDir: string): { track: Track; dir: string }[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new ResultsTreeError(`${root} is not a folder.`);
  const base = path.basename(root);
  // Pointed at the model folder itself.
  if (dirs(root).some((d) => INSTANCE_DIR.test(d))) {
    const parent = path.basename(path.dirname(root));
    return [{ track: TRACK_DIRS[parent] ?? "text", dir: root }];
  }
  const candidates: { track: Track; dir: string }[] = [];
  if (TRACK_DIRS[base]) candidates.push({ track: TRACK_DIRS[base], dir: path.join(root, modelDir) });
  else {
    for (const [name, track] of Object.entries(TRACK_DIRS)) candidates.push({ track, dir: path.join(root, name, modelDir) });
    // No track folder: the benchmark's default layout is Text -> 3D.
    candidates.push({ track: "text", dir: path.join(root, modelDir) });
  }
  const found = candidates.filter((c) => existsSync(c.dir) && statSync(c.dir).isDirectory());
  if (found.length === 0) {
    throw new ResultsTreeError(
      `No results for model "${modelDir}" under ${root} (looked for ${candidates.map((c) => path.relative(root, c.dir)).join(", ")}).`,
    );
  }
  return found;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A file of the instance folder as text; null when absent. Throws with a readable reason. */
async function readText(folder: string, name: string): Promise<string | null> {
  const bytes = await readUntrusted(folder, name, MAX_FILE_BYTES);
  if (!bytes) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text`);
  }
}

export async function readResultsTree(root: string, modelDir: string): Promise<{ instances: ResultInstance[]; problems: ResultProblem[] }> {
  const instances: ResultInstance[] = [];
  const problems: ResultProblem[] = [];
  for (const { track, dir } of modelDirs(root, modelDir)) {
    for (const name of dirs(dir)) {
      if (name.startsWith("_")) continue; // §7: not instances
      const folder = path.join(dir, name);
      const rel = path.relative(root, folder) || name;
      let logText: string | null;
      let code: string | null;
      let prompt: string | null;
      try {
        [logText, code, prompt] = await Promise.all([readText(folder, "log.json"), readText(folder, `${name}.py`), readText(folder, "prompt.txt")]);
      } catch (err) {
        problems.push({ path: rel, reason: (err as Error).message });
        continue;
      }
      if (logText === null) {
        problems.push({ path: rel, reason: "missing log.json" });
        continue;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(logText);
      } catch (err) {
        problems.push({ path: rel, reason: `unreadable log.json: ${(err as Error).message}` });
        continue;
      }
      const log = ZResultLog.safeParse(raw);
      if (!log.success) {
        const issue = log.error.issues[0]!;
        problems.push({ path: rel, reason: `log.json: ${issue.path.join(".") || "(root)"}: ${issue.message}` });
        continue;
      }
      instances.push({
        instanceId: name,
        track,
        path: rel,
        code,
        prompt,
        log: log.data,
      });
    }
  }
  return { instances, problems };
}
