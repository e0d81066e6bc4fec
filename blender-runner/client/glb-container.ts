/**
 * A strict GLB container parser for bytes a sandbox produced (house rule 14). Pure: no I/O, usable
 * from the runner, the web process or a worker thread.
 *
 * Checks (glTF 2.0 §4.4 "GLB File Format Specification"): magic "glTF", version 2, the header's
 * length equal to the byte count, a JSON chunk first, then at most one BIN chunk, chunk lengths
 * 4-byte aligned and inside the file, nothing after them; the JSON is UTF-8, size-capped, an
 * object with asset.version "2.0". Every `uri` anywhere in the JSON (buffers, images, and any
 * extension that carries one) must be a base64 `data:` URI: a path or URL would make a reader
 * fetch host files or third-party URLs. Buffers, buffer views, accessors and images must be
 * consistent with each other and with the bytes present; every index must point at something.
 */
export class GlbError extends Error {
  override name = "GlbError";
}

export interface ParsedGlb {
  json: GltfJson;
  /** The BIN chunk's payload (null when there is none). */
  bin: Uint8Array | null;
}

/** The subset of glTF JSON this module checks; everything else passes through untouched. */
export interface GltfJson {
  asset: { version: string; [k: string]: unknown };
  buffers?: { uri?: string; byteLength: number; [k: string]: unknown }[];
  bufferViews?: { buffer: number; byteOffset?: number; byteLength: number; byteStride?: number; [k: string]: unknown }[];
  accessors?: Record<string, unknown>[];
  images?: { uri?: string; bufferView?: number; mimeType?: string; [k: string]: unknown }[];
  [k: string]: unknown;
}

export const GLB_MAGIC = 0x46546c67; // "glTF"
export const CHUNK_JSON = 0x4e4f534a; // "JSON"
export const CHUNK_BIN = 0x004e4942; // "BIN\0"
export const DEFAULT_MAX_JSON_BYTES = 64 * 1024 * 1024;

const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
const DATA_URI = /^data:[a-z0-9.+/-]*(;[a-z0-9.+-]+=[a-z0-9.+-]+)*;base64,[A-Za-z0-9+/]*={0,2}$/i;

const fail = (msg: string): never => {
  throw new GlbError(msg);
};
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, length: number): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const nonNegInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function arrayOf(json: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = json[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isObj)) fail(`"${key}" is not an array of objects`);
  return v as Record<string, unknown>[];
}

function dataUriBytes(uri: string): number {
  const b64 = uri.slice(uri.indexOf(",") + 1);
  return Math.floor((b64.length * 3) / 4) - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);
}

/** Every `uri` anywhere in the JSON must be a data: URI (extensions may carry their own). */
function checkUris(value: unknown, where: string, depth = 0): void {
  if (depth > 64) fail("the JSON nests deeper than 64 levels");
  if (Array.isArray(value)) value.forEach((v, i) => checkUris(v, `${where}[${i}]`, depth + 1));
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "uri") {
        if (typeof v !== "string" || !DATA_URI.test(v)) fail(`${where}.uri is not a base64 data: URI (${JSON.stringify(String(v).slice(0, 80))})`);
      } else checkUris(v, `${where}.${k}`, depth + 1);
    }
  }
}

