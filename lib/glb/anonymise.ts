/**
 * The last step before a battle GLB leaves the server (issue 10 C): nothing in the bytes may tell
 * a voter which model made it, or link it to a gallery or to another battle.
 * - Every `name` and `extras` is dropped and `asset` reduced to its version and our generator, so
 *   no object, material or exporter string chosen by a script or a model's habits survives (the
 *   runner sanitises at store time too; this also covers outputs stored before it did).
 * - The JSON chunk ends in per-battle whitespace (its length and its mix of spaces, tabs and
 *   newlines vary), so the same output has a different size and hash in every battle. Geometry and
 *   materials stay bit-identical.
 */
const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const HEADER = 12;
const CHUNK_HEADER = 8;
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** The four characters JSON treats as whitespace. */
const WHITESPACE = [0x20, 0x0a, 0x09, 0x0d] as const;

/** Whitespace for the JSON chunk's tail from arbitrary bytes (two bits per character). */
export function whitespaceFrom(noise: Uint8Array): Uint8Array {
  return noise.map((b) => WHITESPACE[b & 3]!);
}

export class GlbContainerError extends Error {}

/** Drops `name` and `extras` at every depth of the glTF JSON. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "name" || k === "extras") continue;
    out[k] = strip(v);
  }
  return out;
}

function neutralJson(raw: Uint8Array): Uint8Array {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) as Record<string, unknown>;
  } catch {
    throw new GlbContainerError("the GLB's JSON chunk is not valid UTF-8 JSON");
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new GlbContainerError("the GLB's JSON is not an object");
  const clean = strip(doc) as Record<string, unknown>;
  const version = (doc.asset as { version?: unknown } | undefined)?.version;
  clean.asset = { version: typeof version === "string" ? version : "2.0", generator: "3DCodeArena" };
  return new TextEncoder().encode(JSON.stringify(clean));
}

/** `bytes` with neutral JSON followed by `tail` (JSON whitespace only), aligned to 4 bytes with spaces. */
export function anonymiseGlb(bytes: Uint8Array, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (tail.some((b) => !WHITESPACE.includes(b as (typeof WHITESPACE)[number]))) throw new Error("the tail must be JSON whitespace");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER + CHUNK_HEADER || view.getUint32(0, true) !== GLB_MAGIC || view.getUint32(4, true) !== 2) {
    throw new GlbContainerError("not a glTF 2.0 binary");
  }
  if (view.getUint32(8, true) !== bytes.byteLength) throw new GlbContainerError("GLB length does not match its header");
  const jsonLength = view.getUint32(HEADER, true);
  const jsonEnd = HEADER + CHUNK_HEADER + jsonLength;
  if (view.getUint32(HEADER + 4, true) !== CHUNK_JSON || jsonLength > MAX_JSON_BYTES || jsonEnd > bytes.byteLength) {
    throw new GlbContainerError("the first GLB chunk is not a complete JSON chunk");
  }
  const json = neutralJson(bytes.subarray(HEADER + CHUNK_HEADER, jsonEnd));
  const padded = Math.ceil((json.byteLength + tail.byteLength) / 4) * 4;
  const rest = bytes.subarray(jsonEnd);
  const start = HEADER + CHUNK_HEADER;
  const out = new Uint8Array(start + padded + rest.byteLength);
  const o = new DataView(out.buffer);
  o.setUint32(0, GLB_MAGIC, true);
  o.setUint32(4, 2, true);
  o.setUint32(8, out.byteLength, true);
  o.setUint32(HEADER, padded, true);
  o.setUint32(HEADER + 4, CHUNK_JSON, true);
  out.set(json, start);
  out.set(tail, start + json.byteLength);
  out.fill(0x20, start + json.byteLength + tail.byteLength, start + padded);
  out.set(rest, start + padded);
  return out;
}
