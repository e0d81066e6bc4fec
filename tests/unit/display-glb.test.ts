/**
 * The display GLB (blender-runner/client/glb-sanitise.ts, display-glb.ts): strictly parsed,
 * sanitised down to geometry and material values, meshopt-compressed; still the same geometry
 * and materials for the viewer, and unreadable by the metric reader on purpose.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Document, NodeIO, getBounds } from "@gltf-transform/core";
import { ALL_EXTENSIONS, EXTMeshoptCompression, EXTTextureWebP, KHRLightsPunctual, KHRMaterialsClearcoat, KHRMaterialsVariants, KHRMeshQuantization, KHRXMP } from "@gltf-transform/extensions";
import { MeshoptDecoder } from "meshoptimizer";
import { PNG } from "pngjs";
import { makeDisplayGlb } from "@/blender-runner/client/display-glb";
import { GlbError, parseGlb } from "@/blender-runner/client/glb-container";
import { assertSanitisedJson, sanitiseGlb } from "@/blender-runner/client/glb-sanitise";
import { readGlb } from "@/lib/metrics/glb-mesh";
import { glb, pngWithText, triangleParts } from "@/tests/support/glb";

const SECRET = "model=gpt-x; path=/root/.ssh/id_rsa";

/** A UV sphere as Blender's exporter would write it, then decorated with everything a script controls. */
async function hostileSphere(n: number): Promise<Uint8Array> {
  const doc = new Document();
  doc.getRoot().getAsset().generator = `Blender ${SECRET}`;
  doc.getRoot().getAsset().copyright = SECRET;
  doc.getRoot().setExtras({ who: SECRET });
  const buffer = doc.createBuffer("secret-buffer");
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
  const png = pngWithText(SECRET);
  const texture = doc.createTexture("BlockoutTexture").setImage(png).setMimeType("image/png").setURI("BlockoutTexture.png").setExtras({ s: SECRET });
  const webp = doc.createTexture("webp").setImage(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])).setMimeType("image/webp");
  doc.createExtension(EXTTextureWebP);
  const clearcoat = doc.createExtension(KHRMaterialsClearcoat).createClearcoat().setClearcoatFactor(0.5).setName("cc").setExtras({ s: SECRET });
  const material = doc.createMaterial("BlockoutMaterial").setBaseColorFactor([1, 0, 0, 1]).setBaseColorTexture(texture).setEmissiveTexture(webp).setExtras({ s: SECRET }).setExtension("KHR_materials_clearcoat", clearcoat);
  const prim = doc
    .createPrimitive()
    .setAttribute("POSITION", doc.createAccessor("pos").setType("VEC3").setArray(new Float32Array(pos)).setBuffer(buffer))
    .setAttribute("NORMAL", doc.createAccessor("nrm").setType("VEC3").setArray(new Float32Array(nrm)).setBuffer(buffer))
    .setIndices(doc.createAccessor("idx").setType("SCALAR").setArray(new Uint32Array(idx)).setBuffer(buffer))
    .setMaterial(material)
    .setExtras({ s: SECRET });
  const mesh = doc.createMesh("BlockoutMesh").addPrimitive(prim).setExtras({ targetNames: [SECRET] });
  const node = doc.createNode("Blockout").setMesh(mesh).setExtras({ s: SECRET });
  const camera = doc.createCamera("cam").setType("perspective").setYFov(0.8).setZNear(0.1);
  const camNode = doc.createNode("CameraNode").setCamera(camera);
  const light = doc.createExtension(KHRLightsPunctual).createLight("sun").setType("directional");
  const lightNode = doc.createNode("LightNode").setExtension("KHR_lights_punctual", light);
  const variants = doc.createExtension(KHRMaterialsVariants);
  variants.createVariant(SECRET);
  const xmp = doc.createExtension(KHRXMP);
  doc.getRoot().setExtension("KHR_xmp_json_ld", xmp.createPacket().setContext({ dc: "http://purl.org/dc/elements/1.1/" }).setProperty("dc:creator", SECRET));
  const anim = doc.createAnimation("spin");
  const input = doc.createAccessor("t").setType("SCALAR").setArray(new Float32Array([0, 1])).setBuffer(buffer);
  const output = doc.createAccessor("r").setType("VEC3").setArray(new Float32Array([0, 0, 0, 1, 1, 1])).setBuffer(buffer);
  const sampler = doc.createAnimationSampler().setInput(input).setOutput(output);
  anim.addSampler(sampler).addChannel(doc.createAnimationChannel().setTargetNode(node).setTargetPath("translation").setSampler(sampler));
  doc.createScene(SECRET).addChild(node).addChild(camNode).addChild(lightNode);
  return new NodeIO().registerExtensions(ALL_EXTENSIONS).writeBinary(doc);
}

const readable = async (bytes: Uint8Array) => {
  await MeshoptDecoder.ready;
  return new NodeIO().registerExtensions([EXTMeshoptCompression, KHRMeshQuantization, KHRMaterialsClearcoat]).registerDependencies({ "meshopt.decoder": MeshoptDecoder }).readBinary(bytes);
};