function checkStructure(json: GltfJson, bin: Uint8Array | null): void {
  const root = json as Record<string, unknown>;
  if (!isObj(json.asset) || json.asset.version !== "2.0") fail('asset.version is not "2.0"');
  checkUris(json, "$");
  const buffers = arrayOf(root, "buffers");
  const fallback = buffers.map((b) => isObj(b.extensions) && isObj(b.extensions.EXT_meshopt_compression) && b.extensions.EXT_meshopt_compression.fallback === true);
  const bufferBytes = buffers.map((b, i) => {
    if (!nonNegInt(b.byteLength)) fail(`buffers[${i}].byteLength is not a non-negative integer`);
    const len = b.byteLength as number;
    if (b.uri === undefined && fallback[i] && i > 0) {
      // EXT_meshopt_compression: a placeholder holding no bytes; views into it are compressed.
    } else if (b.uri === undefined) {
      // Only the first buffer may be the GLB's BIN chunk (padded by up to 3 bytes).
      if (i !== 0 || !bin) fail(`buffers[${i}] has no uri and is not the GLB's BIN chunk`);
      if (len > bin!.length || bin!.length - len > 3) fail(`buffers[0].byteLength ${len} does not match the BIN chunk (${bin!.length})`);
    } else if (len > dataUriBytes(b.uri as string)) fail(`buffers[${i}].byteLength is larger than its data`);
    return len;
  });
  const views = arrayOf(root, "bufferViews");
  views.forEach((v, i) => {
    if (!isIndex(v.buffer, buffers.length)) fail(`bufferViews[${i}].buffer does not exist`);
    const offset = v.byteOffset ?? 0;
    if (!nonNegInt(offset) || !nonNegInt(v.byteLength) || (v.byteLength as number) < 1) fail(`bufferViews[${i}] has a bad offset or length`);
    if ((offset as number) + (v.byteLength as number) > bufferBytes[v.buffer as number]!) fail(`bufferViews[${i}] reaches past its buffer`);
    const meshopt = isObj(v.extensions) && isObj(v.extensions.EXT_meshopt_compression) ? v.extensions.EXT_meshopt_compression : null;
    if (fallback[v.buffer as number] && !meshopt) fail(`bufferViews[${i}] reads a meshopt fallback buffer without decompressing it`);
    if (meshopt) {
      const m = meshopt as Record<string, unknown>;
      if (!isIndex(m.buffer, buffers.length) || fallback[m.buffer as number]) fail(`bufferViews[${i}]'s compressed data has no buffer`);
      const end = ((m.byteOffset as number | undefined) ?? 0) + (m.byteLength as number);
      if (!nonNegInt(m.byteOffset ?? 0) || !nonNegInt(m.byteLength) || end > bufferBytes[m.buffer as number]!) fail(`bufferViews[${i}]'s compressed data reaches past its buffer`);
    }
    if (v.byteStride !== undefined && (!nonNegInt(v.byteStride) || (v.byteStride as number) < 4 || (v.byteStride as number) > 252 || (v.byteStride as number) % 4)) {
      fail(`bufferViews[${i}].byteStride is invalid`);
    }
  });
  arrayOf(root, "accessors").forEach((a, i) => {
    const size = COMPONENT_BYTES[a.componentType as number];
    const comps = TYPE_COMPONENTS[a.type as string];
    if (!size || !comps) fail(`accessors[${i}] has an unknown componentType or type`);
    if (!nonNegInt(a.count) || (a.count as number) < 1) fail(`accessors[${i}].count is invalid`);
    if (a.bufferView === undefined) return; // all zeros (or sparse only)
    if (!isIndex(a.bufferView, views.length)) fail(`accessors[${i}].bufferView does not exist`);
    const view = views[a.bufferView as number]!;
    const offset = a.byteOffset ?? 0;
    if (!nonNegInt(offset) || (offset as number) % size!) fail(`accessors[${i}].byteOffset is invalid`);
    const element = size! * comps!;
    const stride = (view.byteStride as number | undefined) ?? element;
    const needed = (offset as number) + stride * ((a.count as number) - 1) + element;
    if (needed > (view.byteLength as number)) fail(`accessors[${i}] reaches past its bufferView`);
  });
  arrayOf(root, "images").forEach((img, i) => {
    const hasView = img.bufferView !== undefined;
    if (hasView === (img.uri !== undefined)) fail(`images[${i}] must have exactly one of uri and bufferView`);
    if (hasView && !isIndex(img.bufferView, views.length)) fail(`images[${i}].bufferView does not exist`);
    if (hasView && typeof img.mimeType !== "string") fail(`images[${i}] has a bufferView but no mimeType`);
  });
  checkIndices(root);
}

/** References between top-level arrays (meshes, nodes, materials, textures, scenes, skins). */
function checkIndices(root: Record<string, unknown>): void {
  const n = (key: string) => arrayOf(root, key).length;
  const want = (v: unknown, key: string, where: string) => {
    if (v !== undefined && !isIndex(v, n(key))) fail(`${where} points at a missing ${key} entry`);
  };
  const textureInfos = (m: Record<string, unknown>, where: string) => {
    const walk = (v: unknown, w: string, depth: number): void => {
      if (depth > 8 || !isObj(v)) return;
      for (const [k, x] of Object.entries(v)) {
        if (k.endsWith("Texture") && isObj(x)) want(x.index, "textures", `${w}.${k}`);
        else walk(x, `${w}.${k}`, depth + 1);
      }
    };
    walk(m, where, 0);
  };
  arrayOf(root, "meshes").forEach((m, i) => {
    if (!Array.isArray(m.primitives) || m.primitives.length < 1 || !m.primitives.every(isObj)) fail(`meshes[${i}] has no primitives`);
    (m.primitives as Record<string, unknown>[]).forEach((p, j) => {
      const where = `meshes[${i}].primitives[${j}]`;
      if (!isObj(p.attributes)) fail(`${where} has no attributes`);
      for (const [k, a] of Object.entries(p.attributes as Record<string, unknown>)) want(a, "accessors", `${where}.attributes.${k}`);
      want(p.indices, "accessors", `${where}.indices`);
      want(p.material, "materials", `${where}.material`);
      if (p.targets !== undefined) {
        if (!Array.isArray(p.targets)) fail(`${where}.targets is not an array`);
        for (const t of p.targets as unknown[]) if (isObj(t)) for (const a of Object.values(t)) want(a, "accessors", `${where}.targets`);
      }
    });
  });
  const nodes = n("nodes");
  arrayOf(root, "nodes").forEach((node, i) => {
    want(node.mesh, "meshes", `nodes[${i}].mesh`);
    want(node.camera, "cameras", `nodes[${i}].camera`);
    want(node.skin, "skins", `nodes[${i}].skin`);
    if (node.children !== undefined && (!Array.isArray(node.children) || !node.children.every((c) => isIndex(c, nodes) && c !== i))) fail(`nodes[${i}].children is invalid`);
  });
  arrayOf(root, "scenes").forEach((s, i) => {
    if (s.nodes !== undefined && (!Array.isArray(s.nodes) || !s.nodes.every((c) => isIndex(c, nodes)))) fail(`scenes[${i}].nodes is invalid`);
  });
  want(root.scene, "scenes", "scene");
  arrayOf(root, "skins").forEach((s, i) => {
    if (!Array.isArray(s.joints) || !s.joints.every((c) => isIndex(c, nodes))) fail(`skins[${i}].joints is invalid`);
    want(s.inverseBindMatrices, "accessors", `skins[${i}].inverseBindMatrices`);
  });
  arrayOf(root, "textures").forEach((t, i) => {
    want(t.source, "images", `textures[${i}].source`);
    want(t.sampler, "samplers", `textures[${i}].sampler`);
  });
  arrayOf(root, "materials").forEach((m, i) => textureInfos(m, `materials[${i}]`));
  if (root.extensionsRequired !== undefined) {
    const used = Array.isArray(root.extensionsUsed) ? (root.extensionsUsed as unknown[]) : [];
    if (!Array.isArray(root.extensionsRequired) || !root.extensionsRequired.every((e) => typeof e === "string" && used.includes(e))) {
      fail("extensionsRequired lists an extension that extensionsUsed does not");
    }
  }
}

