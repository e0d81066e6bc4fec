/**
 * Image preprocessing for the ONNX encoders, following the Hugging Face processor config shipped in
 * each model folder (preprocessor_config.json): PNG bytes -> RGB with alpha dropped (PIL's
 * `convert("RGB")`, what the benchmark does: Blender leaves transparent pixels black, so the
 * background is black) -> resize -> rescale -> normalise, then either a fixed-size CHW tensor
 * (DINOv3, ViT processors) or SigLIP-2 NaFlex patches with their mask and grid.
 *
 * A render is data a sandbox left behind (house rules §14): size-capped, decoded from memory, and
 * any problem is an ImageInputError whose message becomes the failed row's reason.
 */
import { PNG } from "pngjs";
import { z } from "zod";

export class ImageInputError extends Error {}

/** Caps on a view: bytes, pixels a side. Renders are a few hundred px; far past that is hostile. */
export const MAX_VIEW_BYTES = 32 * 1024 * 1024;
export const MAX_VIEW_SIDE = 4096;
export const MIN_VIEW_SIDE = 16;

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved RGB, 8 bits a channel. */
  data: Uint8Array;
}

/** Reads the IHDR before decoding, so a small file claiming a huge image is refused cheaply. */
export function decodeView(bytes: Buffer, label: string): RgbImage {
  if (bytes.length > MAX_VIEW_BYTES) throw new ImageInputError(`${label} is ${bytes.length} bytes; at most ${MAX_VIEW_BYTES} are read`);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(sig) || bytes.toString("latin1", 12, 16) !== "IHDR") {
    throw new ImageInputError(`${label} is not a PNG file`);
  }
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width > MAX_VIEW_SIDE || height > MAX_VIEW_SIDE) throw new ImageInputError(`${label} is ${width}x${height} px; at most ${MAX_VIEW_SIDE} px a side`);
  if (width < MIN_VIEW_SIDE || height < MIN_VIEW_SIDE) throw new ImageInputError(`${label} is ${width}x${height} px; at least ${MIN_VIEW_SIDE} px a side`);
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (err) {
    throw new ImageInputError(`${label} could not be decoded as PNG (${err instanceof Error ? err.message : String(err)})`);
  }
  // pngjs gives 8-bit RGBA whatever the source (grey, palette, 16-bit); alpha is dropped, not blended.
  const data = new Uint8Array(png.width * png.height * 3);
  for (let i = 0, j = 0; i < png.data.length; i += 4, j += 3) {
    data[j] = png.data[i]!;
    data[j + 1] = png.data[i + 1]!;
    data[j + 2] = png.data[i + 2]!;
  }
  return { width: png.width, height: png.height, data };
}

/** PIL's resampling coefficients for the bilinear (triangle) filter, widened when shrinking (antialias). */
function coefficients(inSize: number, outSize: number): { start: number[]; weights: number[][] } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // bilinear support 1.0
  const start: number[] = [];
  const weights: number[][] = [];
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(0, Math.trunc(center - support + 0.5));
    const hi = Math.min(inSize, Math.trunc(center + support + 0.5));
    const w: number[] = [];
    let sum = 0;
    for (let x = lo; x < hi; x++) {
      const t = Math.max(0, 1 - Math.abs((x - center + 0.5) / filterScale));
      w.push(t);
      sum += t;
    }
    start.push(lo);
    weights.push(w.map((t) => (sum > 0 ? t / sum : 0)));
  }
  return { start, weights };
}

const clip8 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Bilinear resize as PIL does it on 8-bit images: horizontal pass, then vertical, rounding between. */
export function resizeBilinear(img: RgbImage, width: number, height: number): RgbImage {
  if (img.width === width && img.height === height) return img;
  const h = coefficients(img.width, width);
  const mid = new Uint8Array(width * img.height * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      const w = h.weights[x]!;
      const s = h.start[x]!;
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += w[k]! * img.data[(y * img.width + s + k) * 3 + c]!;
        mid[(y * width + x) * 3 + c] = clip8(acc);
      }
    }
  }
  const v = coefficients(img.height, height);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const w = v.weights[y]!;
    const s = v.start[y]!;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += w[k]! * mid[((s + k) * width + x) * 3 + c]!;
        out[(y * width + x) * 3 + c] = clip8(acc);
      }
    }
  }
  return { width, height, data: out };
}

/** Saved configs write null for unset keys; null means the processor's default. */
const opt = <T extends z.ZodType>(t: T) => z.preprocess((v) => (v === null ? undefined : v), t);

