/**
 * The image metric family (benchmark-compat §5, §9): SigLIP-2 and DINOv3 view similarity to the
 * reference views, and SigLIP-2 text-image similarity to the caption, run with ONNX Runtime on the
 * model folders named by METRIC_SIGLIP2_DIR and METRIC_DINOV3_DIR. docs/metrics.md defines each score.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { metricsEnv } from "@/lib/env";
import type { MetricAvailability, MetricInput, MetricOutcome, MetricPlugin, MetricScoreKey } from "../registry";
import { checkFolder, weightsHash, type FolderCheck, type ModelFolder } from "./model-folder";
import { decodeView, ImageInputError, type RgbImage } from "./preprocess";
import { bestAssignment, cosineMatrix, dot, pairedScore } from "./pairing";
import { embedImages, embedText, metricDevice, ModelLoadError, ortVersion } from "./encoder";

const PAIRING = {
  matrix: "4x4 cosine of L2-normalised embeddings, generated view i (rows) vs reference view j (columns), views Image_005/015/025/035",
  paired: "mean of the diagonal entries present (view i vs reference view i)",
  best: "mean over the optimal one-to-one matching of present views (exhaustive, = Hungarian)",
  missingViews: "a view that is absent is left out of the output's score; an output with none fails (0 in penalised means)",
};
const ALPHA = "RGB channels kept, alpha dropped (PIL convert('RGB'), as the benchmark)";

type Spec = { env: "METRIC_SIGLIP2_DIR" | "METRIC_DINOV3_DIR"; onnx: Record<string, string>; tokenizer: boolean };
const SIGLIP_IMAGE: Spec = { env: "METRIC_SIGLIP2_DIR", onnx: { vision: "vision_model.onnx" }, tokenizer: false };
const SIGLIP_TEXT: Spec = { env: "METRIC_SIGLIP2_DIR", onnx: { vision: "vision_model.onnx", text: "text_model.onnx" }, tokenizer: true };
const DINO: Spec = { env: "METRIC_DINOV3_DIR", onnx: { model: "model.onnx" }, tokenizer: false };

function folderFor(spec: Spec): FolderCheck<ModelFolder> {
  return checkFolder(spec.env, metricsEnv()[spec.env], spec.onnx, spec.tokenizer);
}

/** Load failures seen in this process: the folder looks right but ONNX Runtime refused it. */
const loadFailures = new Map<string, string>();

function availability(spec: Spec): MetricAvailability {
  const f = folderFor(spec);
  if (!f.ok) return { available: false, reason: f.reason };
  const failed = loadFailures.get(f.folder.dir);
  return failed ? { available: false, reason: failed } : { available: true };
}

function folderOrThrow(spec: Spec): ModelFolder {
  const f = folderFor(spec);
  if (!f.ok) throw new ModelLoadError(f.reason);
  return f.folder;
}

async function definitionOf(spec: Spec, extra: Record<string, unknown>): Promise<Record<string, unknown>> {
  const f = folderOrThrow(spec);
  const weights: Record<string, string> = {};
  for (const [role, p] of Object.entries(f.onnx)) weights[role] = await weightsHash(p);
  return {
    modelId: f.modelId ?? "unknown (no arena-export.json in the folder)",
    folder: f.dir,
    weights,
    runtime: `onnxruntime-node ${await ortVersion()} on ${metricDevice()}`,
    preprocessing: { alpha: ALPHA, resize: "PIL bilinear (antialiased), 8-bit between passes", processor: f.processor },
    ...(f.tokenizer ? { text: { maxLength: f.tokenizer.maxLength, padding: "max_length", truncation: true, padId: f.tokenizer.padId } } : {}),
    ...extra,
  };
}

const VIEW_LABELS = ["Image_005", "Image_015", "Image_025", "Image_035"];

/** Decodes the views that exist; a bad file fails the whole output with its reason. */
async function readViews(paths: (string | null)[] | undefined, side: string): Promise<(RgbImage | null)[]> {
  const list = paths ?? [];
  return Promise.all(
    VIEW_LABELS.map(async (label, i) => {
      const p = list[i];
      if (!p) return null;
      return decodeView(await readFile(p), `${side} view ${label}${path.extname(p) ? "" : ""}`);
    }),
  );
}

async function embedPresent(folder: ModelFolder, role: string, views: (RgbImage | null)[]): Promise<(Float32Array | null)[]> {
  const present = views.filter((v): v is RgbImage => v !== null);
  const vecs = await embedImages(folder, role, present);
  let k = 0;
  return views.map((v) => (v ? vecs[k++]! : null));
}

