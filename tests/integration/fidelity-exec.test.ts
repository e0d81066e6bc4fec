/**
 * Issue 14, part 1: execution as the benchmark's own code does it (docs/benchmark.md,
 * "Execution"), checked in the real sandbox with tiny renders:
 *   - no mode switch: a script that ends in Edit Mode is ERR_RENDER (light_add's poll) and its
 *     export step ERR_EXPORT (select_all's poll), with no metric GLB;
 *   - the box is the world AABB of the meshes' bound_box corners and only parentless MESH
 *     objects are moved (a mesh parented to an Empty stays where it is);
 *   - the metric GLB leaves unrealised Geometry-Nodes instances out (exporter default), while the
 *     views' box ignores them too and our mesh stats count them;
 *   - memory is limited as real memory, not address space: reserving 8 GiB it never touches is
 *     fine under a 4 GiB limit; touching too much stops the run (cgroup, or the RSS watchdog).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { RenderProfile, RunLimits, RunResult, Runner } from "@/blender-runner/client/types";
import { loadGlbTriangles } from "@/lib/metrics/glb-mesh";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TINY: RenderProfile = { name: "tiny", samples: 1, resolution: 32, denoise: false };
const LIMITS: RunLimits = { wallSeconds: 120, cpuSeconds: 240, memoryMiB: 4096, maxProcesses: 256, maxFileMiB: 256, threads: 1 };

type V3 = [number, number, number];
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const closeV = (a: number[], b: number[], tol: number, what: string) => a.forEach((v, i) => close(v, b[i]!, tol, `${what}[${i}]`));

/** Min and max x of a flat triangle list (glTF Y-up: x is Blender's x). */
function xRange(tris: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < tris.length; i += 3) {
    lo = Math.min(lo, tris[i]!);
    hi = Math.max(hi, tris[i]!);
  }
  return [lo, hi];
}

