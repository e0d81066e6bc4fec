/**
 * Coloured point clouds for point-cloud metrics (Uni3D through a command plugin, issue 16 part 3):
 * 8,192 points sampled uniformly by area from a metric GLB (benchmark-compat §9: "8,192 points
 * coloured by face colour, else grey 0.4"), written as a binary PLY that Python (plyfile, trimesh,
 * open3d) and a few lines of any language read.
 *
 * Coordinates stay in the GLB's own frame (Y-up, metres, not centred or rescaled): normalising is
 * part of a metric's definition (Uni3D centres and scales to the unit sphere), so the command does
 * it and says so in its definition.
 */
import { readGlb, sceneColouredTriangles } from "@/lib/metrics/glb-mesh";
import { SAMPLE_COUNT, SAMPLE_SEED, sampleSurface } from "@/lib/metrics/sampling";

export interface ColouredCloud {
  /** Packed xyz. */
  points: Float32Array;
  /** Packed rgb, 0-255 (the benchmark's face colours are 8-bit too). */
  colours: Uint8Array;
}

export type CloudSampling = { ok: true; cloud: ColouredCloud } | { ok: false; reason: string };

/** Samples SAMPLE_COUNT coloured points from GLB bytes; a GLB without surface is a failure. */
export async function sampleColouredCloud(glb: Uint8Array, count = SAMPLE_COUNT): Promise<CloudSampling> {
  let tris: Float32Array;
  let triColours: Float32Array;
  try {
    ({ tris, colours: triColours } = sceneColouredTriangles(await readGlb(glb)));
  } catch (err) {
    return { ok: false, reason: `metric GLB could not be read (${err instanceof Error ? err.message.slice(0, 200) : "unknown error"})` };
  }
  const sample = sampleSurface(tris, count, SAMPLE_SEED);
  if (sample.area === 0) return { ok: false, reason: tris.length ? "mesh has no triangles with non-zero area" : "mesh has no triangles" };
  const points = Float32Array.from(sample.points);
  const colours = new Uint8Array(count * 3);
  for (let s = 0; s < count; s++) {
    const face = sample.faces[s]!;
    for (let k = 0; k < 3; k++) colours[3 * s + k] = Math.round(triColours[3 * face + k]! * 255);
  }
  return { ok: true, cloud: { points, colours } };
}

/** Bytes per vertex in the PLY below: three float32 then three uint8. */
const STRIDE = 15;

/** Binary little-endian PLY: `x y z` float, `red green blue` uchar, no faces. */
export function encodePly(cloud: ColouredCloud): Uint8Array {
  const n = cloud.points.length / 3;
  const header = Buffer.from(
    "ply\nformat binary_little_endian 1.0\ncomment 3DCodeArena metric point cloud: GLB frame (Y-up), not normalised\n" +
      `element vertex ${n}\nproperty float x\nproperty float y\nproperty float z\n` +
      "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n",
    "ascii",
  );
  const body = Buffer.alloc(n * STRIDE);
  for (let i = 0; i < n; i++) {
    const o = i * STRIDE;
    body.writeFloatLE(cloud.points[3 * i]!, o);
    body.writeFloatLE(cloud.points[3 * i + 1]!, o + 4);
    body.writeFloatLE(cloud.points[3 * i + 2]!, o + 8);
    body[o + 12] = cloud.colours[3 * i]!;
    body[o + 13] = cloud.colours[3 * i + 1]!;
    body[o + 14] = cloud.colours[3 * i + 2]!;
  }
  return new Uint8Array(Buffer.concat([header, body]));
}