/** Runs `fn`, mapping a bad input to a failed outcome and a model that will not load to a thrown error. */
async function guarded(spec: Spec, fn: () => Promise<MetricOutcome>): Promise<MetricOutcome> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ImageInputError) return { status: "failed", reason: err.message };
    if (err instanceof ModelLoadError) {
      const f = folderFor(spec);
      if (f.ok) loadFailures.set(f.folder.dir, err.message);
    }
    throw err;
  }
}

const PAIR_SCORES = (name: string): MetricScoreKey[] => [
  { key: "paired", label: `${name} view-paired`, higherIsBetter: true, penalty: "zero" },
  { key: "best", label: `${name} best-assignment`, higherIsBetter: true, penalty: "zero" },
];

function viewSimilarity(id: string, label: string, spec: Spec, role: string, embedding: string): MetricPlugin {
  return {
    id,
    label,
    version: "1",
    needs: ["renders", "referenceRenders"],
    scores: PAIR_SCORES(label),
    availability: async () => availability(spec),
    definition: () => definitionOf(spec, { embedding, pairing: PAIRING }),
    compute: (input: MetricInput) =>
      guarded(spec, async () => {
        const folder = folderOrThrow(spec);
        const gen = await readViews(input.renders, "generated");
        const ref = await readViews(input.referenceRenders, "reference");
        const nGen = gen.filter(Boolean).length;
        const nRef = ref.filter(Boolean).length;
        if (nRef === 0) return { status: "failed", reason: "the category has no reference views" };
        if (nGen === 0) return { status: "failed", reason: "the output has no rendered views" };
        const [g, r] = [await embedPresent(folder, role, gen), await embedPresent(folder, role, ref)];
        const matrix = cosineMatrix(g, r);
        const best = bestAssignment(matrix);
        return {
          status: "ok",
          values: { paired: pairedScore(matrix), best: best.score },
          details: { matrix, assignment: best.assignment, views: { generated: nGen, reference: nRef }, complete: nGen === 4 && nRef === 4 },
        };
      }),
  };
}

function textImage(): MetricPlugin {
  const spec = SIGLIP_TEXT;
  return {
    id: "siglip2-text",
    label: "SigLIP-2 text-image",
    version: "1",
    needs: ["renders", "referenceRenders", "prompt"],
    // The benchmark scores text-image on Text -> 3D outputs only: an Image -> 3D task's prompt is its
    // reference views, which siglip2-image already compares with (docs/metrics.md).
    tracks: ["text"],
    scores: [
      { key: "mean", label: "SigLIP-2 text-image mean", higherIsBetter: true, penalty: "zero" },
      { key: "max", label: "SigLIP-2 text-image max", higherIsBetter: true, penalty: "zero" },
    ],
    availability: async () => availability(spec),
    definition: () =>
      definitionOf(spec, {
        embedding: "SigLIP-2 text tower (pooled) vs image tower (pooled), L2-normalised",
        text: "the category's caption (description), as the Text -> 3D prompt",
        scores: { mean: "mean cosine over the rendered views present", max: "max cosine over them" },
        baseline: "details.reference: the same scores on the category's reference views",
      }),
    compute: (input: MetricInput) =>
      guarded(spec, async () => {
        const folder = folderOrThrow(spec);
        const caption = input.prompt?.trim();
        if (!caption) return { status: "failed", reason: "the category has no caption" };
        const gen = await readViews(input.renders, "generated");
        if (!gen.some(Boolean)) return { status: "failed", reason: "the output has no rendered views" };
        const ref = await readViews(input.referenceRenders, "reference");
        const { embedding: t, tokens } = await embedText(folder, "text", caption);
        const sims = (await embedPresent(folder, "vision", gen)).map((v) => (v ? dot(v, t) : null));
        const refSims = (await embedPresent(folder, "vision", ref)).map((v) => (v ? dot(v, t) : null));
        const stats = (xs: (number | null)[]) => {
          const ok = xs.filter((x): x is number => x !== null);
          return ok.length ? { mean: ok.reduce((a, b) => a + b, 0) / ok.length, max: Math.max(...ok) } : { mean: null, max: null };
        };
        const n = sims.filter((x) => x !== null).length;
        return {
          status: "ok",
          values: stats(sims),
          details: { perView: sims, views: { generated: n }, complete: n === 4, tokens, reference: { perView: refSims, ...stats(refSims) } },
        };
      }),
  };
}

/** Registry family: the three image metrics, whatever their availability. */
export function imageMetricPlugins(): MetricPlugin[] {
  return [
    viewSimilarity("siglip2-image", "SigLIP-2", SIGLIP_IMAGE, "vision", "SigLIP-2 image features (vision tower pooled output)"),
    viewSimilarity("dinov3-image", "DINOv3", DINO, "model", "DINOv3 pooler_output"),
    textImage(),
  ];
}
