/**
 * Display GLB web compression (blender-runner/client/display-glb.ts): smaller, still the same
 * geometry and materials for the viewer, and unreadable by the metric reader on purpose.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Document, NodeIO, getBounds } from "@gltf-transform/core";
import { EXTMeshoptCompression, KHRMeshQuantization } from "@gltf-transform/extensions";
import { MeshoptDecoder } from "meshoptimizer";
import { compressDisplayGlb } from "@/blender-runner/client/display-glb";
import { readGlb } from "@/lib/metrics/glb-mesh";

/** A UV sphere (n x n quads) with normals and one red material, as Blender's exporter would write. */
function sphereGlb(n: number): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const pos: number[] = [];
  const nrm: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const th = (Math.PI * i) / n;
      const ph = (2 * Math.PI * j) / n;
      const p = [Math.sin(th) * Math.cos(ph), Math.cos(th), Math.sin(th) * Math.sin(ph)];
      pos.push(p[0]! * 2 + 5, p[1]! * 2, p[2]! * 2);
      nrm.push(...p);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = i * (n + 1) + j;
      idx.push(a, a + n + 1, a + 1, a + 1, a + n + 1, a + n + 2);
    }
  }
  const prim = doc
    .createPrimitive()
    .setAttribute("POSITION", doc.createAccessor().setType("VEC3").setArray(new Float32Array(pos)).setBuffer(buffer))
    .setAttribute("NORMAL", doc.createAccessor().setType("VEC3").setArray(new Float32Array(nrm)).setBuffer(buffer))
    .setIndices(doc.createAccessor().setType("SCALAR").setArray(new Uint32Array(idx)).setBuffer(buffer))
    .setMaterial(doc.createMaterial("Red").setBaseColorFactor([1, 0, 0, 1]));
  const node = doc.createNode("Sphere").setMesh(doc.createMesh("Sphere").addPrimitive(prim));
  doc.createScene().addChild(node);
  return new NodeIO().writeBinary(doc);
}

describe("display GLB compression (meshopt)", () => {
  let dir: string;
  let original: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "arena-display-glb-test-"));
    original = path.join(dir, "display.glb");
    await writeFile(original, await sphereGlb(96));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("shrinks the file and keeps geometry (within quantisation) and materials", async () => {
    const web = await compressDisplayGlb(original);
    try {
      assert.equal(web.error, null);
      assert.notEqual(web.path, original);
      assert.ok(web.compressedBytes !== null && web.compressedBytes < web.bytes / 2, `${web.bytes} -> ${web.compressedBytes}`);
      await MeshoptDecoder.ready;
      const io = new NodeIO().registerExtensions([EXTMeshoptCompression, KHRMeshQuantization]).registerDependencies({ "meshopt.decoder": MeshoptDecoder });
      const doc = await io.read(web.path);
      assert.deepEqual(doc.getRoot().listExtensionsRequired().map((e) => e.extensionName).sort(), ["EXT_meshopt_compression", "KHR_mesh_quantization"]);
      assert.deepEqual(doc.getRoot().listMaterials().map((m) => m.getName()), ["Red"]);
      const prim = doc.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
      assert.equal(prim.getIndices()!.getCount(), 96 * 96 * 6);
      const { min, max } = getBounds(doc.getRoot().listScenes()[0]!);
      const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 2e-3);
      assert.ok(near(min, [3, -2, -2]) && near(max, [7, 2, 2]), `bounds ${min} .. ${max}`);
    } finally {
      await web.cleanup();
    }
  });

  it("the metric reader refuses a compressed GLB, so Chamfer can only be fed the exact metric GLB", async () => {
    const web = await compressDisplayGlb(original);
    try {
      await assert.rejects(readGlb(web.path), /EXT_meshopt_compression/);
      await readGlb(original);
    } finally {
      await web.cleanup();
    }
  });

  it("falls back to the original file when the input cannot be compressed", async () => {
    const bad = path.join(dir, "bad.glb");
    await writeFile(bad, "not a glb");
    const web = await compressDisplayGlb(bad);
    assert.equal(web.path, bad);
    assert.equal(web.bytes, 9);
    assert.equal(web.compressedBytes, null);
    assert.ok(web.error);
  });
});
