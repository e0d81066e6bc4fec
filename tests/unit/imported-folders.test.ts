/**
 * An imported folder (a category set, a results tree) is data, never paths (house rule 14): its
 * prompts, code and views become public, so a symlink to a host file, a FIFO, an oversized or
 * non-text file, or a PNG carrying metadata must never make it into the arena as is.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PNG } from "pngjs";
import { readCategorySet, REFERENCE_VIEWS } from "@/lib/categories/read-folder";

const root = mkdtempSync(path.join(os.tmpdir(), "arena-category-folder-"));
after(() => rmSync(root, { recursive: true, force: true }));

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A 4 x 4 RGBA PNG with a tEXt chunk naming a secret, placed right after IHDR. */
function pngWithText(text: string): Buffer {
  const img = new PNG({ width: 4, height: 4 });
  img.data.fill(200);
  const plain = PNG.sync.write(img);
  const body = Buffer.concat([Buffer.from("tEXt"), Buffer.from(`Comment\0${text}`, "latin1")]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  return Buffer.concat([plain.subarray(0, 33), chunk, plain.subarray(33)]);
}

function category(name: string, files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(root, `${name}_seed0`);
  mkdirSync(path.join(dir, "images"), { recursive: true });
  const base: Record<string, string | Buffer> = {
    [`${name}_seed0.py`]: "import bpy\n",
    "prompt_description.txt": "A 3D model of a thing.",
    "prompt_instruction.txt": "Create the 3D object of a thing using Python Blender code.",
  };
  for (const [rel, content] of Object.entries({ ...base, ...files })) writeFileSync(path.join(dir, rel), content);
  return dir;
}

describe("reading an imported category folder", () => {
  it("keeps the pixels of reference views and drops everything else a PNG carries", async () => {
    category("Good", Object.fromEntries(REFERENCE_VIEWS.map((v) => [`images/${v}`, pngWithText("host-secret-in-png")])));
    const secretDir = category("Linked");
    rmSync(path.join(secretDir, "prompt_description.txt"));
    symlinkSync("/etc/hostname", path.join(secretDir, "prompt_description.txt"));
    const fifoDir = category("Fifo");
    rmSync(path.join(fifoDir, "prompt_instruction.txt"));
    execFileSync("mkfifo", [path.join(fifoDir, "prompt_instruction.txt")]);
    category("Huge", { "Huge_seed0.py": Buffer.alloc(5 * 1024 * 1024, 0x61) });
    category("Binary", { "prompt_description.txt": Buffer.from([0xff, 0xfe, 0x00, 0x41]) });
    const imgDir = category("LinkedImages");
    rmSync(path.join(imgDir, "images"), { recursive: true });
    symlinkSync("/usr/share", path.join(imgDir, "images"));
    category("BadPng", Object.fromEntries(REFERENCE_VIEWS.map((v) => [`images/${v}`, Buffer.from("\x89PNG\r\n\x1a\nnot really")])));
    symlinkSync(path.join(root, "Good_seed0"), path.join(root, "Alias_seed0"));

    const { categories, problems } = await readCategorySet(root);
    assert.deepEqual(categories.map((c) => c.instanceId), ["Good_seed0"], "only the clean folder is read; a symlinked folder is not a category");
    const good = categories[0]!;
    assert.equal(good.referenceImages?.length, 4);
    for (const png of good.referenceImages!) {
      assert.ok(!Buffer.from(png).includes("host-secret-in-png"), "metadata chunks are gone");
      const decoded = PNG.sync.read(Buffer.from(png));
      assert.deepEqual([decoded.width, decoded.height, decoded.data[0]], [4, 4, 200], "the pixels stay");
    }
    const reasons = Object.fromEntries(problems.map((p) => [p.folder, p.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), ["BadPng_seed0", "Binary_seed0", "Fifo_seed0", "Huge_seed0", "LinkedImages_seed0", "Linked_seed0"]);
    assert.match(reasons.Linked_seed0!, /symlink/);
    assert.match(reasons.Fifo_seed0!, /FIFO/);
    assert.match(reasons.Huge_seed0!, /limit/);
    assert.match(reasons.Binary_seed0!, /not UTF-8/);
    assert.match(reasons.LinkedImages_seed0!, /symlink/);
    assert.match(reasons.BadPng_seed0!, /not a usable PNG/);
  });
});

describe("reading an imported results tree", () => {
  it("reports symlinked, FIFO and binary files per instance and reads the rest", async () => {
    const { readResultsTree } = await import("@/lib/runs/read-results");
    const model = path.join(root, "results", "text_to_3D", "some-model");
    const folder = (name: string, files: Record<string, string | Buffer>) => {
      const dir = path.join(model, name);
      mkdirSync(dir, { recursive: true });
      for (const [rel, content] of Object.entries(files)) writeFileSync(path.join(dir, rel), content);
      return dir;
    };
    const log = JSON.stringify({ status: "OK", provider: "x", model: "some-model" });
    folder("Fine_seed0", { "log.json": log, "Fine_seed0.py": "import bpy\n", "prompt.txt": "make a thing" });
    const linked = folder("Linked_seed0", { "log.json": log });
    symlinkSync("/etc/hostname", path.join(linked, "Linked_seed0.py"));
    const fifo = folder("Fifo_seed0", {});
    execFileSync("mkfifo", [path.join(fifo, "log.json")]);
    folder("Binary_seed0", { "log.json": log, "prompt.txt": Buffer.from([0xc3, 0x28]) });

    const { instances, problems } = await readResultsTree(path.join(root, "results"), "some-model");
    assert.deepEqual(instances.map((i) => [i.instanceId, i.code, i.prompt]), [["Fine_seed0", "import bpy\n", "make a thing"]]);
    const reasons = Object.fromEntries(problems.map((p) => [path.basename(p.path), p.reason]));
    assert.match(reasons.Linked_seed0!, /symlink/);
    assert.match(reasons.Fifo_seed0!, /FIFO/);
    assert.match(reasons.Binary_seed0!, /not UTF-8/);
  });

  it("reads the benchmark's execution files and agent folders through the same untrusted reader", async () => {
    const { readResultsTree } = await import("@/lib/runs/read-results");
    const base = path.join(root, "results2");
    const make = (rel: string, files: Record<string, string>) => {
      const dir = path.join(base, rel);
      mkdirSync(dir, { recursive: true });
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), content);
      }
      return dir;
    };
    const log = JSON.stringify({ status: "OK", task: "image_to_3d" });
    make("text_to_3D/m/Good_seed0", { "log.json": log, "Good_seed0.py": "import bpy\n", "renders/render_log.json": JSON.stringify({ status: null, n_meshes: 0, error: null }) });
    const linked = make("text_to_3D/m/LinkedRenders_seed0", { "log.json": log });
    symlinkSync("/etc", path.join(linked, "renders"));
    const agentFifo = make("text_to_3D_agent/m/Fifo_seed0", { "Fifo_seed0.py": "import bpy\n", ".agent_done": "ok" });
    execFileSync("mkfifo", [path.join(agentFifo, ".agent_meta.json")]);
    make("text_to_3D_agent/m/Done_seed0", { "Done_seed0.py": "import bpy\n", ".agent_done": "ok" });

    const { instances, problems } = await readResultsTree(base, "m");
    const got = Object.fromEntries(instances.map((i) => [i.instanceId, [i.kind, i.track, i.inferenceStatus, i.execStatus]]));
    // log.json.task wins over the text_to_3D folder; a null status (SystemExit there) reads as "null".
    assert.deepEqual(got.Good_seed0, ["run", "image", "OK", "null"]);
    assert.deepEqual(got.Done_seed0, ["agent", "text", "OK_AGENT_DONE", null]);
    const reasons = Object.fromEntries(problems.map((p) => [path.basename(p.path), p.reason]));
    assert.match(reasons.LinkedRenders_seed0!, /symlink/);
    assert.match(reasons.Fifo_seed0!, /FIFO/);
  });

  it("finds the runner's default layout: results/<model>/ and results/<model>_image_to_3d[_N]/", async () => {
    const { readResultsTree } = await import("@/lib/runs/read-results");
    const base = path.join(root, "results3");
    const log = JSON.stringify({ status: "OK" }); // no task: the folder name decides
    for (const rel of ["m/Text_seed0", "m_image_to_3d/Img_seed0", "m_image_to_3d_2/Two_seed0", "mm/Other_seed0"]) {
      mkdirSync(path.join(base, rel), { recursive: true });
      writeFileSync(path.join(base, rel, "log.json"), log);
    }
    const { instances } = await readResultsTree(base, "m");
    assert.deepEqual(instances.map((i) => [i.instanceId, i.track]).sort(), [["Img_seed0", "image"], ["Text_seed0", "text"], ["Two_seed0", "image"]]);
  });
});
