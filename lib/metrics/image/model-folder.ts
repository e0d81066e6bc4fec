/**
 * A model folder named by env (METRIC_SIGLIP2_DIR, METRIC_DINOV3_DIR): its ONNX exports, processor
 * config and tokenizer, checked without loading anything heavy, so the registry (and the admin page,
 * and the boards) can say exactly why a metric is unavailable. docs/metrics.md lists the layout.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ZProcessorConfig, type ProcessorConfig } from "./preprocess";

export type FolderCheck<T> = { ok: true; folder: T } | { ok: false; reason: string };

export interface ModelFolder {
  dir: string;
  /** Role -> absolute ONNX path, e.g. { vision: ".../vision_model.onnx" }. */
  onnx: Record<string, string>;
  processor: ProcessorConfig;
  /** arena-export.json, written by the export script: which checkpoint this is. */
  modelId: string | null;
  /** SigLIP-2 exports traced on one patch grid (arena-export.json tracedGrid): other grids are refused. */
  tracedGrid: [number, number] | null;
  tokenizer?: { json: unknown; config: Record<string, unknown>; maxLength: number; padId: number };
}

/** Exports sit at the folder's top or in onnx/ (optimum's and transformers.js's layout). */
function findOnnx(dir: string, file: string): string | null {
  for (const p of [path.join(dir, file), path.join(dir, "onnx", file)]) if (existsSync(p)) return p;
  return null;
}

function readJson(dir: string, file: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const p = path.join(dir, file);
  if (!existsSync(p)) return { ok: false, reason: `${file} missing in ${dir}` };
  try {
    return { ok: true, value: JSON.parse(readFileSync(p, "utf8")) };
  } catch {
    return { ok: false, reason: `${file} in ${dir} is not valid JSON` };
  }
}

const ZTokenizerConfig = z
  .object({ model_max_length: z.number().int().positive().max(4096), pad_token: z.union([z.string(), z.object({ content: z.string() })]) })
  .passthrough();

export function checkFolder(envName: string, dir: string | undefined, onnxFiles: Record<string, string>, withTokenizer: boolean): FolderCheck<ModelFolder> {
  if (!dir) return { ok: false, reason: `${envName} not set` };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { ok: false, reason: `${envName}=${dir} is not a folder` };
  const onnx: Record<string, string> = {};
  for (const [role, file] of Object.entries(onnxFiles)) {
    const p = findOnnx(dir, file);
    if (!p) return { ok: false, reason: `${file} missing in ${dir} (or its onnx/ folder)` };
    onnx[role] = p;
  }
  const pre = readJson(dir, "preprocessor_config.json");
  if (!pre.ok) return pre;
  const parsed = ZProcessorConfig.safeParse(pre.value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, reason: `preprocessor_config.json in ${dir}: ${i.path.join(".") || "(root)"}: ${i.message}` };
  }
  const processor = parsed.data;
  const naflex = processor.patch_size !== undefined && processor.max_num_patches !== undefined;
  if (!naflex && !processor.size) return { ok: false, reason: `preprocessor_config.json in ${dir} has neither patch_size + max_num_patches (NaFlex) nor size` };
  const exp = existsSync(path.join(dir, "arena-export.json")) ? readJson(dir, "arena-export.json") : null;
  const modelId = exp?.ok && typeof (exp.value as { modelId?: unknown }).modelId === "string" ? (exp.value as { modelId: string }).modelId : null;
  const grid = exp?.ok ? (exp.value as { tracedGrid?: unknown }).tracedGrid : undefined;
  const tracedGrid = Array.isArray(grid) && grid.length === 2 && grid.every((n) => Number.isInteger(n)) ? (grid as [number, number]) : null;
  const folder: ModelFolder = { dir, onnx, processor, modelId, tracedGrid };
  if (withTokenizer) {
    const tj = readJson(dir, "tokenizer.json");
    if (!tj.ok) return tj;
    const tc = readJson(dir, "tokenizer_config.json");
    if (!tc.ok) return tc;
    const cfg = ZTokenizerConfig.safeParse(tc.value);
    if (!cfg.success) return { ok: false, reason: `tokenizer_config.json in ${dir}: ${cfg.error.issues[0]!.path.join(".")}: ${cfg.error.issues[0]!.message}` };
    const padToken = typeof cfg.data.pad_token === "string" ? cfg.data.pad_token : cfg.data.pad_token.content;
    const vocab = (tj.value as { model?: { vocab?: Record<string, number> | [string, number][] } }).model?.vocab;
    const added = (tj.value as { added_tokens?: { id: number; content: string }[] }).added_tokens ?? [];
    const padId = added.find((t) => t.content === padToken)?.id ?? (vocab && !Array.isArray(vocab) ? vocab[padToken] : undefined);
    if (padId === undefined) return { ok: false, reason: `tokenizer.json in ${dir} has no id for the pad token ${padToken}` };
    folder.tokenizer = { json: tj.value, config: tc.value as Record<string, unknown>, maxLength: cfg.data.model_max_length, padId };
  }
  return { ok: true, folder };
}

const hashes = new Map<string, string>();

/** sha256 of the weights (ONNX file plus external data beside it), cached per path, size and mtime. */
export async function weightsHash(onnxPath: string): Promise<string> {
  const files = [onnxPath, `${onnxPath}_data`, `${onnxPath}.data`].filter((p) => existsSync(p));
  const key = files.map((p) => `${p}:${statSync(p).size}:${statSync(p).mtimeMs}`).join("|");
  const hit = hashes.get(key);
  if (hit) return hit;
  const h = createHash("sha256");
  for (const p of files) {
    for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  }
  const digest = `sha256:${h.digest("hex")}`;
  hashes.set(key, digest);
  return digest;
}
