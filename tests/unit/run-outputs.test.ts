/**
 * The host side of storing a run (run-outputs.ts, outputs-check.ts) on hostile output folders, as
 * if process 2 had been subverted: GLBs whose URIs point at host files (/proc/self/environ, a
 * canary, relative paths), at a FIFO or at https://, symlinked and FIFO outputs, forged views.
 * Each ends as ERR_EXPORT with a reason and nothing of the host in the kept bytes; compression is
 * interrupted by its timeout (a worker thread terminated mid-WASM).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Document, NodeIO } from "@gltf-transform/core";
import { PNG } from "pngjs";
import { checkOutputs, OutputsTimeoutError } from "@/blender-runner/client/outputs-check";
import { collectOutputs, VIEW_NAMES, type OutputsInput } from "@/blender-runner/client/run-outputs";
import { glb, triangleParts } from "@/tests/support/glb";

const CANARY = `canary-${process.pid}-AUTH_SECRET`;

describe("storing a run: hostile outputs", () => {
  let root: string;
  let canary: string;
  let seq = 0;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "arena-run-outputs-"));
    canary = path.join(root, "canary.bin");
    writeFileSync(canary, CANARY);
    process.env.ARENA_TEST_SECRET = CANARY; // in this process's /proc/self/environ
  });
  after(async () => {
    delete process.env.ARENA_TEST_SECRET;
    await rm(root, { recursive: true, force: true });
  });

  /** A process 2 folder with the given outputs; views are valid 16 px RGBA unless replaced. */
  function folder(files: Record<string, Uint8Array | "fifo" | { link: string }>): string {
    const dir = path.join(root, `job${seq++}`);
    mkdirSync(path.join(dir, "out", "renders"), { recursive: true });
    const view = new PNG({ width: 16, height: 16 });
    const all: Record<string, Uint8Array | "fifo" | { link: string }> = {
      "out/metric.glb": glb(),
      "out/display.glb": glb(),
      ...Object.fromEntries(VIEW_NAMES.map((n) => [`out/renders/${n}`, PNG.sync.write(view)])),
      ...files,
    };
    for (const [rel, v] of Object.entries(all)) {
      const p = path.join(dir, rel);
      if (v === "fifo") execFileSync("mkfifo", [p]);
      else if (v instanceof Uint8Array) writeFileSync(p, v);
      else symlinkSync(v.link, p);
    }
    return dir;
  }
  const input = (dir: string): OutputsInput => ({
    dir,
    status: "OK",
    errorText: null,
    render: true,
    resolution: 16,
    views: VIEW_NAMES.map((name, i) => ({ name, azimuthDeg: 45 + 90 * i, elevationDeg: 18.4349 })),
    maxGlbBytes: 1 << 20,
    timeoutMs: 10_000,
  });
  const noHostBytes = (files: Awaited<ReturnType<typeof collectOutputs>>["files"]) => {
    for (const b of [files.metricGlb, files.displayGlb, ...files.renders.map((r) => r.png)]) {
      if (b) assert.ok(!Buffer.from(b).includes(CANARY), "host bytes in a kept file");
    }
  };
  const withUri = (uri: string, where: "buffer" | "image") => {
    const p = triangleParts();
    if (where === "buffer") p.json.buffers = [{ byteLength: 44 }, { byteLength: 16, uri }];
    else {
      p.json.images = [{ uri }];
      p.json.textures = [{ source: 0 }];
      (p.json.materials as Record<string, unknown>[])[0]!.pbrMetallicRoughness = { baseColorTexture: { index: 0 } };
    }
    return glb(p);
  };

  it("a clean folder is OK: metric byte for byte, display sanitised, four views re-encoded", async () => {
    const r = await collectOutputs(input(folder({})));
    assert.equal(r.status, "OK", r.errorText ?? "");
    assert.ok(r.files.metricGlb && Buffer.from(r.files.metricGlb).equals(glb()), "the metric GLB is kept byte for byte");
    assert.ok(r.files.displayGlb && !Buffer.from(r.files.displayGlb).includes("Blockout"));
    assert.equal(r.files.renders.length, 4);
  });

  // Functions: `canary` is only known once before() ran.
  const hostile: [string, () => string][] = [
    ["an absolute path", () => canary],
    ["/proc/self/environ", () => "/proc/self/environ"],
    ["a relative path", () => "../canary.bin"],
    ["a FIFO", () => "fifo.bin"],
    ["an https:// URL", () => "https://example.com/pixel.png"],
  ];
  for (const [name, uri] of hostile) {
    for (const where of ["buffer", "image"] as const) {
      for (const file of ["display", "metric"] as const) {
        it(`${file} GLB with ${where} uri = ${name}: ERR_EXPORT, nothing read`, async () => {
          const dir = folder({ [`out/${file}.glb`]: withUri(uri(), where) });
          execFileSync("mkfifo", [path.join(dir, "out", "fifo.bin")]);
          const t = performance.now();
          const r = await collectOutputs(input(dir));
          assert.ok(performance.now() - t < 5000, "no slot stuck on the FIFO");
          assert.equal(r.status, "ERR_EXPORT");
          assert.match(r.errorText!, new RegExp(`the ${file === "metric" ? "metric GLB was refused" : "display GLB could not be sanitised"}.*uri is not a base64 data: URI`));
          assert.equal(r.files[file === "metric" ? "metricGlb" : "displayGlb"], null);
          noHostBytes(r.files);
        });
      }
    }
  }

  it("outputs that are a FIFO or a symlink to a host file are refused at once", async () => {
    for (const [rel, v] of [["out/display.glb", "fifo"], ["out/metric.glb", { link: canary }], ["out/renders/Image_015.png", { link: "/etc/passwd" }]] as const) {
      const r = await collectOutputs(input(folder({ [rel]: v })));
      assert.equal(r.status, "ERR_EXPORT", rel);
      assert.match(r.errorText!, /was refused: .*(FIFO|symlink)/);
      noHostBytes(r.files);
    }
    const renders = folder({});
    await rm(path.join(renders, "out", "renders"), { recursive: true });
    symlinkSync(path.dirname(canary), path.join(renders, "out", "renders"));
    const r = await collectOutputs(input(renders));
    assert.equal(r.status, "ERR_EXPORT");
    assert.match(r.errorText!, /renders is a symlink/);
  });

  it("a view of the wrong size or kind is ERR_EXPORT; a missing one ERR_RENDER (as before)", async () => {
    const small = PNG.sync.write(new PNG({ width: 8, height: 8 }));
    const r = await collectOutputs(input(folder({ "out/renders/Image_025.png": small })));
    assert.equal(r.status, "ERR_EXPORT");
    assert.match(r.errorText!, /view Image_025\.png was refused: 8 x 8 px, not 16 x 16/);
    const gone = folder({});
    await rm(path.join(gone, "out", "renders", "Image_035.png"));
    const m = await collectOutputs(input(gone));
    assert.deepEqual([m.status, m.errorText], ["ERR_RENDER", "only 3 of 4 views were written"]);
  });

  describe("display views (never the run's status)", () => {
    const DISPLAY = { resolution: 16, views: [0, 1].map((i) => ({ name: `display_${i}.png`, azimuthDeg: 45 + 90 * i, elevationDeg: 22 })) };
    const withDisplay = (files: Record<string, Uint8Array | { link: string }>) => {
      const dir = folder({});
      mkdirSync(path.join(dir, "out", "display"));
      const view = new PNG({ width: 16, height: 16 });
      view.data.fill(0); // fully transparent: all background after compositing
      for (let i = 0; i < 4; i++) view.data[i] = [255, 0, 0, 128][i]!; // one half-covered red pixel
      const all = { "out/display/display_0.png": PNG.sync.write(view), "out/display/display_1.png": PNG.sync.write(view), ...files };
      for (const [rel, v] of Object.entries(all) as [string, Uint8Array | { link: string }][]) {
        if (v instanceof Uint8Array) writeFileSync(path.join(dir, rel), v);
        else symlinkSync(v.link, path.join(dir, rel));
      }
      return dir;
    };

    it("kept re-encoded on the neutral background, opaque, next to the four views", async () => {
      const r = await collectOutputs({ ...input(withDisplay({})), display: DISPLAY });
      assert.equal(r.status, "OK");
      assert.equal(r.files.renders.length, 4);
      assert.deepEqual(r.display?.error, null);
      assert.deepEqual(r.display?.renders.map((v) => v.name), ["display_0.png", "display_1.png"]);
      const png = PNG.sync.read(Buffer.from(r.display!.renders[0]!.png));
      assert.deepEqual([png.width, png.height], [16, 16]);
      assert.deepEqual([...png.data.subarray(4, 8)], [58, 59, 62, 255], "transparent pixels become the background");
      assert.deepEqual([...png.data.subarray(0, 4)], [157, 29, 31, 255], "half-covered red over it");
    });

    const bad: [string, Record<string, Uint8Array | { link: string }>, Partial<typeof DISPLAY> | null, RegExp][] = [
      ["a symlink to a host file", { "out/display/display_1.png": { link: "/etc/passwd" } }, null, /display view display_1\.png was refused: .*symlink/],
      ["the wrong size", { "out/display/display_0.png": PNG.sync.write(new PNG({ width: 8, height: 8 })) }, null, /display view display_0\.png was refused: 8 x 8 px, not 16 x 16/],
      ["not a PNG", { "out/display/display_0.png": Buffer.from("GIF89a not a png at all, padded to be long enough") }, null, /display view display_0\.png was refused: not a PNG/],
      ["a name outside display_0..3", {}, { views: [{ name: "../renders/Image_005.png", azimuthDeg: 0, elevationDeg: 0 }] }, /a display view named "..\/renders\/Image_005.png" was reported/],
      ["reported but missing", {}, { views: [{ name: "display_3.png", azimuthDeg: 0, elevationDeg: 0 }] }, /display view display_3\.png was reported but not written/],
    ];
    for (const [name, files, override, error] of bad) {
      it(`${name}: display views dropped with the reason, the run stays OK with its four views`, async () => {
        const r = await collectOutputs({ ...input(withDisplay(files)), display: { ...DISPLAY, ...override } });
        assert.equal(r.status, "OK", r.errorText ?? "");
        assert.equal(r.files.renders.length, 4);
        assert.deepEqual(r.display?.renders, []);
        assert.match(r.display?.error ?? "", error);
      });
    }

    it("a failed run reads none", async () => {
      const r = await collectOutputs({ ...input(withDisplay({})), status: "ERR_RENDER", errorText: "x", display: DISPLAY });
      assert.deepEqual(r.display?.renders, []);
    });
  });

  it("a failed run keeps the GLBs that pass and drops the rest, its status unchanged", async () => {
    const r = await collectOutputs({ ...input(folder({ "out/display.glb": withUri(canary, "image") })), status: "ERR_RENDER", errorText: "RuntimeError: x" });
    assert.deepEqual([r.status, r.errorText], ["ERR_RENDER", "RuntimeError: x"]);
    assert.ok(r.files.metricGlb);
    assert.equal(r.files.displayGlb, null);
    assert.deepEqual(r.files.renders, []);
  });

  it("compression that outlasts its timeout is stopped (the worker thread is terminated mid-WASM)", async () => {
    const doc = new Document();
    const buffer = doc.createBuffer();
    const n = 600_000;
    const pos = new Float32Array(n * 3).map(() => Math.random());
    const idx = new Uint32Array(n * 3).map(() => Math.floor(Math.random() * n));
    doc.createScene().addChild(
      doc.createNode().setMesh(
        doc.createMesh().addPrimitive(
          doc
            .createPrimitive()
            .setAttribute("POSITION", doc.createAccessor().setType("VEC3").setArray(pos).setBuffer(buffer))
            .setIndices(doc.createAccessor().setType("SCALAR").setArray(idx).setBuffer(buffer)),
        ),
      ),
    );
    const big = await new NodeIO().writeBinary(doc);
    const t = performance.now();
    await assert.rejects(checkOutputs({ metricGlb: null, displayGlb: big, renders: [], resolution: 16 }, 150), OutputsTimeoutError);
    assert.ok(performance.now() - t < 1500, `took ${Math.round(performance.now() - t)} ms`);
    // The next check gets a fresh thread and works.
    const ok = await checkOutputs({ metricGlb: glb(), displayGlb: null, renders: [], resolution: 16 }, 10_000);
    assert.deepEqual(ok.metricGlb, { ok: true, value: null });
  });
});
