/**
 * Coloured point clouds for command metrics (issue 16 part 3; benchmark-compat §9: 8,192 points
 * coloured by face colour, else grey 0.4): each point takes the colour of the triangle it was
 * sampled on, and the binary PLY holds exactly those points and colours.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Document, NodeIO } from "@gltf-transform/core";
import { encodePly, sampleColouredCloud } from "@/lib/metrics/point-cloud";

type Tri = { positions: number[]; colours?: number[]; base?: [number, number, number, number] };

/** A GLB with one mesh node per triangle; optional COLOR_0 (per vertex) or material base colour. */
async function glb(tris: Tri[]): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scene = doc.createScene();
  for (const t of tris) {
    const prim = doc.createPrimitive().setAttribute("POSITION", doc.createAccessor().setType("VEC3").setArray(new Float32Array(t.positions)).setBuffer(buffer));
    if (t.colours) prim.setAttribute("COLOR_0", doc.createAccessor().setType("VEC3").setArray(new Float32Array(t.colours)).setBuffer(buffer));
    if (t.base) prim.setMaterial(doc.createMaterial().setBaseColorFactor(t.base));
    scene.addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(prim)));
  }
  doc.getRoot().setDefaultScene(scene);
  return new NodeIO().writeBinary(doc);
}

describe("coloured point clouds", () => {
  it("colours each point by its triangle: base colour, else grey 0.4; 8,192 points", async () => {
    // Two unit right triangles of equal area, at z = 0 (red material) and z = 1 (no material).
    const bytes = await glb([
      { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0], base: [0.8, 0.1, 0.1, 1] },
      { positions: [0, 0, 1, 1, 0, 1, 0, 1, 1] },
    ]);
    const r = await sampleColouredCloud(bytes);
    assert.ok(r.ok);
    const { points, colours } = r.cloud;
    assert.equal(points.length, 8192 * 3);
    let red = 0;
    for (let i = 0; i < 8192; i++) {
      const rgb = [...colours.subarray(3 * i, 3 * i + 3)];
      if (points[3 * i + 2] === 0) {
        assert.deepEqual(rgb, [204, 26, 26], `point ${i} on the red triangle`);
        red++;
      } else {
        assert.equal(points[3 * i + 2], 1);
        assert.deepEqual(rgb, [102, 102, 102], `point ${i} on the grey triangle`);
      }
    }
    // Equal areas: about half each (binomial sd ~45 points).
    assert.ok(Math.abs(red - 4096) < 300, `${red} red points`);
  });

  it("vertex colours win over the material and are averaged over the triangle's corners", async () => {
    const bytes = await glb([{ positions: [0, 0, 0, 1, 0, 0, 0, 1, 0], colours: [1, 0, 0, 0, 1, 0, 0, 0, 1], base: [0, 1, 0, 1] }]);
    const r = await sampleColouredCloud(bytes, 16);
    assert.ok(r.ok);
    assert.deepEqual([...r.cloud.colours.subarray(0, 6)], [85, 85, 85, 85, 85, 85]);
  });

  it("a GLB without surface or not a GLB at all is a failure with a reason", async () => {
    const flat = await sampleColouredCloud(await glb([{ positions: [0, 0, 0, 1, 1, 1, 2, 2, 2] }]));
    assert.deepEqual(flat, { ok: false, reason: "mesh has no triangles with non-zero area" });
    const none = await sampleColouredCloud(await glb([]));
    assert.deepEqual(none, { ok: false, reason: "mesh has no triangles" });
    const junk = await sampleColouredCloud(new TextEncoder().encode("not a glb"));
    assert.equal(junk.ok, false);
    assert.match((junk as { reason: string }).reason, /^metric GLB could not be read/);
  });

  it("the PLY holds the header, then 15 bytes per point: float x y z, uchar r g b", () => {
    const ply = Buffer.from(encodePly({ points: new Float32Array([1.5, -2, 0.25, 3, 4, 5]), colours: new Uint8Array([10, 20, 30, 255, 0, 7]) }));
    const end = ply.indexOf("end_header\n") + "end_header\n".length;
    const header = ply.subarray(0, end).toString("ascii");
    assert.match(header, /^ply\nformat binary_little_endian 1\.0\n/);
    assert.match(header, /element vertex 2\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n$/);
    assert.equal(ply.length - end, 30);
    assert.deepEqual([ply.readFloatLE(end), ply.readFloatLE(end + 4), ply.readFloatLE(end + 8), ply[end + 12], ply[end + 13], ply[end + 14]], [1.5, -2, 0.25, 10, 20, 30]);
    assert.deepEqual([ply.readFloatLE(end + 15), ply[end + 29]], [3, 7]);
  });
});
