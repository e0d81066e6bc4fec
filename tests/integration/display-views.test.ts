/**
 * Display views (issue 15 part 5) from the real runner: made next to the benchmark's four views,
 * never instead of them; at least 512 px, on the neutral background, exposure normalised so a
 * white, a dark and a tiny object all come out as a readable mid-tone (the benchmark views blow
 * a white object out). The fast display profile keeps this quick.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { DISPLAY_BACKGROUND } from "@/blender-runner/client/display-png";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import { FAST_DISPLAY_PROFILE, type RenderProfile, type RunLimits, type RunResult, type Runner } from "@/blender-runner/client/types";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BENCH: RenderProfile = { name: "test", samples: 1, resolution: 64, denoise: false };
const LIMITS: RunLimits = { wallSeconds: 150, cpuSeconds: 300, memoryMiB: 6144, maxProcesses: 256, maxFileMiB: 256, threads: 1 };

const cube = (size: number, rgb: [number, number, number] | null) => `
import bpy
bpy.ops.mesh.primitive_cube_add(size=${size})
obj = bpy.context.active_object
${rgb ? `mat = bpy.data.materials.new("m")
bsdf = mat.node_tree.nodes["Principled BSDF"]
bsdf.inputs["Base Color"].default_value = (${rgb.join(", ")}, 1.0)
obj.data.materials.append(mat)` : ""}
`;

interface Measure {
  width: number;
  height: number;
  /** Mean Rec. 709 luma (0..1) of the pixels that are not the background. */
  objectLuma: number;
  objectShare: number;
  /** Share of object pixels at 250+ in every channel (blown out). */
  clipped: number;
  corner: number[];
}

function measure(bytes: Uint8Array): Measure {
  const png = PNG.sync.read(Buffer.from(bytes));
  const [br, bg, bb] = DISPLAY_BACKGROUND;
  let n = 0;
  let sum = 0;
  let clipped = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const r = png.data[i]!, g = png.data[i + 1]!, b = png.data[i + 2]!;
    if (Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) <= 6) continue;
    n++;
    sum += (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    if (r >= 250 && g >= 250 && b >= 250) clipped++;
  }
  return { width: png.width, height: png.height, objectLuma: n ? sum / n : 0, objectShare: n / (png.width * png.height), clipped: n ? clipped / n : 0, corner: [...png.data.subarray(0, 4)] };
}

describe("display views (runner)", () => {
  let jobsRoot: string;
  let runner: Runner;
  const results: RunResult[] = [];
  const run = async (code: string, display = FAST_DISPLAY_PROFILE) => {
    const r = await runner.run({ id: `disp${process.pid}-${results.length}`, code, profile: BENCH, display }, LIMITS);
    results.push(r);
    return r;
  };

  before(async () => {
    jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-display-test-"));
    runner = createLocalRunner({ root: ROOT, jobsRoot });
  });
  after(async () => {
    for (const r of results) await r.cleanup();
    await rm(jobsRoot, { recursive: true, force: true });
  });

  it("renders a white object next to the benchmark views, framed, mid-tone, on the neutral background", async () => {
    const r = await run(cube(2, [1, 1, 1]));
    assert.equal(r.status, "OK", r.errorText ?? "");
    // The benchmark's four views are unchanged: their names, size and count.
    assert.deepEqual(r.files.renders.map((v) => v.name), ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"]);
    assert.equal(PNG.sync.read(Buffer.from(r.files.renders[0]!.png)).width, 64);
    assert.ok(r.display, "display result");
    assert.equal(r.display.error, null);
    assert.deepEqual(r.display.renders.map((v) => v.name), ["display_0.png", "display_1.png"]);
    assert.equal(r.display.renderer?.resolution, 512);
    for (const view of r.display.renders) {
      const m = measure(view.png);
      assert.equal(m.width, 512);
      assert.equal(m.height, 512);
      assert.deepEqual(m.corner, [...DISPLAY_BACKGROUND, 255], "neutral, opaque background");
      assert.ok(m.objectShare > 0.15 && m.objectShare < 0.9, `framed: object covers ${m.objectShare}`);
      assert.ok(m.objectLuma > 0.3 && m.objectLuma < 0.65, `mid-tone, not blown out: mean ${m.objectLuma}`);
      assert.ok(m.clipped < 0.05, `clipped share ${m.clipped}`);
    }
  });

  it("a dark object and a tiny one come out as readable as a large one", async () => {
    const dark = await run(cube(2, [0.03, 0.03, 0.035]));
    const tiny = await run(cube(0.01, null));
    for (const r of [dark, tiny]) {
      assert.equal(r.status, "OK", r.errorText ?? "");
      assert.equal(r.display?.error, null);
      const m = measure(r.display!.renders[0]!.png);
      assert.ok(m.objectShare > 0.15, `framed whatever its size: ${m.objectShare}`);
      assert.ok(m.objectLuma > 0.25 && m.objectLuma < 0.65, `exposure normalised: mean ${m.objectLuma}`);
    }
  });

  it("makes none when not asked for, and none for a failed run", async () => {
    const none = await run(cube(2, null), null as never);
    assert.equal(none.status, "OK");
    assert.equal(none.display, null);
    const failed = await run("raise RuntimeError('no')");
    assert.equal(failed.status, "ERR_EXEC");
    assert.equal(failed.display, null);
  });
});
