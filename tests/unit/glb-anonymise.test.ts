/**
 * Serve-time anonymisation of battle GLBs (lib/glb/anonymise.ts): no names, extras or exporter
 * strings survive, the geometry is bit-identical, and the padding changes size and hash only.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { Document, NodeIO } from "@gltf-transform/core";
import { anonymiseGlb, GlbContainerError, whitespaceFrom } from "@/lib/glb/anonymise";

async function namedGlb(): Promise<Uint8Array> {
  const doc = new Document();
  doc.getRoot().getAsset().generator = "Khronos glTF Blender I/O v5.0 (SecretModel)";
  doc.getRoot().getAsset().copyright = "SecretModel";
  const buffer = doc.createBuffer("SecretBuffer");
  const positions = doc.createAccessor("SecretAccessor").setType("VEC3").setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
  const material = doc.createMaterial("BlockoutMaterial").setBaseColorFactor([1, 0, 0, 1]).setExtras({ model: "SecretModel" });
  const prim = doc.createPrimitive().setAttribute("POSITION", positions).setMaterial(material);
  const mesh = doc.createMesh("Blockout").addPrimitive(prim).setExtras({ by: "SecretModel" });
  const node = doc.createNode("Blockout").setMesh(mesh).setExtras({ prompt: "SecretModel" });
  doc.createScene("SecretScene").addChild(node);
  return new NodeIO().writeBinary(doc);
}

/** The BIN chunk: everything after the JSON chunk. */
function binChunk(glb: Uint8Array): Uint8Array {
  const v = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  return glb.subarray(20 + v.getUint32(12, true));
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("battle GLB anonymisation", () => {
  it("drops every name, extras and exporter string, and keeps a loadable document", async () => {
    const raw = await namedGlb();
    assert.ok(Buffer.from(raw).includes("SecretModel"), "the fixture carries the markers");
    const out = anonymiseGlb(raw);
    const text = Buffer.from(out).toString("latin1");
    for (const marker of ["SecretModel", "Blockout", "SecretScene", "SecretBuffer", "SecretAccessor", "Blender", "\"name\"", "\"extras\""]) {
      assert.ok(!text.includes(marker), `${marker} survived`);
    }
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const json = JSON.parse(Buffer.from(out.subarray(20, 20 + v.getUint32(12, true))).toString("utf8"));
    assert.deepEqual(json.asset, { version: "2.0", generator: "3DCodeArena" });
    const doc = await new NodeIO().readBinary(out);
    const mat = doc.getRoot().listMaterials()[0]!;
    assert.deepEqual(mat.getBaseColorFactor(), [1, 0, 0, 1], "material values stay");
    assert.deepEqual([...doc.getRoot().listAccessors()[0]!.getArray()!], [0, 0, 0, 1, 0, 0, 0, 1, 0], "geometry stays");
  });

  it("pads per battle: different sizes and hashes, identical geometry bytes, 4-byte alignment", async () => {
    const raw = await namedGlb();
    const one = anonymiseGlb(raw, whitespaceFrom(new Uint8Array(8)));
    const two = anonymiseGlb(raw, whitespaceFrom(new Uint8Array(1001).map((_, i) => i)));
    const same = anonymiseGlb(raw, whitespaceFrom(new Uint8Array(8).fill(1)));
    assert.equal(same.byteLength, one.byteLength);
    assert.notEqual(sha(same), sha(one), "same length, other whitespace: another hash");
    assert.notEqual(one.byteLength, two.byteLength);
    assert.notEqual(sha(one), sha(two));
    assert.equal(sha(binChunk(one)), sha(binChunk(raw)));
    assert.equal(sha(binChunk(two)), sha(binChunk(raw)));
    for (const glb of [one, two]) {
      const v = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
      assert.equal(v.getUint32(8, true), glb.byteLength);
      assert.equal(v.getUint32(12, true) % 4, 0, "JSON chunk length is a multiple of 4");
      await new NodeIO().readBinary(glb);
    }
    assert.deepEqual(anonymiseGlb(raw, whitespaceFrom(new Uint8Array(1001).map((_, i) => i))), two, "deterministic for the same tail");
    assert.throws(() => anonymiseGlb(raw, new Uint8Array([0x41])), /whitespace/);
  });

  it("refuses what is not a consistent GLB", async () => {
    const raw = await namedGlb();
    assert.throws(() => anonymiseGlb(new TextEncoder().encode("not a glb at all, really")), GlbContainerError);
    const wrongLength = raw.slice();
    new DataView(wrongLength.buffer).setUint32(8, raw.byteLength + 4, true);
    assert.throws(() => anonymiseGlb(wrongLength), GlbContainerError);
    const overlong = raw.slice();
    new DataView(overlong.buffer).setUint32(12, raw.byteLength, true);
    assert.throws(() => anonymiseGlb(overlong), GlbContainerError);
    const badJson = raw.slice();
    badJson[20] = 0xff;
    assert.throws(() => anonymiseGlb(badJson), GlbContainerError);
  });
});
