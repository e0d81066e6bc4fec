/**
 * The display GLB voters download, cut down to what the viewer draws: geometry and material
 * values. Pure (bytes in, bytes out; no I/O), so the web process can reuse it too.
 *
 * - parsed strictly first (glb-container.ts), then read from memory by glTF-Transform with only
 *   the extensions three.js's GLTFLoader renders registered: any other extension is dropped on
 *   read (lights, variants, XMP metadata, ...), and an unknown *required* one fails the read;
 * - every name and every `extras` (nodes, meshes, materials, textures, images, accessors, buffers,
 *   scenes, skins, primitives, morph targets, extension properties, the root) removed; asset
 *   replaced by { version "2.0", generator "3DCodeArena" } (no copyright, no extras);
 * - cameras and animations dropped; textures that are not PNG or JPEG (by their bytes) dropped,
 *   PNGs re-encoded from their pixels and JPEGs stripped of metadata (image-clean.ts);
 * - the written JSON checked again (assertSanitisedJson): a name, extras, a uri or an extension
 *   outside the list anywhere is an error, never a served file.
 */
import { Document, Logger, PlatformIO, type Extension, type Property, type Texture } from "@gltf-transform/core";
import {
  EXTMeshoptCompression,
  EXTTextureAVIF,
  EXTTextureWebP,
  KHRMaterialsAnisotropy,
  KHRMaterialsClearcoat,
  KHRMaterialsDispersion,
  KHRMaterialsEmissiveStrength,
  KHRMaterialsIOR,
  KHRMaterialsIridescence,
  KHRMaterialsSheen,
  KHRMaterialsSpecular,
  KHRMaterialsTransmission,
  KHRMaterialsUnlit,
  KHRMaterialsVolume,
  KHRMeshQuantization,
  KHRTextureTransform,
} from "@gltf-transform/extensions";
import { MeshoptDecoder, MeshoptEncoder } from "meshoptimizer";
import { encodeGlb, GlbError, parseGlb, type GltfJson } from "./glb-container";
import { reencodePng, sniffImage, stripJpegMetadata } from "./image-clean";

export const DISPLAY_GENERATOR = "3DCodeArena";
/** Textures larger than this are dropped (a 8192 x 8192 RGBA texture is already 256 MiB decoded). */
export const MAX_TEXTURE_PIXELS = 4096 * 4096;

/** Material and texture extensions three.js's GLTFLoader renders, plus compression/quantisation. */
const VIEWER_EXTENSIONS = [
  KHRMaterialsAnisotropy,
  KHRMaterialsClearcoat,
  KHRMaterialsDispersion,
  KHRMaterialsEmissiveStrength,
  KHRMaterialsIOR,
  KHRMaterialsIridescence,
  KHRMaterialsSheen,
  KHRMaterialsSpecular,
  KHRMaterialsTransmission,
  KHRMaterialsUnlit,
  KHRMaterialsVolume,
  KHRTextureTransform,
  KHRMeshQuantization,
  EXTMeshoptCompression,
];
export const DISPLAY_EXTENSION_NAMES: readonly string[] = VIEWER_EXTENSIONS.map((e) => e.EXTENSION_NAME);

/**
 * glTF-Transform I/O that can only work in memory: fetching a URI (a file for NodeIO, the network
 * for WebIO) throws. parseGlb already refused every non-data: URI; this is the second lock.
 */
export class MemoryIO extends PlatformIO {
  protected readURI(uri: string, type: "view"): Promise<Uint8Array<ArrayBuffer>>;
  protected readURI(uri: string, type: "text"): Promise<string>;
  protected readURI(uri: string): Promise<Uint8Array | string> {
    return Promise.reject(new GlbError(`refusing to read ${JSON.stringify(uri.slice(0, 80))}: GLBs are read from memory only`));
  }
  protected resolve(base: string, path: string): string {
    return `${base}/${path}`;
  }
  protected dirname(uri: string): string {
    return uri.slice(0, Math.max(0, uri.lastIndexOf("/")));
  }
}

/** Call after `await meshoptReady()`: meshopt GLBs are decoded and written with these. */
export function memoryIo(extra: (typeof Extension)[] = []): MemoryIO {
  return new MemoryIO()
    .setLogger(new Logger(Logger.Verbosity.ERROR))
    .registerExtensions([...VIEWER_EXTENSIONS, ...extra])
    .registerDependencies({ "meshopt.encoder": MeshoptEncoder, "meshopt.decoder": MeshoptDecoder });
}

export const meshoptReady = () => Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready]);

/** Strict parse, then glTF-Transform from memory (external URIs were refused by parseGlb). */
export async function readSanitisable(bytes: Uint8Array): Promise<Document> {
  parseGlb(bytes);
  await meshoptReady();
  // WebP/AVIF are registered for reading only, so their textures can be found and dropped.
  const io = memoryIo([EXTTextureWebP, EXTTextureAVIF]);
  try {
    return await io.readBinary(bytes);
  } catch (err) {
    throw new GlbError(`glTF-Transform cannot read the GLB: ${(err as Error).message.slice(0, 300)}`);
  }
}