describe("benchmark-faithful execution (issue 14, part 1)", () => {
  let jobsRoot: string;
  let runner: Runner;
  const results: RunResult[] = [];
  const run = async (name: string, code: string) => {
    const r = await runner.run({ id: `fid-${name}-${process.pid}`, code, profile: TINY }, LIMITS);
    results.push(r);
    return r;
  };

  before(async () => {
    jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-fidelity-test-"));
    runner = createLocalRunner({ root: ROOT, jobsRoot });
  });

  after(async () => {
    for (const r of results) await r.cleanup();
    await rm(jobsRoot, { recursive: true, force: true });
  });

  it("a script that ends in Edit Mode is ERR_RENDER (light_add poll), and its export step ERR_EXPORT with no GLB", async () => {
    const r = await run("edit", `import bpy
bpy.ops.mesh.primitive_cube_add()
bpy.ops.object.mode_set(mode="EDIT")
`);
    assert.equal(r.status, "ERR_RENDER", r.errorText ?? r.logTail);
    assert.match(r.errorText!, /^RuntimeError: Operator bpy\.ops\.object\.light_add\.poll\(\) failed, context is incorrect/);
    assert.equal(r.export.status, "ERR_EXPORT");
    assert.match(r.export.error!, /select_all\.poll\(\) failed/);
    assert.equal(r.files.metricGlb, null);
    assert.equal(r.files.renders.length, 0);
    // ERR_RENDER is not classified by the benchmark's taxonomy (ERR_EXEC only).
    assert.equal(r.failure?.group ?? null, null);
  });

  it("the same script back in Object Mode is OK, with a metric GLB", async () => {
    const r = await run("object", `import bpy
bpy.ops.mesh.primitive_cube_add()
bpy.ops.object.mode_set(mode="EDIT")
bpy.ops.object.mode_set(mode="OBJECT")
`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.export.status, "OK");
    assert.ok(r.files.metricGlb && r.files.displayGlb);
    assert.equal(r.files.renders.length, 4);
    assert.equal(r.conditions.device, "cpu");
    assert.ok(["cgroup", "rss-watchdog"].includes(r.conditions.memoryBy));
  });

  it("frames a mesh parented to an Empty as the benchmark does: bound_box box, only parentless meshes moved", async () => {
    // A 2 m cube at the origin, and a 2 m cube parented to an Empty at x = 5: box x in [-1, 6],
    // centre x 2.5, extent 7. Only the parentless cube moves (to x = -2.5); the child stays at 5.
    const r = await run("parent", `import bpy
bpy.ops.mesh.primitive_cube_add(size=2, location=(0, 0, 0))
bpy.ops.object.empty_add(location=(5, 0, 0))
empty = bpy.context.object
bpy.ops.mesh.primitive_cube_add(size=2, location=(0, 0, 0))
child = bpy.context.object
child.parent = empty
`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const setup = r.renderSetup as { extent: number; box: { centre: V3 }; sceneBox: { min: V3; max: V3 }; cameras: { location: V3 }[] };
    close(setup.extent, 7, 1e-5, "extent");
    closeV(setup.box.centre, [2.5, 0, 0], 1e-5, "box centre");
    closeV(setup.sceneBox.min, [-3.5, -1, -1], 1e-5, "box after recentring, min");
    closeV(setup.sceneBox.max, [6, 1, 1], 1e-5, "box after recentring, max");
    close(Math.hypot(...setup.cameras[0]!.location), Math.hypot(1.8 * 7, 0.6 * 7), 1e-3, "camera distance");
    // The metric GLB is exported from the scene as the script left it (not recentred).
    const [lo, hi] = xRange(await loadGlbTriangles(r.files.metricGlb!));
    closeV([lo, hi], [-1, 6], 1e-5, "metric GLB x range");
  });

  it("leaves unrealised Geometry-Nodes instances out of the metric GLB and out of the box", async () => {
    // A 2 m plane whose modifier adds an instance of a 1 m cube at x = 10 (not realised).
    const r = await run("gn", `import bpy
bpy.ops.mesh.primitive_plane_add(size=2)
plane = bpy.context.object
ng = bpy.data.node_groups.new("Inst", "GeometryNodeTree")
ng.interface.new_socket("Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
ng.interface.new_socket("Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
n = ng.nodes
gin, gout = n.new("NodeGroupInput"), n.new("NodeGroupOutput")
cube = n.new("GeometryNodeMeshCube")
inst = n.new("GeometryNodeGeometryToInstance")
move = n.new("GeometryNodeTransform")
move.inputs["Translation"].default_value = (10.0, 0.0, 0.0)
join = n.new("GeometryNodeJoinGeometry")
ng.links.new(cube.outputs["Mesh"], inst.inputs["Geometry"])
ng.links.new(inst.outputs["Instances"], move.inputs["Geometry"])
ng.links.new(gin.outputs[0], join.inputs["Geometry"])
ng.links.new(move.outputs["Geometry"], join.inputs["Geometry"])
ng.links.new(join.outputs["Geometry"], gout.inputs[0])
plane.modifiers.new("GN", "NODES").node_group = ng
`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const tris = await loadGlbTriangles(r.files.metricGlb!);
    assert.equal(tris.length / 9, 2, "the plane's two triangles only");
    closeV(xRange(tris), [-1, 1], 1e-5, "metric GLB x range");
    const setup = r.renderSetup as { extent: number };
    close(setup.extent, 2, 1e-5, "extent (instances not in bound_box)");
    // Our own mesh stats (and the display GLB) keep the instance: it is what the views show.
    assert.equal(r.stats!.vertices, 4 + 8);
    close(r.stats!.bbox.max[0], 10.5, 1e-5, "stats box includes the instance");
    assert.ok(r.files.displayGlb);
  });

  it("a run over the export limit (start-up + script + export) keeps its status but has no metric GLB", async () => {
    const r = await runner.run(
      { id: `fid-slow-${process.pid}`, code: "import bpy, time\ntime.sleep(3)\nbpy.ops.mesh.primitive_cube_add()\n", profile: TINY },
      { ...LIMITS, exportWallSeconds: 2 },
    );
    results.push(r);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.export.status, "ERR_TIMEOUT");
    assert.match(r.export.error!, /over the export limit of 2 s/);
    assert.equal(r.files.metricGlb, null);
    assert.equal(r.files.renders.length, 4);
  });

  it("the script sees the benchmark's sys.argv (Blender's, with the runner's flags after --) and no script folder on sys.path", async () => {
    const r = await run("argv", `import bpy, json, sys, os
args = sys.argv[sys.argv.index("--") + 1:]
print("EVIDENCE=" + json.dumps({"args": args, "folder": os.path.dirname(os.path.abspath(__file__)) in sys.path}))
bpy.ops.mesh.primitive_cube_add()
`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const line = r.logTail.split("\n").find((l) => l.startsWith("EVIDENCE="))!;
    const ev = JSON.parse(line.slice("EVIDENCE=".length)) as { args: string[]; folder: boolean };
    assert.deepEqual(ev.args.slice(0, 2), ["--blender-render", "--script"]);
    assert.ok(ev.args.includes("--samples") && ev.args.includes("CYCLES"));
    assert.equal(ev.folder, false);
  });

  it("reserving far more address space than the memory limit is fine; only touched memory counts", async () => {
    const r = await run("reserve", `import bpy, mmap
big = mmap.mmap(-1, 8 << 30)  # 8 GiB of address space, never touched
big[0:4] = b"used"
bpy.ops.mesh.primitive_cube_add()
`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.conditions.memoryMiB, LIMITS.memoryMiB);
  });

  it("without a memory cgroup, the resident-memory watchdog stops a memory bomb", async () => {
    const plain = createLocalRunner({ root: ROOT, jobsRoot, cgroups: false });
    const r = await plain.run(
      { id: `fid-rss-${process.pid}`, code: "import bpy\nhoard = []\nwhile True:\n    hoard.append(b'x' * (64 << 20))\n", profile: TINY },
      { ...LIMITS, memoryMiB: 1536 },
    );
    results.push(r);
    assert.equal(r.status, "ERR_EXEC");
    assert.match(r.errorText!, /^MemoryLimitExceeded: the job's processes together used more than 1536 MiB/);
    assert.equal(r.conditions.memoryBy, "rss-watchdog");
  });
});
