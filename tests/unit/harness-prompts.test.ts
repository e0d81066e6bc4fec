/** What a model is asked (docs/benchmark.md §6). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ALLOWED_IMPORTS,
  cutErrorText,
  feedbackMessage,
  IMAGE_INSTRUCTION,
  SYSTEM_PROMPT,
  taskMessage,
} from "@/lib/harness/prompts";
import type { CodeRequest } from "@/lib/contestants/types";

function request(over: Partial<CodeRequest> = {}): CodeRequest {
  return {
    category: {
      instanceId: "Mug_seed0",
      name: "Mug",
      description: "A 3D model of a mug.",
      instruction: "Create the 3D object of a Mug using Python Blender code.",
      referenceScript: "import bpy",
      referenceImages: [],
    },
    track: "text",
    attempt: 0,
    previous: null,
    settings: {},
    ...over,
  };
}

test("the system prompt states every §6 rule", () => {
  assert.match(SYSTEM_PROMPT, /raw Python only/);
  assert.match(SYSTEM_PROMPT, /must parse as Python/);
  assert.match(SYSTEM_PROMPT, /Blender 5\.0/);
  for (const m of ALLOWED_IMPORTS) assert.ok(SYSTEM_PROMPT.includes(m), m);
  assert.deepEqual([...ALLOWED_IMPORTS], ["bpy", "bmesh", "mathutils", "math", "random", "itertools", "collections", "functools", "dataclasses", "enum", "typing", "numpy", "scipy"]);
  assert.match(SYSTEM_PROMPT, /Clear the scene first/);
  assert.match(SYSTEM_PROMPT, /one object, centred at the origin/);
  assert.match(SYSTEM_PROMPT, /ground plane, floor or backdrop/);
  assert.match(SYSTEM_PROMPT, /Do not render, do not save or export files, and do not call sys\.exit\(\)/);
  assert.match(SYSTEM_PROMPT, /few hundred thousand vertices/);
});

test("Text -> 3D sends the description, or the instruction when asked", async () => {
  assert.deepEqual(await taskMessage(request()), { text: "A 3D model of a mug." });
  const instr = await taskMessage(request({ settings: { textPrompt: "instruction" } }));
  assert.equal(instr.text, "Create the 3D object of a Mug using Python Blender code.");
  assert.equal(instr.images, undefined);
});

test("Image -> 3D sends one line and the four views as base64 PNG", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "harness-img-"));
  try {
    const files = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"].map((f, i) => {
      const p = path.join(dir, f);
      writeFileSync(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, i]));
      return p;
    });
    const m = await taskMessage(request({ track: "image", category: { ...request().category, referenceImages: files } }));
    assert.equal(m.text, IMAGE_INSTRUCTION);
    assert.equal(m.text.includes("\n"), false, "one line");
    assert.equal(m.images?.length, 4);
    assert.deepEqual(m.images?.map((i) => i.mediaType), ["image/png", "image/png", "image/png", "image/png"]);
    assert.deepEqual(Buffer.from(m.images![3]!.data, "base64"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 3]));
    await assert.rejects(() => taskMessage(request({ track: "image" })), /no reference views/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("error text is cut to 3,000 characters: 70% head, 30% tail, with a marker", () => {
  assert.equal(cutErrorText("short"), "short");
  const exact = "e".repeat(3000);
  assert.equal(cutErrorText(exact), exact);
  const long = "H".repeat(5000) + "T".repeat(5000);
  const cut = cutErrorText(long);
  const [head, marker, tail] = cut.split("\n");
  assert.equal(head, "H".repeat(2100));
  assert.equal(tail, "T".repeat(900));
  assert.equal(marker, "[... 7000 characters cut ...]");
});

test("the feedback message holds the task, the previous code, its status and the cut error", async () => {
  const error = `AttributeError: 'Mesh' object has no attribute 'use_auto_smooth'\n${"x".repeat(4000)}\nTraceback end`;
  const m = await feedbackMessage(request({ attempt: 1 }), {
    code: "import bpy\nbpy.context.object.data.use_auto_smooth = True\n",
    execStatus: "ERR_EXEC",
    errorText: error,
  });
  assert.ok(m.text.startsWith("A 3D model of a mug."), "original task first");
  assert.match(m.text, /use_auto_smooth = True/);
  assert.match(m.text, /status ERR_EXEC/);
  assert.match(m.text, /AttributeError: 'Mesh' object has no attribute/);
  assert.match(m.text, /characters cut/);
  assert.match(m.text, /Traceback end/);
  assert.ok(m.text.length < 3_600, `${m.text.length}`);

  const noCode = await feedbackMessage(request({ attempt: 1 }), { code: null, execStatus: null, errorText: "empty answer" });
  assert.match(noCode.text, /no parseable Python code/);
});
