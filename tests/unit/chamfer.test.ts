import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Document, NodeIO, Primitive, type GLTF, type Node } from "@gltf-transform/core";
import {
  chamferBetweenGlbs,
  chamferBetweenTriangles,
  conditionalMean,
  MIN_POINTS,
  normaliseCloud,
  penalisedFromAggregates,
  penalisedMean,
} from "@/lib/metrics/chamfer";
import { loadGlbTriangles } from "@/lib/metrics/glb-mesh";
import { KdTree } from "@/lib/metrics/kdtree";
import { countDistinct, SAMPLE_COUNT, sampleSurface } from "@/lib/metrics/sampling";

type Vec3 = [number, number, number];
interface Part {
  positions: number[];
  indices?: number[];
  mode?: GLTF.MeshPrimitiveMode;
  translation?: Vec3;
  scale?: Vec3;
  /** Quaternion [x, y, z, w]. */
  rotation?: [number, number, number, number];
  /** Nested under the previous part's node (exercises world matrices). */
  child?: boolean;
}

/** Box with corners lo..hi as 8 vertices + 12 indexed triangles (outward winding irrelevant here). */
function box(lo: Vec3, hi: Vec3): { positions: number[]; indices: number[] } {
  const positions: number[] = [];
  for (let k = 0; k < 8; k++) positions.push(k & 1 ? hi[0] : lo[0], k & 2 ? hi[1] : lo[1], k & 4 ? hi[2] : lo[2]);
  const quads = [[0, 1, 3, 2], [4, 6, 7, 5], [0, 4, 5, 1], [2, 3, 7, 6], [0, 2, 6, 4], [1, 5, 7, 3]];
  return { positions, indices: quads.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!]) };
}

const unitCube = (): Part => box([0, 0, 0], [1, 1, 1]);
/** An L-ish shape: no symmetry under quarter or half turns about Y. */
const asymmetric = (): Part[] => [box([0, 0, 0], [2, 0.5, 0.6]), box([1.5, 0.5, 0], [2, 1.4, 0.3])];

async function glb(parts: Part[]): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scene = doc.createScene();
  let parent: Node | null = null;
  for (const p of parts) {
    const prim = doc
      .createPrimitive()
      .setMode(p.mode ?? Primitive.Mode.TRIANGLES!)
      .setAttribute("POSITION", doc.createAccessor().setType("VEC3").setArray(new Float32Array(p.positions)).setBuffer(buffer));
    if (p.indices) prim.setIndices(doc.createAccessor().setType("SCALAR").setArray(new Uint32Array(p.indices)).setBuffer(buffer));
    const node = doc.createNode().setMesh(doc.createMesh().addPrimitive(prim));
    if (p.translation) node.setTranslation(p.translation);
    if (p.scale) node.setScale(p.scale);
    if (p.rotation) node.setRotation(p.rotation);
    if (p.child && parent) parent.addChild(node);
    else scene.addChild(node);
    parent = node;
  }
  doc.getRoot().setDefaultScene(scene);
  return new NodeIO().writeBinary(doc);
}

const quarterTurnY: [number, number, number, number] = [0, Math.SQRT1_2, 0, Math.SQRT1_2];

