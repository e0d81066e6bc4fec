/**
 * Reads run folders made by 3DCodeBench's own runner and coding-agent scripts (benchmark-facts
 * §9, §10). Layouts:
 *   results/<model>[_image_to_3d[_N]]/<Name>_seedN/         (the runner's default)
 *   results/<text_to_3D|image_to_3D>/<model>/<Name>_seedN/   (the metric docs' layout)
 *   results/<text_to_3D|image_to_3D>_agent/<model>/<Name>_seedN/   (coding agents, no log.json)
 * A run folder holds `<inst>.py`, `prompt.txt`, `log.json` (`status` is the *inference* status:
 * OK / ERR / ERR_PARSE; `task` the track; `final_render_status` and `render_history` the
 * execution), `renders/render_log.json` (the execution status the benchmark scores),
 * `glb/export_log.json`, multi-turn attempts (`<inst>.attemptN.py`, `prompt.attemptN.txt`) and
 * `.terminal_fail`. An agent folder holds `<inst>.py`, `.agent_done`, `.agent_meta.json`.
 *
 * Pure file reading: every problem is reported per instance folder, in words, and never stops the
 * others. Folders are hostile data, never paths (house rule 14): every file goes through the
 * runner's untrusted reader (no symlinks, no FIFOs, size caps, UTF-8 only).
 */
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Track } from "@/lib/contracts";
import { readUntrusted } from "@/blender-runner/client/untrusted-file";

const num = z.number().finite().nonnegative().nullish();
const str = z.string().max(100_000).nullish();

const ZRenderHistory = z
  .array(
    z.object({
      attempt: z.number().int().nonnegative().nullish(),
      iter: z.number().int().nonnegative().nullish(),
      status: z.string().max(64).nullish(),
      n_meshes: z.number().int().nonnegative().nullish(),
      error_brief: str,
    }),
  )
  .max(64);

/** The log.json fields we use; others are ignored. */
export const ZResultLog = z.object({
  provider: z.string().max(200).nullish(),
  model: z.string().max(200).nullish(),
  task: z.string().max(64).nullish(),
  /** The inference status: OK (parseable code), ERR (provider failure), ERR_PARSE. */
  status: z.string().min(1).max(64),
  final_render_status: z.string().max(64).nullish(),
  render_history: ZRenderHistory.nullish(),
  parse_attempts: z.number().int().nonnegative().nullish(),
  latency_s: num,
  input_tokens: num,
  output_tokens: num,
  thoughts_tokens: num,
  cache_read_tokens: num,
  cache_creation_tokens: num,
  cost_usd: num,
  error: str,
});
export type ResultLog = z.infer<typeof ZResultLog>;

/** `.agent_meta.json` (benchmark-facts §10); fields by agent, all optional. */
export const ZAgentMeta = z.object({
  instance: z.string().max(200).nullish(),
  task: z.string().max(64).nullish(),
  model: z.string().max(200).nullish(),
  status: z.string().max(64).nullish(),
  agent_exit: z.number().int().nullish(),
  duration_s: num,
  code_chars: num,
  time_limit_s: num,
  cost_usd: num,
  input_tokens: num,
  output_tokens: num,
  cached_tokens: num,
  total_tokens: num,
  num_turns: num,
  tool_calls: num,
  agent_cli: z.string().max(64).nullish(),
});
export type AgentMeta = z.infer<typeof ZAgentMeta>;

const ZRenderLog = z.object({ status: z.string().max(64).nullable(), n_meshes: z.number().int().nullish(), error: str, latency_s: num });
const ZExportLog = z.object({ status: z.string().max(64).nullable(), error: str });

