/**
 * EXEC_DEVICE against real Blender in the real sandbox: the device the views were rendered on is
 * recorded with the run (renderer record and run conditions), and a GPU that Blender cannot see
 * (this machine has none) renders on the CPU and says so, never pretending the GPU was used.
 * The sandbox argument checks keep the GPU away from the stage that runs model code.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import { buildSandboxArgs, gpuDeviceNodes } from "@/blender-runner/client/sandbox";
import type { ExecDevice, RenderProfile, RunLimits, RunResult } from "@/blender-runner/client/types";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TINY: RenderProfile = { name: "test-tiny", samples: 1, resolution: 32, denoise: false };
const LIMITS: RunLimits = { wallSeconds: 120, cpuSeconds: 240, memoryMiB: 6144, maxProcesses: 256, maxFileMiB: 256, threads: 1 };
const CUBE = "import bpy\nbpy.ops.mesh.primitive_cube_add(size=1)\n";

describe("EXEC_DEVICE: the Cycles device, recorded with every run", () => {
  let jobsRoot: string;
  const results: RunResult[] = [];
  const run = async (device: ExecDevice | undefined, code = CUBE) => {
    const runner = createLocalRunner({ root: ROOT, jobsRoot, ...(device ? { device } : {}) });
    const r = await runner.run({ id: `dev${process.pid}-${results.length}`, code, profile: TINY, render: true }, LIMITS);
    results.push(r);
    return r;
  };

  before(async () => {
    jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-exec-device-"));
  });
  after(async () => {
    for (const r of results) await r.cleanup();
    await rm(jobsRoot, { recursive: true, force: true });
  });

  it("default (cpu): rendered and recorded as cpu, no note", async () => {
    const r = await run(undefined);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.renderer?.device, "cpu");
    assert.equal(r.renderer?.requestedDevice, undefined);
    assert.deepEqual([r.conditions.device, r.conditions.requestedDevice, r.conditions.deviceNote], ["cpu", "cpu", null]);
    assert.equal(r.files.renders.length, 4);
  });

  it("cuda on a machine without one: the views render on the CPU, and the run records what was asked, what was used and why", async () => {
    const r = await run("cuda");
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.files.renders.length, 4);
    assert.equal(r.renderer?.device, "cpu");
    assert.equal(r.renderer?.requestedDevice, "cuda");
    assert.equal(r.conditions.device, "cpu");
    assert.equal(r.conditions.requestedDevice, "cuda");
    assert.match(r.conditions.deviceNote ?? "", /^EXEC_DEVICE=cuda: Blender found no CUDA device; rendered on the CPU$/);
  });

  it("a script that fails before any view: the requested device is recorded, with no note", async () => {
    const r = await run("optix", "raise RuntimeError('boom')\n");
    assert.equal(r.status, "ERR_EXEC");
    assert.equal(r.renderer, null);
    assert.deepEqual([r.conditions.device, r.conditions.requestedDevice, r.conditions.deviceNote], ["optix", "optix", null]);
  });
});

describe("GPU device nodes in the sandbox", () => {
  const listing = () => ["null", "nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset", "nvidia-caps", "nvidia0x", "dri", "sda"];

  it("cpu binds none; a GPU device binds only the NVIDIA nodes by exact name", () => {
    assert.deepEqual(gpuDeviceNodes("cpu", listing), []);
    assert.deepEqual(gpuDeviceNodes("cuda", listing), ["/dev/nvidia-modeset", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1", "/dev/nvidiactl"]);
    assert.deepEqual(gpuDeviceNodes("optix", () => { throw new Error("EACCES"); }), []);
  });

  it("only process 2 (which never runs model code) gets them; process 1, the script's, never does", () => {
    const tools = { bwrap: "bwrap", prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv", taskset: "/usr/bin/taskset" };
    const spec = { install: { kind: "binary" as const, binary: "/usr/bin/python3" }, harnessDir: ROOT, jobDir: "/tmp", pyvenvCfg: null, limits: LIMITS, tmpfsMiB: 16, cpus: null, tools, dropToUid: null, gpuNodes: ["/dev/nvidia0", "/dev/nvidiactl"] };
    const collect = buildSandboxArgs({ ...spec, stage: "collect" }).join(" ");
    const script = buildSandboxArgs({ ...spec, stage: "run" }).join(" ");
    assert.match(collect, /--dev-bind-try \/dev\/nvidia0 \/dev\/nvidia0 --dev-bind-try \/dev\/nvidiactl \/dev\/nvidiactl/);
    assert.doesNotMatch(script, /nvidia/);
  });
});
