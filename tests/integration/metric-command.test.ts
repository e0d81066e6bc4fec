/**
 * Command metric plugins (issue 16 part 3) end to end on real Blender output: a generated and a
 * reference script run in the sandboxed runner, their metric GLBs and views go through the
 * plugin (coloured 8,192-point PLY clouds, job file, bubblewrap, strict result schema) to a small
 * protocol-following command (tests/fixtures/metric-commands/extent-ratio.mjs). Then the hostile
 * commands: each must end as a failed outcome with a reason, never a crash or a bogus value.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { requireEnv } from "@/tests/support/env";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { RenderProfile, RunLimits, RunResult } from "@/blender-runner/client/types";

requireEnv("DATABASE_URL");

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURE = path.join(ROOT, "tests/fixtures/metric-commands/extent-ratio.mjs");
const TINY: RenderProfile = { name: "tiny", samples: 1, resolution: 32, denoise: false };
const LIMITS: RunLimits = { wallSeconds: 120, cpuSeconds: 240, memoryMiB: 4096, maxProcesses: 256, maxFileMiB: 256, threads: 1 };
const SCORES = [
  { key: "extentRatio", label: "Extent ratio", higherIsBetter: true, penalty: "zero" },
  { key: "viewCoverage", label: "Views present", higherIsBetter: true, penalty: "excluded" },
];
const HOSTILE = ["garbage", "huge", "sleep", "nan", "infinite", "unknown-key", "escape", "symlink", "crash", "reports-failure"] as const;

const command = (id: string, extra: string[] = [], timeoutMs = 30_000) => ({
  id,
  label: `Extent ${id}`,
  version: "1",
  command: [process.execPath, FIXTURE, ...extra],
  scores: SCORES,
  needs: ["pointCloud", "renders"],
  timeoutMs,
});

let tmp: string;
let notExecutable: string;
const { resetEnvCache } = await import("@/lib/env");
const { metricPlugin, metricPlugins, resetMetricPlugins } = await import("@/lib/metrics/registry");

function configure(value: string | undefined) {
  if (value === undefined) delete process.env.METRIC_COMMANDS;
  else process.env.METRIC_COMMANDS = value;
  resetEnvCache();
  resetMetricPlugins();
}

describe("command metric plugins on a real generation", () => {
  const runs: RunResult[] = [];
  let generated: { glb: string; renders: string[] };
  let reference: { glb: string };

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "arena-metric-command-"));
    notExecutable = path.join(tmp, "not-executable.sh");
    await writeFile(notExecutable, "#!/bin/sh\n");
    await chmod(notExecutable, 0o644);
    const runner = createLocalRunner({ root: ROOT, jobsRoot: path.join(tmp, "jobs") });
    const exec = async (name: string, code: string) => {
      const r = await runner.run({ id: `mcmd-${name}-${process.pid}`, code, profile: TINY }, LIMITS);
      runs.push(r);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      assert.ok(r.files.metricGlb);
      const dir = path.join(tmp, name);
      await mkdir(dir);
      await writeFile(path.join(dir, "metric.glb"), r.files.metricGlb);
      const renders = await Promise.all(r.files.renders.map(async (v) => {
        const p = path.join(dir, v.name);
        await writeFile(p, v.png);
        return p;
      }));
      return { glb: path.join(dir, "metric.glb"), renders };
    };
    // A 1 m cube against a 2 m one: bounding-box diagonals in the ratio 1:2.
    [generated, reference] = await Promise.all([
      exec("gen", "import bpy\nbpy.ops.mesh.primitive_cube_add(size=1)\n"),
      exec("ref", "import bpy\nbpy.ops.mesh.primitive_cube_add(size=2)\n"),
    ]);
    configure(JSON.stringify([command("extent"), ...HOSTILE.map((m) => command(`hostile-${m}`, [`--mode=${m}`], m === "sleep" ? 1_500 : 30_000))]));
  });

  after(async () => {
    for (const r of runs) await r.cleanup();
    configure(undefined);
    await rm(tmp, { recursive: true, force: true });
  });

  const input = async (name: string) => {
    const workDir = path.join(tmp, "work", name);
    await mkdir(workDir, { recursive: true });
    return {
      generationId: `gen-${name}`,
      track: "text" as const,
      metricGlb: generated.glb,
      referenceGlb: reference.glb,
      renders: [...generated.renders.slice(0, 3), null],
      workDir,
    };
  };

  it("scores a real metric GLB through the protocol: 8,192-point clouds, extent ratio 1:2, views present", async () => {
    const plugin = metricPlugin("command:extent")!;
    assert.deepEqual(await plugin.availability(), { available: true });
    assert.deepEqual(plugin.needs.toSorted(), ["metricGlb", "pointCloud", "referenceGlb", "renders"]);
    const out = await plugin.compute(await input("honest"));
    assert.equal(out.status, "ok", JSON.stringify(out));
    if (out.status !== "ok") return;
    // Sampled clouds span slightly less than the true box: within 2% of 0.5.
    assert.ok(Math.abs(out.values.extentRatio! - 0.5) < 0.01, `extentRatio ${out.values.extentRatio}`);
    assert.equal(out.values.viewCoverage, 0.75);
    const definition = await plugin.definition();
    assert.equal((definition.pointCloud as { points: number }).points, 8192);
    assert.equal(definition.sandbox, "bwrap");
  });

  const expected: Record<(typeof HOSTILE)[number], RegExp> = {
    garbage: /^result file is not JSON$/,
    huge: /^(command result file grew past 262144 bytes|result file refused: result\.json is \d+ bytes \(limit 262144\))$/,
    sleep: /^command timed out after 2 s$/,
    nan: /^result does not follow the protocol: values\.extentRatio: /,
    infinite: /^result does not follow the protocol: values\.extentRatio: /,
    "unknown-key": /^result does not follow the protocol: values: .*bonus/i,
    escape: /^command exited with code 1: .*EROFS: read-only file system/,
    symlink: /^result file refused: result\.json is a symlink$/,
    crash: /^command exited with code 1: .*model weights not found/,
    "reports-failure": /^command reported: reference point cloud missing$/,
  };
  for (const mode of HOSTILE) {
    it(`a hostile command (${mode}) is a failed outcome with a reason`, async () => {
      const work = await input(mode);
      const started = Date.now();
      const out = await metricPlugin(`command:hostile-${mode}`)!.compute(work);
      assert.equal(out.status, "failed", JSON.stringify(out));
      if (out.status !== "failed") return;
      assert.match(out.reason, expected[mode]);
      if (mode === "sleep") assert.ok(Date.now() - started < 10_000, "killed at its timeout");
      if (mode === "escape") {
        // Neither write reached the host.
        await assert.rejects(stat(path.join(work.workDir, "command-hostile-escape", "escaped.txt")), /ENOENT/);
        await assert.rejects(stat(path.join(work.workDir, "command-hostile-escape", "in", "escaped.txt")), /ENOENT/);
      }
    });
  }

  // The registry lists the image family first; these checks are about the command family.
  const commandPlugins = () => metricPlugins().filter((p) => p.id.startsWith("command:"));

  it("a command that is missing or not executable is unavailable with the reason; a bad config says what is wrong", async () => {
    configure(JSON.stringify([command("gone"), { ...command("noexec"), command: [notExecutable] }]));
    try {
      const [present, noexec] = commandPlugins();
      assert.deepEqual(await present!.availability(), { available: true });
      assert.deepEqual(await noexec!.availability(), { available: false, reason: `command ${notExecutable} is not executable` });
      configure(JSON.stringify([{ ...command("missing"), command: ["/nonexistent/uni3d-score"] }]));
      assert.deepEqual(await commandPlugins()[0]!.availability(), { available: false, reason: "command /nonexistent/uni3d-score not found" });
      configure(JSON.stringify([{ ...command("bad"), scores: [{ key: "x y", label: "X", higherIsBetter: true }] }]));
      const [bad] = commandPlugins();
      assert.equal(bad!.id, "command:config");
      assert.deepEqual(await bad!.availability(), { available: false, reason: "METRIC_COMMANDS: 0.scores.0.key: letters, digits and _ (at most 40), starting with a letter" });
      configure("not json and not a path");
      await assert.rejects(async () => metricPlugins(), /METRIC_COMMANDS: expected a JSON array or the absolute path of a JSON file/);
    } finally {
      configure(JSON.stringify([command("extent")]));
    }
  });
});
