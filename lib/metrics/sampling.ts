/**
 * Area-weighted uniform surface sampling for Chamfer (docs/benchmark.md §5: 8,192 points, a
 * deterministic seed). The benchmark's own sampler and seed are not published in a form we can
 * reproduce bit for bit, so scores match its definition, not its exact point sets.
 */

import { mulberry32 } from "@/lib/math/mulberry32";

/** §5: points per surface. */
export const SAMPLE_COUNT = 8192;
/**
 * Fixed seed, used for generated and reference meshes alike, so that a mesh compared with itself
 * scores exactly 0 and every score is reproducible. Changing it moves every stored score slightly.
 */
export const SAMPLE_SEED = 0x3dc0de;

export interface SurfaceSample {
  /** Packed xyz, `count` points; empty when the surface has no area. */
  points: Float64Array;
  /** Total area of the non-degenerate triangles. */
  area: number;
  /** Non-degenerate triangles that could be sampled. */
  triangles: number;
  /** Index (in the input list) of the triangle each point lies on: how a point takes its colour. */
  faces: Uint32Array;
}

/** Samples `count` points uniformly by area from a flat triangle list (9 floats per triangle). */
export function sampleSurface(tris: Float32Array, count = SAMPLE_COUNT, seed = SAMPLE_SEED): SurfaceSample {
  const total = Math.floor(tris.length / 9);
  const usable: number[] = [];
  const cumulative: number[] = [];
  let area = 0;
  for (let t = 0; t < total; t++) {
    const o = 9 * t;
    const ux = tris[o + 3]! - tris[o]!;
    const uy = tris[o + 4]! - tris[o + 1]!;
    const uz = tris[o + 5]! - tris[o + 2]!;
    const vx = tris[o + 6]! - tris[o]!;
    const vy = tris[o + 7]! - tris[o + 1]!;
    const vz = tris[o + 8]! - tris[o + 2]!;
    const cx = uy * vz - uz * vy;
    const cy = uz * vx - ux * vz;
    const cz = ux * vy - uy * vx;
    const a = 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    // Degenerate (zero area) or broken (NaN/Inf vertices) triangles carry no surface.
    if (!(a > 0) || !Number.isFinite(a)) continue;
    area += a;
    usable.push(o);
    cumulative.push(area);
  }
  if (usable.length === 0) return { points: new Float64Array(0), area: 0, triangles: 0, faces: new Uint32Array(0) };

  const rand = mulberry32(seed);
  const points = new Float64Array(count * 3);
  const faces = new Uint32Array(count);
  for (let s = 0; s < count; s++) {
    // First triangle whose cumulative area exceeds the target (binary search).
    const target = rand() * area;
    let lo = 0;
    let hi = usable.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    const o = usable[lo]!;
    faces[s] = o / 9;
    // Uniform barycentric coordinates via the square-root trick (Osada et al. 2002).
    const r1 = Math.sqrt(rand());
    const r2 = rand();
    const a = 1 - r1;
    const b = r1 * (1 - r2);
    const c = r1 * r2;
    for (let k = 0; k < 3; k++) points[3 * s + k] = a * tris[o + k]! + b * tris[o + 3 + k]! + c * tris[o + 6 + k]!;
  }
  return { points, area, triangles: usable.length, faces };
}

/**
 * Distinct points at the GLB's own float32 precision. A surface so small (or so far from the
 * origin) that its samples collapse onto a few float32 values has no usable shape.
 */
export function countDistinct(points: Float64Array): number {
  const seen = new Set<string>();
  const f = Math.fround;
  for (let k = 0; k < points.length; k += 3) seen.add(`${f(points[k]!)},${f(points[k + 1]!)},${f(points[k + 2]!)}`);
  return seen.size;
}