describe("display GLB: sanitised, then meshopt-compressed", () => {
  let dir: string;
  let source: Uint8Array;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "arena-display-glb-test-"));
    source = await hostileSphere(96);
    // The input really carries everything the sanitiser must remove.
    const text = JSON.stringify(parseGlb(source).json);
    for (const s of ["Blockout", "KHR_lights_punctual", "KHR_materials_variants", "KHR_xmp_json_ld", "animations", "cameras", "copyright"]) assert.ok(text.includes(s), s);
    assert.ok(Buffer.from(source).includes(SECRET), "the PNG's tEXt chunk is in the input");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("keeps nothing of the script's choosing but geometry and material values", async () => {
    const out = await makeDisplayGlb(source);
    assert.equal(out.sourceBytes, source.length);
    assert.ok(!Buffer.from(out.bytes).includes(SECRET), "no byte of the secret survives, the texture's tEXt chunk included");
    assert.ok(!Buffer.from(out.bytes).toString("latin1").includes("Blockout"));
    const { json } = parseGlb(out.bytes);
    assertSanitisedJson(json);
    assert.deepEqual(json.asset, { generator: "3DCodeArena", version: "2.0" });
    for (const key of ["cameras", "animations", "extras", "skins"]) assert.equal(json[key], undefined, key);
    assert.deepEqual([...(json.extensionsUsed as string[])].sort(), ["EXT_meshopt_compression", "KHR_materials_clearcoat", "KHR_mesh_quantization"]);
    assert.equal((json.nodes as unknown[]).length, 1, "camera and light nodes pruned");
    assert.deepEqual(json.images?.map((i) => i.mimeType), ["image/png"], "the WebP texture is dropped, the PNG kept");

    const doc = await readable(out.bytes);
    const [material] = doc.getRoot().listMaterials();
    assert.deepEqual(material!.getBaseColorFactor(), [1, 0, 0, 1]);
    assert.equal(material!.getExtension<import("@gltf-transform/extensions").Clearcoat>("KHR_materials_clearcoat")?.getClearcoatFactor(), 0.5);
    const texture = material!.getBaseColorTexture()!;
    const decoded = PNG.sync.read(Buffer.from(texture.getImage()!));
    assert.deepEqual([decoded.width, decoded.height, ...decoded.data], [2, 1, 255, 0, 0, 255, 0, 0, 255, 255], "the texture's pixels are kept");
    const prim = doc.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
    assert.equal(prim.getIndices()!.getCount(), 96 * 96 * 6);
    const { min, max } = getBounds(doc.getRoot().listScenes()[0]!);
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 2e-3);
    assert.ok(near(min, [3, -2, -2]) && near(max, [7, 2, 2]), `bounds ${min} .. ${max}`);
    assert.ok(out.bytes.length < source.length / 2, `${source.length} -> ${out.bytes.length}`);
  });

  it("the metric reader refuses a compressed GLB, so Chamfer can only be fed the exact metric GLB", async () => {
    const out = await makeDisplayGlb(source);
    const file = path.join(dir, "display.glb");
    await writeFile(file, out.bytes);
    await assert.rejects(readGlb(file), /EXT_meshopt_compression/);
  });

  it("sanitiseGlb alone strips the same without compressing", async () => {
    const clean = await sanitiseGlb(source);
    const { json } = parseGlb(clean);
    assertSanitisedJson(json);
    assert.ok(!(json.extensionsUsed as string[] | undefined)?.includes("EXT_meshopt_compression"));
    assert.ok(!Buffer.from(clean).includes(SECRET));
  });

  it("refuses, never passes through, a GLB it cannot make servable", async () => {
    await assert.rejects(makeDisplayGlb(new TextEncoder().encode("not a glb")), GlbError);
    const external = triangleParts();
    external.json.images = [{ uri: "/proc/self/environ" }];
    await assert.rejects(makeDisplayGlb(glb(external)), /images\[0\]\.uri is not a base64 data: URI/);
    const required = triangleParts();
    required.json.extensionsUsed = ["KHR_draco_mesh_compression"];
    required.json.extensionsRequired = ["KHR_draco_mesh_compression"];
    await assert.rejects(makeDisplayGlb(glb(required)), /cannot read the GLB/);
  });

  it("assertSanitisedJson refuses a name, extras, a uri or a foreign extension anywhere", () => {
    const base = { asset: { version: "2.0", generator: "3DCodeArena" } };
    assertSanitisedJson({ ...base, nodes: [{ mesh: 0 }] });
    assert.throws(() => assertSanitisedJson({ ...base, nodes: [{ name: "x" }] }), /name survived/);
    assert.throws(() => assertSanitisedJson({ ...base, materials: [{ extras: {} }] }), /extras survived/);
    assert.throws(() => assertSanitisedJson({ ...base, images: [{ uri: "data:image/png;base64,AA==", mimeType: "image/png" }] }), /uri survived/);
    assert.throws(() => assertSanitisedJson({ ...base, nodes: [{ extensions: { KHR_lights_punctual: {} } }] }), /uses KHR_lights_punctual/);
    assert.throws(() => assertSanitisedJson({ asset: { version: "2.0", generator: "Blender" } }), /asset was not replaced/);
  });
});
