/**
 * The local runner against real Blender inside the real bubblewrap sandbox.
 * Renders are checked once at a small size; the other cases skip rendering to keep the file quick.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { getBounds, NodeIO } from "@gltf-transform/core";
import { EXTMeshoptCompression, KHRMeshQuantization } from "@gltf-transform/extensions";
import { MeshoptDecoder } from "meshoptimizer";
import { parseGlb } from "@/blender-runner/client/glb-container";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { RenderProfile, RunLimits, RunResult, Runner } from "@/blender-runner/client/types";
import { processesOfUid } from "@/tests/support/proc";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RENDER_PROFILE: RenderProfile = { name: "test", samples: 2, resolution: 96, denoise: true };
const CHEAP: RenderProfile = { name: "test-cheap", samples: 1, resolution: 64, denoise: false };
const LIMITS: RunLimits = { wallSeconds: 120, cpuSeconds: 240, memoryMiB: 6144, maxProcesses: 256, maxFileMiB: 256, threads: 1 };

/** Width, height, colour type and the top-left pixel (whatever the row filter, it is stored raw). */
function readPng(bytes: Uint8Array): { width: number; height: number; colorType: number; bitDepth: number; topLeft: number[] } {
  const buf = Buffer.from(bytes);
  assert.equal(buf.subarray(1, 4).toString("latin1"), "PNG");
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString("latin1");
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colorType = data[9]!;
    } else if (type === "IDAT") idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, colorType, bitDepth, topLeft: [...raw.subarray(1, 5)] };
}

function processesMentioning(needle: string): number[] {
  const hits: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").includes(needle)) hits.push(Number(name));
    } catch {
      /* exited */
    }
  }
  return hits;
}