describe("chamferBetweenGlbs", () => {
  it("scores identical meshes 0 (same seed, same points)", async () => {
    const a = await glb(asymmetric());
    const r = await chamferBetweenGlbs(a, await glb(asymmetric()));
    assert.ok(r.ok);
    assert.ok(r.cd <= 1e-12 && r.cdRotMin <= 1e-12, `cd ${r.cd}`);
    assert.equal(r.bestRotationDeg, 0);
    assert.equal(r.points, SAMPLE_COUNT);
  });

  it("treats indexed and non-indexed primitives alike", async () => {
    const { positions, indices } = unitCube();
    const expanded = indices!.flatMap((i) => positions.slice(3 * i, 3 * i + 3));
    const r = await chamferBetweenGlbs(await glb([{ positions: expanded }]), await glb([unitCube()]));
    assert.ok(r.ok && r.cd <= 1e-12);
  });

  it("ignores position and size: a translated, scaled cube scores ~0", async () => {
    const moved = await glb([{ ...unitCube(), translation: [3, -1, 2], scale: [2.5, 2.5, 2.5] }]);
    const r = await chamferBetweenGlbs(moved, await glb([unitCube()]));
    assert.ok(r.ok && r.cd < 1e-9, JSON.stringify(r));
  });

  it("the vertical search finds the quarter turn about +Y that undoes a rotated generation; the benchmark's does not", async () => {
    const [base, arm] = asymmetric() as [Part, Part];
    // Rotated via a parent node so that the child's world matrix composes two transforms.
    const turned = await glb([{ ...base, rotation: quarterTurnY }, { ...arm, child: true }]);
    const r = await chamferBetweenGlbs(turned, await glb(asymmetric()));
    assert.ok(r.ok);
    assert.ok(r.cd > 0.01, `cd ${r.cd}`);
    assert.ok(r.cdRotMinVertical < 1e-9, `cdRotMinVertical ${r.cdRotMinVertical}`);
    assert.equal(r.bestRotationVerticalDeg, 270);
    assert.ok(r.cdRotMin > 0.01, `benchmark search about Z: ${r.cdRotMin}`);
  });

  it("the benchmark's search turns the generated cloud about the GLB's Z axis (horizontal): it undoes a tipped-over generation", async () => {
    const [base, arm] = asymmetric() as [Part, Part];
    // +90 degrees about glTF Z; the benchmark's R(270) = [[0,1,0],[-1,0,0],[0,0,1]] undoes it.
    const tipped = await glb([{ ...base, rotation: [0, 0, Math.SQRT1_2, Math.SQRT1_2] }, { ...arm, child: true }]);
    const r = await chamferBetweenGlbs(tipped, await glb(asymmetric()));
    assert.ok(r.ok);
    assert.ok(r.cd > 0.01, `cd ${r.cd}`);
    assert.ok(r.cdRotMin < 1e-9, `cdRotMin ${r.cdRotMin}`);
    assert.equal(r.bestRotationDeg, 270);
    assert.ok(r.cdRotMinVertical > 0.01, `vertical search: ${r.cdRotMinVertical}`);
    // The sign convention matters for the argmin label: -90 degrees is undone by R(90).
    const other = await glb([{ ...base, rotation: [0, 0, -Math.SQRT1_2, Math.SQRT1_2] }, { ...arm, child: true }]);
    const o = await chamferBetweenGlbs(other, await glb(asymmetric()));
    assert.ok(o.ok && o.cdRotMin < 1e-9 && o.bestRotationDeg === 90, JSON.stringify(o));
  });

  it("skips non-triangle primitives", async () => {
    const lines: Part = { positions: [0, 0, 0, 5, 5, 5], mode: Primitive.Mode.LINES };
    const r = await chamferBetweenGlbs(await glb([unitCube(), { ...lines, child: true }]), await glb([unitCube()]));
    assert.ok(r.ok && r.cd <= 1e-12);
    assert.equal((await loadGlbTriangles(await glb([lines]))).length, 0);
  });

  it("fails (no number) on empty, zero-area or unreadable meshes; a collapsed cloud is scored and flagged, as there", async () => {
    const ref = await glb([unitCube()]);
    const flat: Part = { positions: [0, 0, 0, 1, 1, 1, 2, 2, 2] }; // collinear: zero area
    // A real triangle 2e-4 wide near (1000, 1000, 1000), where float32 steps are 6e-5: its
    // samples collapse onto a few dozen representable points.
    const tiny: Part = { positions: [1000, 1000, 1000, 1000.0002, 1000, 1000.0002, 1000, 1000.0002, 1000] };
    for (const parts of [[], [flat]] as Part[][]) {
      const r = await chamferBetweenGlbs(await glb(parts), ref);
      assert.ok(!r.ok && r.side === "generated", JSON.stringify(r));
    }
    const tinyResult = await chamferBetweenGlbs(await glb([tiny]), ref);
    assert.ok(tinyResult.ok && tinyResult.fewDistinctPoints, `fewer than ${MIN_POINTS} distinct points: scored, flagged`);
    const broken = await chamferBetweenGlbs(ref, new Uint8Array([1, 2, 3]));
    assert.ok(!broken.ok && broken.side === "reference" && broken.reason.startsWith("unreadable GLB"));
  });
});