/** The keys of a Hugging Face image processor config that these encoders use (others are ignored). */
export const ZProcessorConfig = z.object({
  image_processor_type: opt(z.string().optional()),
  do_resize: opt(z.boolean().default(true)),
  /** 2 = PIL bilinear, the only filter implemented (SigLIP-2's and DINOv3's). */
  resample: opt(z.literal(2).default(2)),
  do_rescale: opt(z.boolean().default(true)),
  rescale_factor: opt(z.number().positive().default(1 / 255)),
  do_normalize: opt(z.boolean().default(true)),
  image_mean: z.array(z.number()).length(3),
  image_std: z.array(z.number().positive()).length(3),
  // NaFlex (SigLIP-2): patches at the native aspect ratio, at most max_num_patches of them.
  patch_size: opt(z.number().int().positive().optional()),
  max_num_patches: opt(z.number().int().positive().max(16384).optional()),
  // Fixed-size processors.
  size: opt(
    z
      .union([z.object({ height: z.number().int().positive().max(4096), width: z.number().int().positive().max(4096) }), z.object({ shortest_edge: z.number().int().positive().max(4096) })])
      .optional(),
  ),
  do_center_crop: opt(z.boolean().default(false)),
  crop_size: opt(z.object({ height: z.number().int().positive(), width: z.number().int().positive() }).optional()),
});
export type ProcessorConfig = z.infer<typeof ZProcessorConfig>;

function normalise(img: RgbImage, cfg: ProcessorConfig, c: number, v: number): number {
  const x = cfg.do_rescale ? v * cfg.rescale_factor : v;
  return cfg.do_normalize ? (x - cfg.image_mean[c]!) / cfg.image_std[c]! : x;
}

/** Fixed-size input: resize (and centre-crop) as the config says, then CHW float32. */
export function fixedSizeTensor(img: RgbImage, cfg: ProcessorConfig): { data: Float32Array; width: number; height: number } {
  let out = img;
  if (cfg.do_resize && cfg.size) {
    if ("height" in cfg.size) out = resizeBilinear(out, cfg.size.width, cfg.size.height);
    else {
      const s = cfg.size.shortest_edge;
      const short = Math.min(out.width, out.height);
      const long = Math.max(out.width, out.height);
      const longOut = Math.trunc((s * long) / short);
      out = out.width <= out.height ? resizeBilinear(out, s, longOut) : resizeBilinear(out, longOut, s);
    }
  }
  let x0 = 0;
  let y0 = 0;
  let w = out.width;
  let h = out.height;
  if (cfg.do_center_crop && cfg.crop_size) {
    w = cfg.crop_size.width;
    h = cfg.crop_size.height;
    if (w > out.width || h > out.height) throw new ImageInputError(`the crop ${w}x${h} is larger than the resized view ${out.width}x${out.height}`);
    x0 = Math.trunc((out.width - w) / 2);
    y0 = Math.trunc((out.height - h) / 2);
  }
  const data = new Float32Array(3 * w * h);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) data[c * w * h + y * w + x] = normalise(out, cfg, c, out.data[((y + y0) * out.width + x + x0) * 3 + c]!);
  return { data, width: w, height: h };
}

/**
 * SigLIP-2 NaFlex target size: the largest scale whose size, rounded up to whole patches, stays within
 * max_num_patches (the processor's binary search on the scale).
 */
export function naflexSize(height: number, width: number, patch: number, maxPatches: number): { height: number; width: number } {
  const scaled = (scale: number, size: number) => Math.max(patch, Math.ceil((size * scale) / patch) * patch);
  let lo = 1e-6;
  let hi = 100;
  while (hi - lo >= 1e-5) {
    const mid = (lo + hi) / 2;
    if ((scaled(mid, height) / patch) * (scaled(mid, width) / patch) <= maxPatches) lo = mid;
    else hi = mid;
  }
  return { height: scaled(lo, height), width: scaled(lo, width) };
}

/** NaFlex input: patches (row-major, each patch row-major over y, x, channel), mask, grid. */
export function naflexPatches(img: RgbImage, cfg: ProcessorConfig): { patches: Float32Array; mask: BigInt64Array; grid: [number, number] } {
  const p = cfg.patch_size!;
  const max = cfg.max_num_patches!;
  const size = naflexSize(img.height, img.width, p, max);
  const out = cfg.do_resize ? resizeBilinear(img, size.width, size.height) : img;
  const gh = Math.trunc(out.height / p);
  const gw = Math.trunc(out.width / p);
  const dim = p * p * 3;
  const patches = new Float32Array(max * dim);
  const mask = new BigInt64Array(max);
  for (let py = 0; py < gh; py++)
    for (let px = 0; px < gw; px++) {
      const k = py * gw + px;
      mask[k] = 1n;
      let i = k * dim;
      for (let y = 0; y < p; y++)
        for (let x = 0; x < p; x++)
          for (let c = 0; c < 3; c++) patches[i++] = normalise(out, cfg, c, out.data[((py * p + y) * out.width + px * p + x) * 3 + c]!);
    }
  return { patches, mask, grid: [gh, gw] };
}
