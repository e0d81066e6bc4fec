/**
 * Chamfer distance between a generated and a reference shape (benchmark-facts §4). Lower is
 * better; 0 means identical surfaces after each cloud is normalised on its own. Two rotation
 * searches are reported: the benchmark's (the generated cloud turned about the GLB's Z axis, which
 * in a Y-up GLB is a horizontal axis: it tips the object over) and turns about the true vertical
 * (GLB +Y). Failures are the benchmark's: an unreadable GLB or no triangles (we also fail a mesh
 * whose triangles all have zero area, which trimesh would sample degenerately). A cloud with fewer
 * than MIN_POINTS distinct points is scored, only flagged.
 */
import { loadGlbTriangles } from "@/lib/metrics/glb-mesh";
import { KdTree } from "@/lib/metrics/kdtree";
import { countDistinct, SAMPLE_COUNT, sampleSurface } from "@/lib/metrics/sampling";

/** Fewer distinct points than this is flagged (`fewDistinctPoints`); the benchmark scores it anyway. */
export const MIN_POINTS = 2048;
/** §5: the penalised mean scores a failure as this multiple of the worst executable CD. */
export const FAILURE_FACTOR = 1.5;
/** The generated cloud is also tried at these turns (benchmark-facts §4). */
export const ROTATIONS_DEG = [0, 90, 180, 270] as const;
/** "z": the benchmark's (about the GLB's Z axis, horizontal in Blender terms); "y": about the vertical. */
export type RotationAxis = "z" | "y";

export type RotationDeg = (typeof ROTATIONS_DEG)[number];

/** A sampled, unit-sphere-normalised cloud with its k-d tree; reusable across comparisons. */
export interface PreparedCloud {
  points: Float64Array;
  tree: KdTree;
}

export type CloudResult = { ok: true; cloud: PreparedCloud; fewDistinctPoints: boolean } | { ok: false; reason: string };

export type ChamferResult =
  | {
      ok: true;
      cd: number;
      /** The benchmark's cd_yawmin: min over turns about the GLB's Z axis, and its argmin. */
      cdRotMin: number;
      bestRotationDeg: RotationDeg;
      /** The same search about the vertical (GLB +Y). */
      cdRotMinVertical: number;
      bestRotationVerticalDeg: RotationDeg;
      points: number;
      /** Arena-only flag: a cloud with fewer than MIN_POINTS distinct points (still scored, as there). */
      fewDistinctPoints: boolean;
    }
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

/** Samples and normalises a triangle soup; fails only when there is no surface to sample. */
export function prepareCloud(tris: Float32Array): CloudResult {
  const sample = sampleSurface(tris, SAMPLE_COUNT);
  if (sample.area === 0) return { ok: false, reason: tris.length ? "mesh has no triangles with non-zero area" : "mesh has no triangles" };
  const fewDistinctPoints = countDistinct(sample.points) < MIN_POINTS;
  const points = normaliseCloud(sample.points);
  return { ok: true, cloud: { points, tree: new KdTree(points) }, fewDistinctPoints };
}

/**
 * Mean over `from` of the squared distance to the nearest point of `to`, after turning `from` by
 * R = [[c, -s], [s, c]] in the plane of the two axes the rotation moves: for "z" (the benchmark's
 * R = [[c,-s,0],[s,c,0],[0,0,1]] applied to the generated points) x' = c x - s y, y' = s x + c y;
 * for "y" the same about +Y: z' = c z - s x, x' = s z + c x.
 */
function meanNearest(from: Float64Array, to: KdTree, cos: number, sin: number, axis: RotationAxis): number {
  let sum = 0;
  for (let k = 0; k < from.length; k += 3) {
    const x = from[k]!;
    const y = from[k + 1]!;
    const z = from[k + 2]!;
    sum += axis === "z" ? to.nearest(cos * x - sin * y, sin * x + cos * y, z).dist2 : to.nearest(sin * z + cos * x, y, cos * z - sin * x).dist2;
  }
  return sum / (from.length / 3);
}

/** CD with the generated cloud turned by `deg` about `axis`: symmetric, squared, summed. */
export function chamferAtRotation(gen: PreparedCloud, ref: PreparedCloud, deg: RotationDeg, axis: RotationAxis = "z"): number {
  // Exact quarter-turn values: Math.cos(Math.PI / 2) is 6e-17, not 0.
  const cos = [1, 0, -1, 0][deg / 90]!;
  const sin = [0, 1, 0, -1][deg / 90]!;
  // |R g - r| = |g - R^-1 r|, so the reference side is queried turned the other way and neither
  // tree is rebuilt per rotation.
  return meanNearest(gen.points, ref.tree, cos, sin, axis) + meanNearest(ref.points, gen.tree, cos, -sin, axis);
}

function search(gen: PreparedCloud, ref: PreparedCloud, axis: RotationAxis, cd0: number): { min: number; best: RotationDeg } {
  let min = cd0;
  let best: RotationDeg = 0;
  for (const deg of ROTATIONS_DEG) {
    if (deg === 0) continue;
    const value = chamferAtRotation(gen, ref, deg, axis);
    if (value < min) {
      min = value; // first minimum wins, as numpy's argmin
      best = deg;
    }
  }
  return { min, best };
}

export function chamferBetweenClouds(gen: PreparedCloud, ref: PreparedCloud, fewDistinctPoints = false): ChamferResult & { ok: true } {
  const cd = chamferAtRotation(gen, ref, 0);
  const z = search(gen, ref, "z", cd);
  const y = search(gen, ref, "y", cd);
  return { ok: true, cd, cdRotMin: z.min, bestRotationDeg: z.best, cdRotMinVertical: y.min, bestRotationVerticalDeg: y.best, points: SAMPLE_COUNT, fewDistinctPoints };
}

/** Flat triangle lists in, Chamfer result out (the GLB-free core, also used by tests). */
export function chamferBetweenTriangles(gen: Float32Array, ref: Float32Array): ChamferResult {
  const r = prepareCloud(ref);
  if (!r.ok) return { ok: false, side: "reference", reason: r.reason };
  const g = prepareCloud(gen);
  if (!g.ok) return { ok: false, side: "generated", reason: g.reason };
  return chamferBetweenClouds(g.cloud, r.cloud, g.fewDistinctPoints || r.fewDistinctPoints);
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

/** Mean over the instances that have a score (numbers): the benchmark's conditional mean; null when none. */
export function conditionalMean(values: readonly (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  return ok.length > 0 ? ok.reduce((s, v) => s + v, 0) / ok.length : null;
}

/**
 * Mean over all instances, a failure (null: no GLB, unreadable, no triangles, no reference)
 * counting FAILURE_FACTOR x the worst successfully computed CD of the same set, whatever the
 * execution status (benchmark-facts §4). Null when nothing was scored: there is no worst CD.
 */
export function penalisedMean(values: readonly (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  if (ok.length === 0) return null;
  const penalty = FAILURE_FACTOR * ok.reduce((m, v) => Math.max(m, v), -Infinity);
  return values.reduce<number>((s, v) => s + (v ?? penalty), 0) / values.length;
}

/**
 * The same from aggregates (a database groupBy): n instances, of which `scored` have a value with
 * mean `mean` and maximum `max`.
 */
export function penalisedFromAggregates(n: number, scored: number, mean: number | null, max: number | null): number | null {
  if (!n || !scored || mean === null || max === null) return null;
  return (mean * scored + (n - scored) * FAILURE_FACTOR * max) / n;
}
