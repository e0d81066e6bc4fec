/**
 * The four views' camera and light setup, checked numerically against docs/benchmark.md §4 from
 * the poses the harness actually rendered with (RunResult.renderSetup), inside the real sandbox.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { RunResult } from "@/blender-runner/client/types";

const ROOT = path.resolve(import.meta.dirname, "../..");

type V3 = [number, number, number];
interface Setup {
  extent: number;
  cameras: {
    frame: number;
    location: V3;
    forward: V3;
    up: V3;
    type: string;
    lens: number;
    sensorWidth: number;
    angleDeg: number;
    clipEnd: number;
  }[];
  lights: { name: string; type: string; location: V3; forward: V3; energy: number; shape: string; size: number }[];
  sceneObjects: [string, string][];
  sceneBox: { min: V3; max: V3 };
  world: { color: number[]; strength: number };
  film: { transparent: boolean; resolution: [number, number]; colorMode: string };
}

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const closeV = (a: number[], b: number[], tol: number, what: string) => a.forEach((v, i) => close(v, b[i]!, tol, `${what}[${i}]`));
const norm = (v: number[]) => Math.hypot(...v);
const unit = (v: number[]) => v.map((x) => x / norm(v));

describe("camera and light setup (docs/benchmark.md §4)", () => {
  let jobsRoot: string;
  let result: RunResult;
  let setup: Setup;
  // A 2 x 1 x 4 box off-centre at (3, -2, 1), plus a camera and a light of the script's own,
  // which must be gone (§2.3). extent = 4, so r = 7.2 and h = 2.4.
  const EXTENT = 4;
  const r = 1.8 * EXTENT;
  const h = 0.6 * EXTENT;

  before(async () => {
    jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-camera-test-"));
    const runner = createLocalRunner({ root: ROOT, jobsRoot });
    result = await runner.run(
      {
        id: `cam-${process.pid}`,
        code: `import bpy
bpy.ops.mesh.primitive_cube_add(location=(3, -2, 1), scale=(1, 0.5, 2))
bpy.ops.object.camera_add(location=(10, 10, 10))
bpy.ops.object.light_add(type="SUN", location=(0, 0, 5))
`,
        profile: { name: "tiny", samples: 1, resolution: 32, denoise: false },
        render: true,
      },
      { wallSeconds: 120, cpuSeconds: 240, memoryMiB: 4096, maxProcesses: 256, maxFileMiB: 256, threads: 1 },
    );
    assert.equal(result.status, "OK", result.errorText ?? result.logTail);
    assert.ok(result.renderSetup);
    setup = result.renderSetup as unknown as Setup;
  });

  after(async () => {
    await result?.cleanup();
    await rm(jobsRoot, { recursive: true, force: true });
  });

  it("normalises: box centre at the origin, not rescaled; the script's camera and light removed", () => {
    assert.equal(setup.extent, EXTENT);
    closeV(setup.sceneBox.min, [-1, -0.5, -2], 1e-5, "box min");
    closeV(setup.sceneBox.max, [1, 0.5, 2], 1e-5, "box max");
    assert.deepEqual(setup.sceneObjects, [
      ["ArenaCamera", "CAMERA"],
      ["Arena_fill", "LIGHT"],
      ["Arena_key", "LIGHT"],
      ["Arena_rim", "LIGHT"],
    ]);
  });

  it("four cameras at azimuth 45/135/225/315, elevation atan(1/3), distance 1.897 x extent, aimed at the origin, Z up", () => {
    assert.deepEqual(setup.cameras.map((c) => c.frame), [5, 15, 25, 35]);
    for (const [i, cam] of setup.cameras.entries()) {
      const azimuth = [45, 135, 225, 315][i]!;
      const t = (azimuth * Math.PI) / 180;
      closeV(cam.location, [r * Math.cos(t), r * Math.sin(t), h], 1e-4, `camera ${cam.frame} location`);
      close((Math.atan2(cam.location[1], cam.location[0]) * 180) / Math.PI, azimuth > 180 ? azimuth - 360 : azimuth, 1e-3, "azimuth");
      close(Math.atan2(cam.location[2], Math.hypot(cam.location[0], cam.location[1])), Math.atan(1 / 3), 1e-6, "elevation");
      close(norm(cam.location) / EXTENT, 1.897, 5e-4, "distance / extent");
      // Looks at the origin: forward is minus the unit position.
      closeV(cam.forward, unit(cam.location).map((v) => -v), 1e-5, `camera ${cam.frame} forward`);
      // Z up, no roll: the up vector lies in the vertical plane through the view axis, pointing up.
      const right = [cam.forward[1] * cam.up[2] - cam.forward[2] * cam.up[1], cam.forward[2] * cam.up[0] - cam.forward[0] * cam.up[2], cam.forward[0] * cam.up[1] - cam.forward[1] * cam.up[0]];
      close(right[2]!, 0, 1e-5, "right vector is horizontal");
      assert.ok(cam.up[2] > 0.9, `up ${cam.up}`);
      assert.equal(cam.type, "PERSP");
      assert.equal(cam.lens, 50);
      assert.equal(cam.sensorWidth, 36);
      close(cam.angleDeg, 39.5978, 1e-3, "field of view");
      close(cam.clipEnd, 25 * EXTENT, 1e-6, "clip_end");
    }
  });

  it("three area lights: key, fill, rim at their §4 positions and powers, aimed at the origin", () => {
    const expected: Record<string, { pos: V3; watts: number; size: number }> = {
      Arena_key: { pos: [0.9 * r, -0.7 * r, 1.7 * h], watts: 1200, size: 0.9 * EXTENT },
      Arena_fill: { pos: [-0.6 * r, -0.4 * r, h], watts: 400, size: 1.2 * EXTENT },
      Arena_rim: { pos: [0, 0.9 * r, 1.3 * h], watts: 600, size: 0.7 * EXTENT },
    };
    assert.deepEqual(setup.lights.map((l) => l.name).sort(), Object.keys(expected).sort());
    for (const light of setup.lights) {
      const want = expected[light.name]!;
      assert.equal(light.type, "AREA");
      assert.equal(light.shape, "SQUARE");
      closeV(light.location, want.pos, 1e-4, `${light.name} location`);
      assert.equal(light.energy, want.watts);
      close(light.size, want.size, 1e-5, `${light.name} size`);
      closeV(light.forward, unit(light.location).map((v) => -v), 1e-5, `${light.name} aim`);
    }
  });

  it("world colour (0.012, 0.013, 0.021) at strength 1; transparent RGBA film", () => {
    closeV(setup.world.color, [0.012, 0.013, 0.021, 1], 1e-6, "world colour");
    assert.equal(setup.world.strength, 1);
    assert.equal(setup.film.transparent, true);
    assert.equal(setup.film.colorMode, "RGBA");
    assert.deepEqual(setup.film.resolution, [32, 32]);
    assert.deepEqual(
      result.files.renders.map((v) => [v.name, v.azimuthDeg, Math.round(v.elevationDeg * 1e4) / 1e4]),
      [["Image_005.png", 45, 18.4349], ["Image_015.png", 135, 18.4349], ["Image_025.png", 225, 18.4349], ["Image_035.png", 315, 18.4349]],
    );
  });
});
