/**
 * Triangle soup from a metric GLB (docs/benchmark.md §3: mesh objects only, modifiers applied,
 * Y-up, not recentred or rescaled), in world space, for Chamfer sampling.
 */
import { Document, Logger, NodeIO, Primitive, type mat4 } from "@gltf-transform/core";

// One reader for the process. Optional extensions are only material/texture data the metric
// ignores, so their "missing optional extension" warnings are noise; required ones still throw.
const io = new NodeIO().setLogger(new Logger(Logger.Verbosity.ERROR));

/** Reads a GLB from disk or memory; throws if it is not a readable glTF binary. */
export async function readGlb(source: string | Uint8Array): Promise<Document> {
  return typeof source === "string" ? io.read(source) : io.readBinary(source);
}

/**
 * Flat [x0 y0 z0 x1 y1 z1 x2 y2 z2, ...] per triangle of every TRIANGLES primitive reachable from
 * the default scene (else the first scene), with node world matrices applied. Points, lines,
 * strips and fans are skipped: Blender's exporter writes TRIANGLES only, and a metric that
 * silently re-triangulated other modes would hide a broken export.
 */
export function sceneTriangles(doc: Document): Float32Array {
  return collect(doc, false).tris;
}

/**
 * The triangle soup of sceneTriangles() with one linear RGB colour per triangle (3 floats in
 * [0, 1]): the mean of its corners' COLOR_0, else its material's base colour factor, else
 * FALLBACK_GREY. The metric GLB carries no materials (benchmark-compat §9), so most outputs are
 * grey, as in the benchmark's Uni3D sampling.
 */
export function sceneColouredTriangles(doc: Document): { tris: Float32Array; colours: Float32Array } {
  return collect(doc, true) as { tris: Float32Array; colours: Float32Array };
}

/** benchmark-compat §9: faces without a colour are grey 0.4 in the benchmark's Uni3D clouds. */
export const FALLBACK_GREY = 0.4;

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function collect(doc: Document, withColour: boolean): { tris: Float32Array; colours: Float32Array | null } {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const chunks: Float32Array[] = [];
  const colourChunks: Float32Array[] = [];
  scene?.traverse((node) => {
    const mesh = node.getMesh();
    if (!mesh) return;
    const world = node.getWorldMatrix();
    for (const prim of mesh.listPrimitives()) {
      if (prim.getMode() !== Primitive.Mode.TRIANGLES) continue;
      const chunk = primitiveTriangles(prim, world);
      if (chunk.length === 0) continue;
      chunks.push(chunk);
      if (withColour) colourChunks.push(primitiveColours(prim, chunk.length / 9));
    }
  });
  return { tris: concat(chunks), colours: withColour ? concat(colourChunks) : null };
}

function primitiveColours(prim: Primitive, triangles: number): Float32Array {
  const out = new Float32Array(triangles * 3);
  const colour = prim.getAttribute("COLOR_0");
  if (colour) {
    const indices = prim.getIndices();
    const index = [0];
    const c = [0, 0, 0, 0];
    for (let t = 0; t < triangles; t++) {
      for (let corner = 0; corner < 3; corner++) {
        const vertex = indices ? indices.getElement(3 * t + corner, index)[0]! : 3 * t + corner;
        colour.getElement(vertex, c);
        for (let k = 0; k < 3; k++) out[3 * t + k]! += clamp01(c[k]!) / 3;
      }
    }
    return out;
  }
  const base = prim.getMaterial()?.getBaseColorFactor();
  const rgb = base ? [clamp01(base[0]), clamp01(base[1]), clamp01(base[2])] : [FALLBACK_GREY, FALLBACK_GREY, FALLBACK_GREY];
  for (let t = 0; t < triangles; t++) out.set(rgb, 3 * t);
  return out;
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : FALLBACK_GREY;
}

function primitiveTriangles(prim: Primitive, m: mat4): Float32Array {
  const position = prim.getAttribute("POSITION");
  if (!position) return new Float32Array(0);
  const vertexCount = position.getCount();
  // Transform each vertex once; getElement also decodes normalised/quantised integer positions.
  const world = new Float64Array(vertexCount * 3);
  const v = [0, 0, 0];
  for (let k = 0; k < vertexCount; k++) {
    position.getElement(k, v);
    const [x, y, z] = v as [number, number, number];
    world[3 * k] = m[0] * x + m[4] * y + m[8] * z + m[12];
    world[3 * k + 1] = m[1] * x + m[5] * y + m[9] * z + m[13];
    world[3 * k + 2] = m[2] * x + m[6] * y + m[10] * z + m[14];
  }
  const indices = prim.getIndices();
  const cornerCount = indices ? indices.getCount() : vertexCount;
  const triangles = Math.floor(cornerCount / 3);
  const out = new Float32Array(triangles * 9);
  const index = [0];
  for (let c = 0; c < triangles * 3; c++) {
    let vertex = c;
    if (indices) vertex = indices.getElement(c, index)[0]!;
    if (vertex >= vertexCount) throw new Error(`index ${vertex} out of range (${vertexCount} vertices)`);
    out[3 * c] = world[3 * vertex]!;
    out[3 * c + 1] = world[3 * vertex + 1]!;
    out[3 * c + 2] = world[3 * vertex + 2]!;
  }
  return out;
}

/** `sceneTriangles(await readGlb(source))`. */
export async function loadGlbTriangles(source: string | Uint8Array): Promise<Float32Array> {
  return sceneTriangles(await readGlb(source));
}