describe("local runner (bubblewrap + Blender)", () => {
  let jobsRoot: string;
  let runner: Runner;
  const results: RunResult[] = [];
  let seq = 0;
  const run = async (code: string, opts: { profile?: RenderProfile; render?: boolean; limits?: Partial<RunLimits> } = {}) => {
    const r = await runner.run(
      { id: `t${process.pid}-${seq++}`, code, profile: opts.profile ?? CHEAP, render: opts.render ?? false },
      { ...LIMITS, ...opts.limits },
    );
    results.push(r);
    return r;
  };

  before(async () => {
    jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-runner-test-"));
    runner = createLocalRunner({ root: ROOT, jobsRoot });
    assert.match(await runner.version(), /^5\.\d+\.\d+$/);
  });

  after(async () => {
    for (const r of results) await r.cleanup();
    await rm(jobsRoot, { recursive: true, force: true });
  });

  it("runs a mesh script: OK, four RGBA views, a geometry-only Y-up metric GLB and a display GLB", async () => {
    // A 1 x 1 x 3 box standing on z = 0, red: Y-up and "not recentred" are visible in the GLB.
    const r = await run(
      `import bpy
mesh = bpy.data.meshes.new("Box")
v = [(x, y, z) for z in (0, 3) for y in (-0.5, 0.5) for x in (-0.5, 0.5)]
f = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
mesh.from_pydata(v, [], f)
obj = bpy.data.objects.new("Box", mesh)
bpy.context.collection.objects.link(obj)
mat = bpy.data.materials.new("Red")
mat.diffuse_color = (1, 0, 0, 1)
mesh.materials.append(mat)
`,
      { profile: RENDER_PROFILE, render: true },
    );
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.errorText, null);
    assert.equal(r.failure, null);
    assert.match(r.blenderVersion ?? "", /^5\./);
    assert.equal(r.stats?.vertices, 8);
    assert.equal(r.stats?.faces, 6);
    assert.equal(r.stats?.triangles, 12);
    assert.equal(r.stats?.parts, 1);
    assert.equal(r.stats?.nonManifoldEdges, 0);
    assert.equal(r.stats?.extent, 3);
    assert.deepEqual(r.stats?.bbox, { min: [-0.5, -0.5, 0], max: [0.5, 0.5, 3] });
    assert.equal(r.stats?.hasMaterials, true);
    assert.deepEqual(r.renderer, { engine: "CYCLES", device: "cpu", samples: 2, resolution: 96, denoiser: "OPENIMAGEDENOISE" });

    assert.deepEqual(
      r.files.renders.map((v) => [v.name, v.azimuthDeg]),
      [["Image_005.png", 45], ["Image_015.png", 135], ["Image_025.png", 225], ["Image_035.png", 315]],
    );
    for (const view of r.files.renders) {
      assert.ok(Math.abs(view.elevationDeg - 18.4349) < 1e-3);
      const png = readPng(view.png);
      assert.deepEqual([png.width, png.height, png.colorType, png.bitDepth], [96, 96, 6, 8], view.name);
      assert.equal(png.topLeft[3], 0, `${view.name}: the background is transparent`);
    }

    const io = new NodeIO();
    assert.ok(r.files.metricGlb && r.files.displayGlb);
    const metric = await io.readBinary(r.files.metricGlb);
    assert.equal(metric.getRoot().listMaterials().length, 0);
    for (const m of metric.getRoot().listMeshes()) for (const p of m.listPrimitives()) assert.equal(p.getMaterial(), null);
    const scene = metric.getRoot().getDefaultScene() ?? metric.getRoot().listScenes()[0]!;
    const { min, max } = getBounds(scene);
    // Blender Z (0..3) becomes glTF Y; Blender Y becomes glTF -Z. Not recentred.
    const near = (a: number, b: number) => Math.abs(a - b) < 1e-5;
    assert.ok(near(min[1], 0) && near(max[1], 3), `Y range ${min[1]}..${max[1]}`);
    assert.ok(near(min[0], -0.5) && near(max[0], 0.5) && near(min[2], -0.5) && near(max[2], 0.5));

    // The display GLB is sanitised (no names) and meshopt-compressed: the material's values stay.
    await MeshoptDecoder.ready;
    const displayIo = new NodeIO().registerExtensions([EXTMeshoptCompression, KHRMeshQuantization]).registerDependencies({ "meshopt.decoder": MeshoptDecoder });
    const display = await displayIo.readBinary(r.files.displayGlb);
    assert.deepEqual(display.getRoot().listMaterials().map((m) => m.getName()), [""], "one material, its name (Red) stripped");
    assert.deepEqual(parseGlb(r.files.displayGlb).json.asset, { generator: "3DCodeArena", version: "2.0" });
    assert.ok(r.files.displayGlbSourceBytes && r.files.displayGlbSourceBytes > 0);
    assert.ok(r.timings.total > 0 && r.timings.render > 0);
    assert.ok((r.peakMemoryMiB ?? 0) > 50);
  });

  it("reports an exception as ERR_EXEC with '<Type>: <msg>\\n<traceback>'", async () => {
    const r = await run(`import bpy\n\ndef build():\n    raise ValueError("boom")\n\nbuild()\n`);
    assert.equal(r.status, "ERR_EXEC");
    assert.ok(r.errorText?.startsWith("ValueError: boom\nTraceback (most recent call last):\n"), r.errorText ?? "");
    assert.match(r.errorText!, /File "\/job\/script\.py", line 4, in build/);
    assert.doesNotMatch(r.errorText!, /harness|runpy/, "harness frames are trimmed");
    assert.deepEqual(r.failure, { group: "OTHER", detail: "value-error", ownGroup: "OTHER" });
    assert.deepEqual(r.files, { metricGlb: null, displayGlb: null, displayGlbSourceBytes: null, renders: [] });
  });

  it("treats sys.exit(0) as ERR_EXEC", async () => {
    const r = await run(`import bpy, sys\nbpy.ops.mesh.primitive_cube_add()\nsys.exit(0)\n`);
    assert.equal(r.status, "ERR_EXEC");
    assert.ok(r.errorText?.startsWith("SystemExit: 0\n"), r.errorText ?? "");
  });

  it("reports ERR_NO_MESH when only cameras, lights and empties are left", async () => {
    const r = await run(`import bpy
bpy.ops.object.camera_add()
bpy.ops.object.light_add(type="SUN")
bpy.ops.object.empty_add()
`);
    assert.equal(r.status, "ERR_NO_MESH");
    assert.deepEqual(r.failure, { group: null, detail: "no-mesh", ownGroup: "OTHER" });
  });

  it("kills an endless script at the wall-clock limit, whole process tree included", async () => {
    const start = Date.now();
    const jobDir = path.join(jobsRoot, `t${process.pid}-${seq}`);
    // A second thread too: the kill must take every thread and process of the sandbox.
    const r = await run(`import bpy, threading\n\ndef spin():\n    while True:\n        pass\n\nthreading.Thread(target=spin, daemon=True).start()\nspin()\n`, {
      limits: { wallSeconds: 5 },
    });
    const elapsed = (Date.now() - start) / 1000;
    assert.equal(r.status, "ERR_TIMEOUT");
    assert.deepEqual(r.failure, { group: null, detail: "timeout", ownGroup: "OTHER" });
    assert.equal(r.phase, "script");
    assert.ok(elapsed < 15, `took ${elapsed}s`);
    assert.equal(r.exit?.timedOut, true);
    assert.deepEqual(processesMentioning(jobDir), [], "no bwrap left for the job");
    if (r.sandboxUid != null) assert.deepEqual(processesOfUid(r.sandboxUid), [], "no sandboxed process left");
  });

  describe("isolation", () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    const secret = `arena-secret-${process.pid}`;

    before(async () => {
      process.env.ARENA_TEST_SECRET = secret;
      server = createServer((s) => {
        connections++;
        s.end("hello");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    after(async () => {
      delete process.env.ARENA_TEST_SECRET;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("sees no network, no host environment, no project or home folder, and can write only /job", async () => {
      const pwned = path.join(ROOT, "blender-runner", "harness", `pwned-${process.pid}`);
      const r = await run(`import bpy, json, os, socket, resource
out = {}
try:
    s = socket.create_connection(("127.0.0.1", ${port}), timeout=3)
    out["net"] = "connected:" + s.recv(10).decode()
except OSError as e:
    out["net"] = "blocked:" + type(e).__name__
out["env"] = dict(os.environ)
out["secret"] = any("${secret}" in v for v in os.environ.values())
out["seen"] = {p: os.path.exists(p) for p in ["/work/main", "${ROOT}", "/root", "/home", "/etc/passwd", "/etc/shadow", "${jobsRoot}"]}
writes = {}
for p in ["/opt/harness/pwned-${process.pid}", "/usr/pwned", "/pwned", "/etc/pwned", "/job/ok.txt", "/tmp/ok.txt"]:
    try:
        with open(p, "w") as fh:
            fh.write("x")
        writes[p] = True
    except OSError:
        writes[p] = False
out["writes"] = writes
out["uid"] = os.getuid()
out["nproc"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
print("ISOLATION=" + json.dumps(out))
bpy.ops.mesh.primitive_cube_add()
`);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      const line = r.logTail.split("\n").find((l) => l.startsWith("ISOLATION="));
      assert.ok(line, r.logTail);
      const seen = JSON.parse(line.slice("ISOLATION=".length)) as {
        net: string;
        env: Record<string, string>;
        secret: boolean;
        seen: Record<string, boolean>;
        writes: Record<string, boolean>;
        uid: number;
        nproc: number;
      };
      assert.match(seen.net, /^blocked:/);
      assert.equal(connections, 0);
      assert.equal(seen.secret, false);
      // Only the sandbox's own minimal set (and what Blender sets for itself): no host value leaks.
      const setBySandbox = /^(LANG|TMPDIR|PYTHONDONTWRITEBYTECODE|PYTHONNOUSERSITE|PYTHONUNBUFFERED|\w+_NUM_THREADS|VECLIB_MAXIMUM_THREADS)$/;
      const leaked = Object.keys(seen.env).filter((k) => !setBySandbox.test(k) && process.env[k] !== undefined && process.env[k] === seen.env[k]);
      assert.deepEqual(leaked, []);
      assert.equal(seen.env.HOME, "/job");
      assert.ok(Object.values(seen.seen).every((v) => !v), JSON.stringify(seen.seen));
      assert.deepEqual(seen.writes, {
        [`/opt/harness/pwned-${process.pid}`]: false,
        "/usr/pwned": false,
        "/pwned": false,
        "/etc/pwned": false,
        "/job/ok.txt": true,
        "/tmp/ok.txt": true,
      });
      assert.equal(existsSync(pwned), false);
      if (process.getuid?.() === 0) assert.notEqual(seen.uid, 0);
      assert.equal(seen.nproc, LIMITS.maxProcesses);
    });
  });
});
