/**
 * Chamfer distance between a generated and a reference shape (benchmark-compat §5). Lower is
 * better; 0 means identical surfaces after each cloud is normalised on its own.
 */
import { loadGlbTriangles } from "@/lib/metrics/glb-mesh";
import { KdTree } from "@/lib/metrics/kdtree";
import { countDistinct, SAMPLE_COUNT, sampleSurface } from "@/lib/metrics/sampling";

/** §5: a mesh yielding fewer points than this is a failure, not a score. */
export const MIN_POINTS = 2048;
/** §5: the penalised mean scores a failure as this multiple of the worst executable CD. */
export const FAILURE_FACTOR = 1.5;
/** §5: the generated cloud is also tried at these turns about the vertical axis (+Y in a GLB, §3). */
export const ROTATIONS_DEG = [0, 90, 180, 270] as const;

export type RotationDeg = (typeof ROTATIONS_DEG)[number];

/** A sampled, unit-sphere-normalised cloud with its k-d tree; reusable across comparisons. */
export interface PreparedCloud {
  points: Float64Array;
  tree: KdTree;
}

export type CloudResult = { ok: true; cloud: PreparedCloud } | { ok: false; reason: string };

export type ChamferResult =
  | { ok: true; cd: number; cdRotMin: number; bestRotationDeg: RotationDeg; points: number }
  | { ok: false; side: "generated" | "reference"; reason: string };

/** Subtracts the centroid and divides by the largest norm, so the cloud fits the unit sphere. */
export function normaliseCloud(points: Float64Array): Float64Array {
  const n = points.length / 3;
  const centre = [0, 0, 0];
  for (let k = 0; k < points.length; k++) centre[k % 3]! += points[k]! / n;
  const out = new Float64Array(points.length);
  let maxNorm2 = 0;
  for (let k = 0; k < points.length; k += 3) {
    const x = (out[k] = points[k]! - centre[0]!);
    const y = (out[k + 1] = points[k + 1]! - centre[1]!);
    const z = (out[k + 2] = points[k + 2]! - centre[2]!);
    maxNorm2 = Math.max(maxNorm2, x * x + y * y + z * z);
  }
  const scale = maxNorm2 > 0 ? 1 / Math.sqrt(maxNorm2) : 1;
  for (let k = 0; k < out.length; k++) out[k]! *= scale;
  return out;
}

/** Samples and normalises a triangle soup; fails on zero area or too few distinct points. */
export function prepareCloud(tris: Float32Array): CloudResult {
  const sample = sampleSurface(tris, SAMPLE_COUNT);
  if (sample.area === 0) return { ok: false, reason: "mesh has no triangles with non-zero area" };
  const distinct = countDistinct(sample.points);
  if (distinct < MIN_POINTS) return { ok: false, reason: `only ${distinct} distinct sample points (< ${MIN_POINTS})` };
  const points = normaliseCloud(sample.points);
  return { ok: true, cloud: { points, tree: new KdTree(points) } };
}

/** Mean over `from` of the squared distance to the nearest point of `to`, after turning `from`. */
function meanNearest(from: Float64Array, to: KdTree, cos: number, sin: number): number {
  let sum = 0;
  for (let k = 0; k < from.length; k += 3) {
    const x = from[k]!;
    const z = from[k + 2]!;
    // Right-handed rotation about +Y: x' = x cos + z sin, z' = -x sin + z cos.
    sum += to.nearest(x * cos + z * sin, from[k + 1]!, -x * sin + z * cos).dist2;
  }
  return sum / (from.length / 3);
}

/** CD with the generated cloud turned by `deg` about +Y: symmetric, squared, summed (§5). */
export function chamferAtRotation(gen: PreparedCloud, ref: PreparedCloud, deg: RotationDeg): number {
  // Exact quarter-turn values: Math.cos(Math.PI / 2) is 6e-17, not 0.
  const cos = [1, 0, -1, 0][deg / 90]!;
  const sin = [0, 1, 0, -1][deg / 90]!;
  // |R g - r| = |g - R^-1 r|, so the reference side is queried turned the other way and neither
  // tree is rebuilt per rotation.
  return meanNearest(gen.points, ref.tree, cos, sin) + meanNearest(ref.points, gen.tree, cos, -sin);
}

export function chamferBetweenClouds(gen: PreparedCloud, ref: PreparedCloud): ChamferResult & { ok: true } {
  let cdRotMin = Infinity;
  let bestRotationDeg: RotationDeg = 0;
  let cd = Infinity;
  for (const deg of ROTATIONS_DEG) {
    const value = chamferAtRotation(gen, ref, deg);
    if (deg === 0) cd = value;
    if (value < cdRotMin) {
      cdRotMin = value;
      bestRotationDeg = deg;
    }
  }
  return { ok: true, cd, cdRotMin, bestRotationDeg, points: SAMPLE_COUNT };
}

/** Flat triangle lists in, Chamfer result out (the GLB-free core, also used by tests). */
export function chamferBetweenTriangles(gen: Float32Array, ref: Float32Array): ChamferResult {
  const r = prepareCloud(ref);
  if (!r.ok) return { ok: false, side: "reference", reason: r.reason };
  const g = prepareCloud(gen);
  if (!g.ok) return { ok: false, side: "generated", reason: g.reason };
  return chamferBetweenClouds(g.cloud, r.cloud);
}

/**
 * Chamfer between two metric GLBs (paths or bytes). An unreadable GLB is a failure of that side,
 * like an empty one: the score must never silently become a number.
 */
export async function chamferBetweenGlbs(gen: string | Uint8Array, ref: string | Uint8Array): Promise<ChamferResult> {
  const load = async (side: "generated" | "reference", source: string | Uint8Array) => {
    try {
      return { ok: true as const, tris: await loadGlbTriangles(source) };
    } catch (e) {
      return { ok: false as const, side, reason: `unreadable GLB: ${e instanceof Error ? e.message : String(e)}` };
    }
  };
  const r = await load("reference", ref);
  if (!r.ok) return r;
  const g = await load("generated", gen);
  if (!g.ok) return g;
  return chamferBetweenTriangles(g.tris, r.tris);
}

/** Mean over executable instances (numbers); null when there are none. */
export function conditionalMean(values: readonly (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  return ok.length > 0 ? ok.reduce((s, v) => s + v, 0) / ok.length : null;
}

/**
 * Mean over all instances, a failure (null) counting FAILURE_FACTOR x the worst CD among the
 * executable ones (§5). Null when nothing is executable: there is no worst CD to scale.
 */
export function penalisedMean(values: readonly (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  if (ok.length === 0) return null;
  const penalty = FAILURE_FACTOR * ok.reduce((m, v) => Math.max(m, v), -Infinity);
  return values.reduce<number>((s, v) => s + (v ?? penalty), 0) / values.length;
}
