/**
 * ONNX Runtime sessions for the encoders, loaded lazily (only metric workers and the bench load the
 * native binding) and cached per file. Device: METRIC_DEVICE=cpu | cuda | auto (default): auto uses
 * the CUDA execution provider when its library is installed next to the binding (a GPU host installs
 * it with ONNXRUNTIME_NODE_INSTALL=cuda12, docs/metrics.md), else the CPU.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { metricsEnv } from "@/lib/env";
import type { ModelFolder } from "./model-folder";
import { fixedSizeTensor, ImageInputError, naflexPatches, type RgbImage } from "./preprocess";
import { l2normalise } from "./pairing";

type Ort = typeof import("onnxruntime-node");
let ortModule: Promise<Ort> | null = null;
const ort = () => (ortModule ??= import("onnxruntime-node").then((m) => ((m as { default?: Ort }).default ?? m) as Ort));

/** The device sessions run on here: "cuda" or "cpu". */
export function metricDevice(): "cuda" | "cpu" {
  const want = metricsEnv().METRIC_DEVICE;
  if (want !== "auto") return want;
  try {
    const binding = path.dirname(createRequire(path.join(metricsEnv().ARENA_ROOT, "package.json")).resolve("onnxruntime-node"));
    const lib = path.join(binding, "..", "bin", "napi-v6", process.platform, process.arch, "libonnxruntime_providers_cuda.so");
    return existsSync(lib) ? "cuda" : "cpu";
  } catch {
    return "cpu";
  }
}

export async function ortVersion(): Promise<string> {
  return (await ort()).env.versions.node ?? "unknown";
}

export class ModelLoadError extends Error {}

const sessions = new Map<string, Promise<InferenceSession>>();

export async function session(file: string): Promise<InferenceSession> {
  const key = `${file}:${statSync(file).mtimeMs}:${metricDevice()}`;
  let s = sessions.get(key);
  if (!s) {
    const device = metricDevice();
    s = ort().then((o) =>
      o.InferenceSession.create(file, { executionProviders: device === "cuda" ? ["cuda", "cpu"] : ["cpu"], graphOptimizationLevel: "all" }).catch((err: unknown) => {
        sessions.delete(key);
        throw new ModelLoadError(`${path.basename(file)} could not be loaded on ${device}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      }),
    );
    sessions.set(key, s);
  }
  return s;
}

/** The pooled embedding: the export's `pooler_output` (or its only 2-D output), L2-normalised per row. */
function pooled(out: InferenceSession.OnnxValueMapType, names: readonly string[], batch: number): Float32Array[] {
  const name = names.includes("pooler_output") ? "pooler_output" : names.find((n) => /embeds$/.test(n)) ?? names[0]!;
  const t = out[name] as Tensor;
  if (t.dims.length !== 2 || t.dims[0] !== batch) throw new ModelLoadError(`output ${name} has shape [${t.dims.join(", ")}]; a pooled [batch, dim] output is expected`);
  const dim = Number(t.dims[1]);
  const data = t.data as Float32Array;
  return Array.from({ length: batch }, (_, i) => l2normalise(data.subarray(i * dim, (i + 1) * dim)));
}

/** Image embeddings of several views in one batch, preprocessed as the folder's processor config says. */
export async function embedImages(folder: ModelFolder, role: string, images: RgbImage[]): Promise<Float32Array[]> {
  if (!images.length) return [];
  const o = await ort();
  const s = await session(folder.onnx[role]!);
  const cfg = folder.processor;
  const feeds: Record<string, Tensor> = {};
  if (cfg.patch_size !== undefined && cfg.max_num_patches !== undefined) {
    const dim = cfg.patch_size * cfg.patch_size * 3;
    const n = cfg.max_num_patches;
    const pv = new Float32Array(images.length * n * dim);
    const mask = new BigInt64Array(images.length * n);
    const grid = new BigInt64Array(images.length * 2);
    images.forEach((img, i) => {
      const p = naflexPatches(img, cfg);
      const traced = folder.tracedGrid;
      if (traced && (p.grid[0] !== traced[0] || p.grid[1] !== traced[1])) {
        throw new ImageInputError(`a ${img.width}x${img.height} px view makes a ${p.grid.join("x")} patch grid; this export was traced for ${traced.join("x")} (square views)`);
      }
      pv.set(p.patches, i * n * dim);
      mask.set(p.mask, i * n);
      grid[i * 2] = BigInt(p.grid[0]);
      grid[i * 2 + 1] = BigInt(p.grid[1]);
    });
    feeds.pixel_values = new o.Tensor("float32", pv, [images.length, n, dim]);
    if (s.inputNames.includes("pixel_attention_mask")) feeds.pixel_attention_mask = new o.Tensor("int64", mask, [images.length, n]);
    if (s.inputNames.includes("spatial_shapes")) feeds.spatial_shapes = new o.Tensor("int64", grid, [images.length, 2]);
  } else {
    const tensors = images.map((img) => fixedSizeTensor(img, cfg));
    const { width, height } = tensors[0]!;
    const pv = new Float32Array(images.length * 3 * width * height);
    tensors.forEach((t, i) => pv.set(t.data, i * t.data.length));
    feeds.pixel_values = new o.Tensor("float32", pv, [images.length, 3, height, width]);
  }
  return pooled(await s.run(feeds), s.outputNames, images.length);
}

type TokenizerLike = { encode(text: string): { ids: number[] } };
const tokenizers = new Map<string, Promise<TokenizerLike>>();

/**
 * Token ids as the SigLIP-2 processor gives them to the text tower: the tokenizer's own special
 * tokens, truncated and padded to model_max_length (padding="max_length", truncation=True).
 */
export async function tokenize(folder: ModelFolder, text: string): Promise<{ ids: BigInt64Array; mask: BigInt64Array; tokens: number }> {
  const t = folder.tokenizer!;
  let tok = tokenizers.get(folder.dir);
  if (!tok) {
    tok = import("@huggingface/tokenizers").then(({ Tokenizer }) => new Tokenizer(t.json as never, t.config as never) as unknown as TokenizerLike);
    tokenizers.set(folder.dir, tok);
  }
  const ids = (await tok).encode(text).ids.slice(0, t.maxLength);
  const out = new BigInt64Array(t.maxLength).fill(BigInt(t.padId));
  const mask = new BigInt64Array(t.maxLength);
  ids.forEach((id, i) => {
    out[i] = BigInt(id);
    mask[i] = 1n;
  });
  return { ids: out, mask, tokens: ids.length };
}

export async function embedText(folder: ModelFolder, role: string, text: string): Promise<{ embedding: Float32Array; tokens: number }> {
  const o = await ort();
  const s = await session(folder.onnx[role]!);
  const { ids, mask, tokens } = await tokenize(folder, text);
  const feeds: Record<string, Tensor> = { input_ids: new o.Tensor("int64", ids, [1, ids.length]) };
  if (s.inputNames.includes("attention_mask")) feeds.attention_mask = new o.Tensor("int64", mask, [1, mask.length]);
  return { embedding: pooled(await s.run(feeds), s.outputNames, 1)[0]!, tokens };
}
