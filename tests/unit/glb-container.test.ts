/**
 * The strict GLB parser (blender-runner/client/glb-container.ts) on hand-built hostile bytes:
 * every way a sandbox could make a reader fetch host files or URLs, or trip over inconsistent
 * structure, is refused with a readable reason.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHUNK_BIN, CHUNK_JSON, encodeGlb, GlbError, GLB_MAGIC, parseGlb } from "@/blender-runner/client/glb-container";
import { glb, triangleParts, type GlbParts } from "@/tests/support/glb";

const refuses = (bytes: Uint8Array, reason: RegExp) =>
  assert.throws(() => parseGlb(bytes), (err: unknown) => err instanceof GlbError && reason.test(err.message), `expected ${reason}`);

const variant = (edit: (p: GlbParts) => void) => {
  const p = triangleParts();
  edit(p);
  return glb(p);
};

describe("strict GLB parser", () => {
  it("accepts a well-formed GLB and returns its JSON and BIN payload", () => {
    const { json, bin } = parseGlb(glb());
    assert.equal(json.asset.version, "2.0");
    assert.equal(bin?.length, 44);
  });

  it("accepts base64 data: URIs for buffers and images", () => {
    const bytes = variant((p) => {
      p.json.buffers = [{ byteLength: 44 }, { byteLength: 3, uri: "data:application/octet-stream;base64,AAAA" }];
      p.json.images = [{ uri: "data:image/png;base64,iVBORw0KGgo=" }];
    });
    assert.equal(parseGlb(bytes).json.buffers?.length, 2);
  });

  describe("refuses every URI that is not a data: URI", () => {
    const uris = ["/proc/self/environ", "../../.data/auth-secret", "secret.bin", "file:///etc/passwd", "https://example.com/x.png", "//example.com/x", "/job/fifo", "data:text/plain,not-base64"];
    for (const uri of uris) {
      it(`buffers[].uri ${uri}`, () => refuses(variant((p) => void (p.json.buffers = [{ byteLength: 44 }, { byteLength: 4, uri }])), /buffers\[1\]\.uri is not a base64 data: URI/));
      it(`images[].uri ${uri}`, () => refuses(variant((p) => void (p.json.images = [{ uri }])), /images\[0\]\.uri is not a base64 data: URI/));
    }
    it("a uri inside an extension (e.g. an audio or LOD extension)", () =>
      refuses(variant((p) => void (p.json.extensions = { KHR_audio: { audio: [{ uri: "/etc/shadow" }] } })), /extensions\.KHR_audio\.audio\[0\]\.uri/));
    it("a uri that is not a string", () => refuses(variant((p) => void (p.json.images = [{ uri: 42 }])), /uri is not a base64 data: URI/));
  });

  describe("refuses a broken container", () => {
    const good = glb();
    const copy = () => Buffer.from(good);
    it("too short / truncated", () => {
      refuses(good.subarray(0, 10), /too short/);
      refuses(good.subarray(0, good.length - 4), /header says/);
    });
    it("wrong magic", () => {
      const b = copy();
      b.writeUInt32LE(0x12345678, 0);
      refuses(b, /magic/);
    });
    it("version 1", () => {
      const b = copy();
      b.writeUInt32LE(1, 4);
      refuses(b, /version 1/);
    });
    it("a header length that is not the file's", () => {
      const b = copy();
      b.writeUInt32LE(b.length + 4, 8);
      refuses(b, /header says/);
    });
    it("a chunk length past the end, or not a multiple of 4", () => {
      const b = copy();
      b.writeUInt32LE(b.length, 12);
      refuses(b, /past the end/);
      const c = copy();
      c.writeUInt32LE(c.readUInt32LE(12) + 1, 12);
      refuses(c, /multiple of 4|past the end/);
    });
    it("BIN before JSON", () => {
      const b = copy();
      b.writeUInt32LE(CHUNK_BIN, 16);
      refuses(b, /first chunk is not JSON/);
    });
    it("a third chunk, or a second chunk that is not BIN", () => {
      const extra = Buffer.alloc(12);
      extra.writeUInt32LE(4, 0);
      extra.writeUInt32LE(CHUNK_BIN, 4);
      const b = Buffer.concat([good, extra]);
      b.writeUInt32LE(b.length, 8);
      refuses(b, /bytes after the BIN chunk/);
      const c = copy();
      const jsonLen = c.readUInt32LE(12);
      c.writeUInt32LE(CHUNK_JSON, 20 + jsonLen + 4);
      refuses(c, /second chunk is not BIN/);
    });
    it("JSON that is not UTF-8, not JSON, or not an object", () => {
      const raw = (text: Buffer) => {
        const padded = Buffer.concat([text, Buffer.alloc((4 - (text.length % 4)) % 4, 0x20)]);
        const out = Buffer.alloc(20 + padded.length);
        out.writeUInt32LE(GLB_MAGIC, 0);
        out.writeUInt32LE(2, 4);
        out.writeUInt32LE(out.length, 8);
        out.writeUInt32LE(padded.length, 12);
        out.writeUInt32LE(CHUNK_JSON, 16);
        padded.copy(out, 20);
        return out;
      };
      refuses(raw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /not UTF-8/);
      refuses(raw(Buffer.from("{nope")), /does not parse/);
      refuses(raw(Buffer.from("[1,2]")), /not an object/);
      refuses(raw(Buffer.from("{}")), /asset\.version/);
    });
    it("a JSON chunk above the cap", () => {
      assert.throws(() => parseGlb(good, { maxJsonBytes: 16 }), /limit 16/);
    });
  });

  describe("refuses inconsistent structure", () => {
    const cases: [string, (p: GlbParts) => void, RegExp][] = [
      ["a buffer longer than the BIN chunk", (p) => void (p.json.buffers = [{ byteLength: 400 }]), /does not match the BIN chunk/],
      ["a second buffer without data", (p) => void (p.json.buffers = [{ byteLength: 44 }, { byteLength: 4 }]), /buffers\[1\] has no uri/],
      ["a bufferView past its buffer", (p) => void ((p.json.bufferViews as { byteLength: number }[])[1]!.byteLength = 60), /reaches past its buffer/],
      ["a bufferView on a missing buffer", (p) => void ((p.json.bufferViews as { buffer: number }[])[0]!.buffer = 3), /bufferViews\[0\]\.buffer does not exist/],
      ["an odd byteStride", (p) => void ((p.json.bufferViews as { byteStride?: number }[])[0]!.byteStride = 6), /byteStride is invalid/],
      ["an accessor past its bufferView", (p) => void ((p.json.accessors as { count: number }[])[0]!.count = 4), /accessors\[0\] reaches past/],
      ["an accessor of an unknown type", (p) => void ((p.json.accessors as { type: string }[])[0]!.type = "VEC7"), /unknown componentType or type/],
      ["an image with both uri and bufferView", (p) => void (p.json.images = [{ uri: "data:image/png;base64,AA==", bufferView: 0, mimeType: "image/png" }]), /exactly one of uri and bufferView/],
      ["a mesh attribute pointing nowhere", (p) => void ((p.json.meshes as { primitives: { attributes: Record<string, number> }[] }[])[0]!.primitives[0]!.attributes.NORMAL = 9), /attributes\.NORMAL points at a missing accessors entry/],
      ["a node that is its own child", (p) => void ((p.json.nodes as { children?: number[] }[])[0]!.children = [0]), /children is invalid/],
      ["a scene listing a missing node", (p) => void ((p.json.scenes as { nodes: number[] }[])[0]!.nodes = [5]), /scenes\[0\]\.nodes is invalid/],
      ["a material texture pointing nowhere", (p) => void ((p.json.materials as Record<string, unknown>[])[0]!.normalTexture = { index: 2 }), /normalTexture points at a missing textures entry/],
      ["a required extension that is not used", (p) => void (p.json.extensionsRequired = ["KHR_draco_mesh_compression"]), /extensionsRequired/],
    ];
    for (const [name, edit, reason] of cases) it(name, () => refuses(variant(edit), reason));
  });

  it("encodeGlb pads chunks to 4 bytes and round-trips", () => {
    const p = triangleParts();
    p.json.buffers = [{ byteLength: 42 }];
    const bytes = encodeGlb(p.json, p.bin.subarray(0, 42));
    assert.equal(bytes.length % 4, 0);
    const back = parseGlb(bytes);
    assert.equal(back.bin?.length, 44, "BIN padded to a multiple of 4");
    assert.deepEqual(back.json, JSON.parse(JSON.stringify(p.json)));
  });
});