export const AGENT_STATUSES = ["OK_AGENT_DONE", "OK_SCRIPT_NO_SENTINEL", "ERR_NO_SCRIPT"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export interface ImportedAttempt {
  index: number;
  code: string | null;
  prompt: string | null;
  /** The status the benchmark recorded for this attempt (render_history). */
  status: string | null;
  errorBrief: string | null;
}

export interface ResultInstance {
  instanceId: string;
  track: Track;
  kind: "run" | "agent";
  /** Folder, relative to the imported root. */
  path: string;
  /** Null when the folder holds no final code (the model or agent produced none). */
  code: string | null;
  prompt: string | null;
  /** Run folders only. */
  log: ResultLog | null;
  /** Agent folders only (absent when the agent CLI exited non-zero). */
  agentMeta: AgentMeta | null;
  /** log.json.status, or the agent status (OK_AGENT_DONE / OK_SCRIPT_NO_SENTINEL / ERR_NO_SCRIPT). */
  inferenceStatus: string;
  /**
   * The execution status the benchmark scores: renders/render_log.json, else
   * log.json.final_render_status ("null" for a script that raised SystemExit); null when the
   * folder was never rendered.
   */
  execStatus: string | null;
  execError: string | null;
  /** glb/export_log.json status, when exported. */
  exportStatus: string | null;
  terminalFail: string | null;
  /** Multi-turn attempts in order (one entry for a single-shot run with a render history). */
  attempts: ImportedAttempt[];
}

export interface ResultProblem {
  path: string;
  reason: string;
}

export class ResultsTreeError extends Error {}

const INSTANCE_DIR = /^.+_seed\d+$/;
const IMAGE_MODEL_DIR = /_image_to_3d(?:_\d+)?$/;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_ATTEMPTS = 16;

function dirs(p: string): string[] {
  return readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function trackOfName(name: string): Track | null {
  if (name === "image_to_3D" || name === "image_to_3D_agent" || IMAGE_MODEL_DIR.test(name)) return "image";
  if (name === "text_to_3D" || name === "text_to_3D_agent") return "text";
  return null;
}

function trackOfTask(task: string | null | undefined): Track | null {
  if (task === "image_to_3d") return "image";
  if (task === "text_to_3d") return "text";
  return null;
}

/** The model folders to import for one model: every layout above that exists. */
export function modelDirs(root: string, modelDir: string): { track: Track; dir: string }[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new ResultsTreeError(`${root} is not a folder.`);
  // Pointed at the model folder itself.
  if (dirs(root).some((d) => INSTANCE_DIR.test(d))) {
    return [{ track: trackOfName(path.basename(root)) ?? trackOfName(path.basename(path.dirname(root))) ?? "text", dir: root }];
  }
  const base = path.basename(root);
  const candidates: { track: Track; dir: string }[] = [];
  const baseTrack = trackOfName(base);
  if (baseTrack) candidates.push({ track: baseTrack, dir: path.join(root, modelDir) });
  else {
    for (const name of ["text_to_3D", "image_to_3D", "text_to_3D_agent", "image_to_3D_agent"]) {
      candidates.push({ track: trackOfName(name)!, dir: path.join(root, name, modelDir) });
    }
    candidates.push({ track: "text", dir: path.join(root, modelDir) });
    for (const name of existsSync(root) ? dirs(root) : []) {
      if (name.startsWith(`${modelDir}_image_to_3d`) && IMAGE_MODEL_DIR.test(name)) candidates.push({ track: "image", dir: path.join(root, name) });
    }
  }
  const found = candidates.filter((c) => existsSync(c.dir) && statSync(c.dir).isDirectory());
  if (found.length === 0) {
    throw new ResultsTreeError(
      `No results for model "${modelDir}" under ${root} (looked for ${candidates.map((c) => path.relative(root, c.dir)).join(", ")}).`,
    );
  }
  return found;
}

/** A file of the instance folder as text; null when absent. Throws with a readable reason. */
async function readText(folder: string, name: string, cap = MAX_FILE_BYTES): Promise<string | null> {
  const bytes = await readUntrusted(folder, name, cap);
  if (!bytes) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text`);
  }
}

async function readJson<T>(folder: string, name: string, schema: z.ZodType<T>): Promise<T | null> {
  const text = await readText(folder, name, 1024 * 1024);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`unreadable ${name}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${name}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

function has(folder: string, name: string): boolean {
  try {
    return lstatSync(path.join(folder, name), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** The agent status rule of the benchmark's scripts, when .agent_meta.json does not say it. */
function agentStatus(code: string | null, done: boolean): string {
  if (code === null) return "ERR_NO_SCRIPT";
  return done ? "OK_AGENT_DONE" : "OK_SCRIPT_NO_SENTINEL";
}

async function readAttempts(folder: string, name: string, log: ResultLog): Promise<ImportedAttempt[]> {
  const history = log.render_history ?? [];
  const files = new Map<number, true>();
  for (const f of readdirSync(folder)) {
    const m = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.attempt(\\d{1,2})\\.py$`).exec(f);
    if (m && Number(m[1]) < MAX_ATTEMPTS) files.set(Number(m[1]), true);
  }
  const n = Math.min(MAX_ATTEMPTS, Math.max(history.length, files.size ? Math.max(...files.keys()) + 1 : 0));
  const attempts: ImportedAttempt[] = [];
  for (let k = 0; k < n; k++) {
    const h = history.find((e) => (e.attempt ?? e.iter) === k) ?? history[k];
    attempts.push({
      index: k,
      code: files.has(k) ? await readText(folder, `${name}.attempt${k}.py`) : null,
      prompt: k === 0 ? await readText(folder, "prompt.txt") : await readText(folder, `prompt.attempt${k}.txt`),
      status: h?.status ?? null,
      errorBrief: h?.error_brief || null,
    });
  }
  return attempts;
}

/** One instance folder; throws with a readable reason. `inherited` is the track its parents say. */
export async function readInstanceFolder(folder: string, name: string, rel: string, inherited: Track | null): Promise<ResultInstance> {
  const [log, code, prompt] = await Promise.all([readJson(folder, "log.json", ZResultLog), readText(folder, `${name}.py`), readText(folder, "prompt.txt")]);
  const agentish = [".agent_meta.json", ".agent_done", ".agent_stdout.log", ".agent_prompt.txt"].some((f) => has(folder, f)) || /_agent$/.test(path.basename(path.dirname(path.dirname(folder))));
  if (!log && !agentish) throw new Error("missing log.json");
  const renderLog = await readJson(folder, "renders/render_log.json", ZRenderLog);
  const exportLog = await readJson(folder, "glb/export_log.json", ZExportLog);
  const terminal = await readText(folder, ".terminal_fail", 64 * 1024);
  const recorded = (s: string | null | undefined) => (s === undefined ? null : (s ?? "null"));
  if (log) {
    const execStatus = renderLog ? recorded(renderLog.status) : log.final_render_status !== undefined && log.final_render_status !== null ? log.final_render_status : null;
    return {
      instanceId: name,
      track: trackOfTask(log.task) ?? inherited ?? "text",
      kind: "run",
      path: rel,
      code,
      prompt,
      log,
      agentMeta: null,
      inferenceStatus: log.status,
      execStatus,
      execError: renderLog?.error ?? null,
      exportStatus: exportLog ? recorded(exportLog.status) : null,
      terminalFail: terminal?.trim() || null,
      attempts: await readAttempts(folder, name, log),
    };
  }
  const meta = await readJson(folder, ".agent_meta.json", ZAgentMeta);
  const done = has(folder, ".agent_done");
  return {
    instanceId: name,
    track: trackOfTask(meta?.task) ?? inherited ?? "text",
    kind: "agent",
    path: rel,
    code,
    prompt: null,
    log: null,
    agentMeta: meta,
    inferenceStatus: meta?.status ?? agentStatus(code, done),
    execStatus: renderLog ? recorded(renderLog.status) : null,
    execError: renderLog?.error ?? null,
    exportStatus: exportLog ? recorded(exportLog.status) : null,
    terminalFail: terminal?.trim() || null,
    attempts: [],
  };
}

async function readModelDir(root: string, dir: string, track: Track | null, instances: ResultInstance[], problems: ResultProblem[]): Promise<void> {
  for (const name of dirs(dir)) {
    if (name.startsWith("_") || name.startsWith(".")) continue; // not instances (e.g. _metrics/)
    const folder = path.join(dir, name);
    const rel = path.relative(root, folder) || name;
    try {
      instances.push(await readInstanceFolder(folder, name, rel, track));
    } catch (err) {
      problems.push({ path: rel, reason: (err as Error).message });
    }
  }
}

export async function readResultsTree(root: string, modelDir: string): Promise<{ instances: ResultInstance[]; problems: ResultProblem[] }> {
  const instances: ResultInstance[] = [];
  const problems: ResultProblem[] = [];
  for (const { track, dir } of modelDirs(root, modelDir)) await readModelDir(root, dir, track, instances, problems);
  return { instances, problems };
}

/** One model folder given directly (bench:fidelity --results). */
export async function readRunFolder(dir: string): Promise<{ instances: ResultInstance[]; problems: ResultProblem[] }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ResultsTreeError(`${dir} is not a folder.`);
  const instances: ResultInstance[] = [];
  const problems: ResultProblem[] = [];
  const track = trackOfName(path.basename(dir)) ?? trackOfName(path.basename(path.dirname(dir)));
  await readModelDir(dir, dir, track, instances, problems);
  return { instances, problems };
}
