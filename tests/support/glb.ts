/**
 * Hand-built GLB bytes for tests: a valid one-triangle GLB as JSON + BIN, which a test then
 * breaks or decorates (external URIs, names, extras, extensions) before encoding.
 */
import { encodeGlb } from "@/blender-runner/client/glb-container";

export interface GlbParts {
  json: Record<string, unknown> & { asset: Record<string, unknown> };
  bin: Uint8Array;
}

/** One triangle (positions + indices) with a named node, mesh and material, as an exporter writes it. */
export function triangleParts(): GlbParts {
  const bin = Buffer.alloc(36 + 8, 0);
  [0, 0, 0, 1, 0, 0, 0, 1, 0].forEach((v, i) => bin.writeFloatLE(v, i * 4));
  [0, 1, 2].forEach((v, i) => bin.writeUInt16LE(v, 36 + i * 2));
  return {
    json: {
      asset: { version: "2.0", generator: "Khronos glTF Blender I/O v5.0.21" },
      scene: 0,
      scenes: [{ name: "Scene", nodes: [0] }],
      nodes: [{ name: "Blockout", mesh: 0 }],
      meshes: [{ name: "BlockoutMesh", primitives: [{ attributes: { POSITION: 0 }, indices: 1, material: 0 }] }],
      materials: [{ name: "BlockoutMaterial", pbrMetallicRoughness: { baseColorFactor: [1, 0, 0, 1] } }],
      accessors: [
        { bufferView: 0, componentType: 5126, count: 3, type: "VEC3", min: [0, 0, 0], max: [1, 1, 0] },
        { bufferView: 1, componentType: 5123, count: 3, type: "SCALAR" },
      ],
      bufferViews: [
        { buffer: 0, byteOffset: 0, byteLength: 36 },
        { buffer: 0, byteOffset: 36, byteLength: 6 },
      ],
      buffers: [{ byteLength: 44 }],
    },
    bin: new Uint8Array(bin),
  };
}

export function glb(parts: GlbParts = triangleParts()): Uint8Array {
  return encodeGlb(parts.json, parts.bin);
}

/** A 2 x 1 RGBA PNG (red, blue) with a tEXt chunk carrying `text` (what a script could hide in a texture). */
export function pngWithText(text: string): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc(td), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  // One row: filter byte 0, then two RGBA pixels; zlib-wrapped by hand (one stored block).
  const raw = Buffer.from([0, 255, 0, 0, 255, 0, 0, 255, 255]);
  const adler = (() => {
    let a = 1;
    let b = 0;
    for (const x of raw) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
    return ((b << 16) | a) >>> 0;
  })();
  const z = Buffer.concat([Buffer.from([0x78, 0x01, 0x01, raw.length, 0, ~raw.length & 0xff, 0xff]), raw, Buffer.alloc(4)]);
  z.writeUInt32BE(adler, z.length - 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("tEXt", Buffer.from(`Comment\0${text}`, "latin1")),
    chunk("IDAT", z),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