describe("Chamfer building blocks", () => {
  it("k-d tree nearest neighbour agrees with brute force", () => {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    // Clustered + duplicated points stress the median split and equal keys.
    const points = new Float64Array(3 * 3000).map((_, k) => (k < 3000 ? Math.round(rand() * 20) / 20 : rand() * 2 - 1));
    const tree = new KdTree(points);
    for (let q = 0; q < 500; q++) {
      const [x, y, z] = [rand() * 2.4 - 1.2, rand() * 2.4 - 1.2, rand() * 2.4 - 1.2];
      let best = Infinity;
      for (let k = 0; k < points.length; k += 3) {
        best = Math.min(best, (points[k]! - x) ** 2 + (points[k + 1]! - y) ** 2 + (points[k + 2]! - z) ** 2);
      }
      const found = tree.nearest(x, y, z);
      assert.equal(found.dist2, best);
      const i = 3 * found.index;
      assert.equal((points[i]! - x) ** 2 + (points[i + 1]! - y) ** 2 + (points[i + 2]! - z) ** 2, best);
    }
  });

  it("samples by area, deterministically, and normalises to the unit sphere", () => {
    // Two triangles, the second with 3x the area: it should get ~3/4 of the points.
    const tris = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5, 3, 0, 5, 0, 1, 5]);
    const a = sampleSurface(tris, 8000);
    assert.deepEqual(sampleSurface(tris, 8000).points, a.points);
    assert.equal(a.area, 2);
    let upper = 0;
    for (let k = 2; k < a.points.length; k += 3) if (a.points[k]! > 2.5) upper++;
    assert.ok(Math.abs(upper / 8000 - 0.75) < 0.02, `share ${upper / 8000}`);
    assert.equal(countDistinct(a.points), 8000);
    const unit = normaliseCloud(a.points);
    let maxNorm = 0;
    for (let k = 0; k < unit.length; k += 3) maxNorm = Math.max(maxNorm, Math.hypot(unit[k]!, unit[k + 1]!, unit[k + 2]!));
    assert.ok(Math.abs(maxNorm - 1) < 1e-12);
  });

  it("differs between different shapes and is symmetric", () => {
    const cube = new Float32Array(unitCube().indices!.flatMap((i) => unitCube().positions.slice(3 * i, 3 * i + 3)));
    const sheet = new Float32Array([0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]);
    const ab = chamferBetweenTriangles(cube, sheet);
    const ba = chamferBetweenTriangles(sheet, cube);
    assert.ok(ab.ok && ba.ok && ab.cd > 0.05);
    assert.ok(Math.abs(ab.cd - ba.cd) < 1e-12);
  });

  it("penalises failures at 1.5x the worst executable CD", () => {
    assert.ok(Math.abs(penalisedMean([0.1, 0.3, null])! - (0.1 + 0.3 + 0.45) / 3) < 1e-15);
    assert.equal(conditionalMean([0.1, 0.3, null]), 0.2);
    assert.equal(penalisedMean([0.2, 0.2]), 0.2);
    assert.equal(penalisedMean([null, null]), null);
    assert.equal(penalisedMean([]), null);
    // From database aggregates (n, scored, mean, max): the same numbers.
    assert.ok(Math.abs(penalisedFromAggregates(3, 2, 0.2, 0.3)! - penalisedMean([0.1, 0.3, null])!) < 1e-15);
    assert.equal(penalisedFromAggregates(2, 0, null, null), null);
  });
});
