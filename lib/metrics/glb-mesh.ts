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
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const chunks: Float32Array[] = [];
  scene?.traverse((node) => {
    const mesh = node.getMesh();
    if (!mesh) return;
    const world = node.getWorldMatrix();
    for (const prim of mesh.listPrimitives()) {
      if (prim.getMode() !== Primitive.Mode.TRIANGLES) continue;
      const chunk = primitiveTriangles(prim, world);
      if (chunk.length > 0) chunks.push(chunk);
    }
  });
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
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