/** Parses and checks a GLB; throws GlbError with a readable reason. */
export function parseGlb(bytes: Uint8Array, opts: { maxJsonBytes?: number } = {}): ParsedGlb {
  const maxJson = opts.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
  if (bytes.length < 20) fail(`${bytes.length} bytes is too short for a GLB`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== GLB_MAGIC) fail('not a GLB (the magic is not "glTF")');
  if (view.getUint32(4, true) !== 2) fail(`GLB version ${view.getUint32(4, true)}, not 2`);
  if (view.getUint32(8, true) !== bytes.length) fail(`the header says ${view.getUint32(8, true)} bytes, the file has ${bytes.length}`);
  let offset = 12;
  const chunk = () => {
    if (offset + 8 > bytes.length) fail("a chunk header runs past the end of the file");
    const length = view.getUint32(offset, true);
    const type = view.getUint32(offset + 4, true);
    if (length % 4) fail("a chunk length is not a multiple of 4");
    if (offset + 8 + length > bytes.length) fail("a chunk runs past the end of the file");
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    offset += 8 + length;
    return { type, data };
  };
  const first = chunk();
  if (first.type !== CHUNK_JSON) fail("the first chunk is not JSON");
  if (first.data.length > maxJson) fail(`the JSON chunk is ${first.data.length} bytes (limit ${maxJson})`);
  let bin: Uint8Array | null = null;
  if (offset < bytes.length) {
    const second = chunk();
    if (second.type !== CHUNK_BIN) fail("the second chunk is not BIN");
    bin = second.data;
  }
  if (offset !== bytes.length) fail("bytes after the BIN chunk");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(first.data);
  } catch {
    return fail("the JSON chunk is not UTF-8");
  }
  let json: unknown;
  try {
    // Trailing spaces are the spec's padding for the JSON chunk.
    json = JSON.parse(text);
  } catch (err) {
    return fail(`the JSON chunk does not parse: ${(err as Error).message.slice(0, 200)}`);
  }
  if (!isObj(json)) fail("the JSON chunk is not an object");
  checkStructure(json as GltfJson, bin);
  return { json: json as GltfJson, bin };
}

/** A GLB from JSON and an optional BIN payload (chunks padded as the spec requires). */
export function encodeGlb(json: unknown, bin: Uint8Array | null): Uint8Array {
  const text = Buffer.from(JSON.stringify(json), "utf8");
  const jsonLen = Math.ceil(text.length / 4) * 4;
  const binLen = bin ? Math.ceil(bin.length / 4) * 4 : 0;
  const total = 12 + 8 + jsonLen + (bin ? 8 + binLen : 0);
  const out = Buffer.alloc(total, 0);
  out.writeUInt32LE(GLB_MAGIC, 0);
  out.writeUInt32LE(2, 4);
  out.writeUInt32LE(total, 8);
  out.writeUInt32LE(jsonLen, 12);
  out.writeUInt32LE(CHUNK_JSON, 16);
  text.copy(out, 20);
  out.fill(0x20, 20 + text.length, 20 + jsonLen);
  if (bin) {
    const o = 20 + jsonLen;
    out.writeUInt32LE(binLen, o);
    out.writeUInt32LE(CHUNK_BIN, o + 4);
    Buffer.from(bin.buffer, bin.byteOffset, bin.byteLength).copy(out, o + 8);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