function everyProperty(doc: Document): Property[] {
  const graph = doc.getGraph();
  const seen = new Set<Property>([doc.getRoot()]);
  const stack: Property[] = [doc.getRoot()];
  while (stack.length) {
    for (const child of graph.listChildren(stack.pop()!)) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return [...seen];
}

function cleanTexture(texture: Texture): boolean {
  const image = texture.getImage();
  const kind = image ? sniffImage(image) : null;
  if (!image || !kind) return false;
  try {
    texture.setImage(kind === "image/png" ? reencodePng(image, MAX_TEXTURE_PIXELS).png : stripJpegMetadata(image));
  } catch {
    return false; // undecodable or oversized: the material keeps its factors, loses the map
  }
  texture.setMimeType(kind);
  texture.setURI("");
  return true;
}

/** In place: strips everything but geometry and material values (see the file comment). */
export function sanitiseDocument(doc: Document): void {
  const root = doc.getRoot();
  for (const camera of root.listCameras()) camera.dispose();
  for (const animation of root.listAnimations()) {
    // Channels outlive their animation otherwise, and quantisation would still treat their
    // target nodes as animated (adding a parent node per target).
    for (const channel of animation.listChannels()) channel.dispose();
    for (const sampler of animation.listSamplers()) sampler.dispose();
    animation.dispose();
  }
  for (const texture of root.listTextures()) if (!cleanTexture(texture)) texture.dispose();
  for (const ext of root.listExtensionsUsed()) {
    if (!DISPLAY_EXTENSION_NAMES.includes(ext.extensionName)) ext.dispose();
  }
  for (const property of everyProperty(doc)) {
    property.setName("");
    property.setExtras({});
  }
  for (const buffer of root.listBuffers()) buffer.setURI("");
  const asset = root.getAsset();
  for (const key of Object.keys(asset)) delete (asset as unknown as Record<string, unknown>)[key];
  Object.assign(asset, { version: "2.0", generator: DISPLAY_GENERATOR });
}

/** Throws GlbError unless the JSON holds nothing of a script's choosing but geometry and material values. */
export function assertSanitisedJson(json: GltfJson): void {
  const walk = (v: unknown, where: string, depth: number): void => {
    if (depth > 64) throw new GlbError("the JSON nests deeper than 64 levels");
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${where}[${i}]`, depth + 1));
    if (typeof v !== "object" || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === "name" || k === "extras" || k === "uri") throw new GlbError(`${where}.${k} survived sanitising`);
      if (k === "extensions" && typeof x === "object" && x !== null) {
        for (const e of Object.keys(x)) if (!DISPLAY_EXTENSION_NAMES.includes(e)) throw new GlbError(`${where} uses ${e}`);
      }
      walk(x, `${where}.${k}`, depth + 1);
    }
  };
  const { asset, ...rest } = json;
  const a = asset as Record<string, unknown>;
  if (Object.keys(a).length !== 2 || a.version !== "2.0" || a.generator !== DISPLAY_GENERATOR) throw new GlbError("asset was not replaced");
  for (const key of ["extensionsUsed", "extensionsRequired"]) {
    const list = (rest[key] ?? []) as unknown[];
    for (const e of list) if (!DISPLAY_EXTENSION_NAMES.includes(String(e))) throw new GlbError(`${key} lists ${String(e)}`);
  }
  for (const img of json.images ?? []) if (img.mimeType !== "image/png" && img.mimeType !== "image/jpeg") throw new GlbError("an image is neither PNG nor JPEG");
  walk({ ...rest, extensionsUsed: undefined, extensionsRequired: undefined }, "$", 0);
}

/** Writes the document and re-checks the result; the JSON chunk is re-encoded only if needed. */
export async function writeSanitised(doc: Document, io: MemoryIO): Promise<Uint8Array> {
  const bytes = await io.writeBinary(doc);
  const parsed = parseGlb(bytes);
  // glTF-Transform writes `"extras": {}` at the root; an empty object says nothing, drop it.
  let changed = false;
  for (const holder of [parsed.json as Record<string, unknown>]) {
    if (holder.extras !== undefined && Object.keys(holder.extras as object).length === 0) {
      delete holder.extras;
      changed = true;
    }
  }
  assertSanitisedJson(parsed.json);
  return changed ? encodeGlb(parsed.json, parsed.bin) : bytes;
}

/** Strict parse + sanitise, no compression: for callers that need the clean GLB itself. */
export async function sanitiseGlb(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await readSanitisable(bytes);
  // Written without compression: EXT_meshopt_compression stays only where it was already used.
  sanitiseDocument(doc);
  return writeSanitised(doc, memoryIo());
}
