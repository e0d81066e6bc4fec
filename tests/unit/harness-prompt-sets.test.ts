/** Prompt sets (docs/sweeps/README.md "Prompt sets"): loading a 3DCodeBench checkout and its rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BENCHMARK_PROMPT_FILES, loadBenchmarkPromptSet, MAX_PROMPT_FILE_BYTES } from "@/lib/harness/benchmark-prompts";
import { API_REFERENCE_HEADING, BENCHMARK_NO_ERROR_TEXT, benchmarkErrorText, pySplitLines } from "@/lib/harness/benchmark-rules";
import { loadPromptSet, resolvePromptSetChoice, promptSetChoices } from "@/lib/harness/load-prompt-set";
import { ARENA_PROMPT_SET, parsePromptSetId, PromptSetError } from "@/lib/harness/prompt-set";
import { IMAGE_INSTRUCTION, SYSTEM_PROMPT } from "@/lib/harness/prompts";
import { BENCHMARK_SAMPLE_CHECKOUT as SAMPLE, NO_BENCHMARK_CHECKOUT } from "@/tests/support/benchmark-checkout";

const read = (rel: string) => readFileSync(path.join(SAMPLE, rel), "utf8");

/** A checkout layout in a temp folder, with the sample's files (or the given overrides). */
function fakeCheckout(files: Partial<Record<string, string | null>> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "bench-checkout-"));
  mkdirSync(path.join(root, "prompts"));
  const all: Record<string, string | null> = {
    [BENCHMARK_PROMPT_FILES.text]: "TEXT SYSTEM\n",
    [BENCHMARK_PROMPT_FILES.image]: "IMAGE SYSTEM\n",
    [BENCHMARK_PROMPT_FILES.feedback]: "{original_task_block}|{prev_code}|{status}|{n_meshes}|{n_views_rendered}/4|{attempt_num} of {max_attempts}|{error_text}|{{x}}",
    [BENCHMARK_PROMPT_FILES.apiReference]: "API REF\n\n",
    ...files,
  };
  for (const [rel, body] of Object.entries(all)) {
    if (body === null) continue;
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  return root;
}

test("the benchmark prompt set selected from a checkout layout", { skip: NO_BENCHMARK_CHECKOUT }, async () => {
  const set = await loadPromptSet(`3dcodebench:${SAMPLE}`);
  assert.equal(set.id, `3dcodebench:${SAMPLE}`);
  assert.equal(set.systemPrompt("text"), read(BENCHMARK_PROMPT_FILES.text), "read verbatim");
  assert.equal(set.systemPrompt("image"), read(BENCHMARK_PROMPT_FILES.image));
  assert.deepEqual(set.rules, { extraction: "benchmark", parseRetry: "benchmark", errorTruncation: "benchmark" });
  // The partial checkout has no core/inputs.py: the image text is ours, and the set says so.
  assert.equal(set.imageUserMessage, IMAGE_INSTRUCTION);
  assert.match(set.notes.join("\n"), /core\/inputs\.py is not in the checkout/);
  assert.match(set.digest, /^[0-9a-f]{16}$/);
  assert.equal((await loadPromptSet(`3dcodebench:${SAMPLE}/`)).digest, set.digest, "same files, same digest");

  const api = await loadPromptSet(`3dcodebench+api:${SAMPLE}`);
  const sys = api.systemPrompt("text");
  assert.ok(sys.startsWith(read(BENCHMARK_PROMPT_FILES.text).trimEnd() + "\n\n" + API_REFERENCE_HEADING + "\n\n"));
  assert.ok(sys.endsWith(read(BENCHMARK_PROMPT_FILES.apiReference).trimEnd() + "\n"));
  assert.notEqual(api.digest, set.digest);

  // The sample's own feedback template, filled: every placeholder replaced.
  const fb = set.feedback({
    track: "text",
    taskText: "A 3D model of a mug.",
    imageNames: [],
    previous: { code: "import bpy\nraise ValueError('x')\n\n", execStatus: "ERR_EXEC", errorText: "ValueError: x\n", meshObjects: 0, viewsRendered: 0 },
    attemptNumber: 2,
    maxAttempts: 4,
  });
  assert.doesNotMatch(fb, /\{(original_task_block|prev_code|status|n_meshes|n_views_rendered|attempt_num|max_attempts|error_text)\}/);
  for (const part of ["A 3D model of a mug.", "import bpy\nraise ValueError('x')", "ERR_EXEC", "ValueError: x", "0/4", "2 of 4"]) assert.ok(fb.includes(part), part);
});

test("env and console choices resolve to full ids; the API variant is offered when the checkout has the reference", { skip: NO_BENCHMARK_CHECKOUT }, async () => {
  assert.equal(resolvePromptSetChoice(undefined, undefined), "arena-default");
  assert.equal(resolvePromptSetChoice("3dcodebench", "/x/bench"), "3dcodebench:/x/bench");
  assert.equal(resolvePromptSetChoice("3dcodebench+api", "/x/bench"), "3dcodebench+api:/x/bench");
  assert.equal(resolvePromptSetChoice("3dcodebench:/y", "/x"), "3dcodebench:/y");
  assert.throws(() => resolvePromptSetChoice("3dcodebench", undefined), /BENCHMARK_CHECKOUT/);
  assert.throws(() => parsePromptSetId("3dcodebench:relative/path"), /absolute/);
  assert.throws(() => parsePromptSetId("mine"), PromptSetError);
  const choices = await promptSetChoices({ BENCHMARK_CHECKOUT: SAMPLE });
  assert.deepEqual(
    choices.map((c) => [c.id, c.problem]),
    [["arena-default", null], [`3dcodebench:${SAMPLE}`, null], [`3dcodebench+api:${SAMPLE}`, null]],
  );
  const noApi = fakeCheckout({ [BENCHMARK_PROMPT_FILES.apiReference]: null });
  try {
    assert.deepEqual((await promptSetChoices({ BENCHMARK_CHECKOUT: noApi })).map((c) => c.id), ["arena-default", `3dcodebench:${noApi}`]);
  } finally {
    rmSync(noApi, { recursive: true });
  }
  assert.equal(await loadPromptSet("arena-default"), ARENA_PROMPT_SET);
  assert.equal(ARENA_PROMPT_SET.systemPrompt("image"), SYSTEM_PROMPT);
});

test("a checkout with a file missing fails with the file's name", async () => {
  for (const rel of [BENCHMARK_PROMPT_FILES.text, BENCHMARK_PROMPT_FILES.image, BENCHMARK_PROMPT_FILES.feedback]) {
    const root = fakeCheckout({ [rel]: null });
    try {
      await assert.rejects(loadBenchmarkPromptSet(root, { apiReference: false }), (err: Error) => err instanceof PromptSetError && err.message.includes(`has no ${rel}`));
    } finally {
      rmSync(root, { recursive: true });
    }
  }
  const noApi = fakeCheckout({ [BENCHMARK_PROMPT_FILES.apiReference]: null });
  try {
    await loadBenchmarkPromptSet(noApi, { apiReference: false });
    await assert.rejects(loadBenchmarkPromptSet(noApi, { apiReference: true }), /has no prompts\/blender_5_api_reference\.txt/);
  } finally {
    rmSync(noApi, { recursive: true });
  }
  await assert.rejects(loadBenchmarkPromptSet("/nonexistent/bench", { apiReference: false }), /is not a folder/);
});

test("symlinked, oversized, non-UTF-8 or malformed prompt files are refused", async () => {
  const root = fakeCheckout({ [BENCHMARK_PROMPT_FILES.text]: null });
  const outside = mkdtempSync(path.join(tmpdir(), "outside-"));
  try {
    writeFileSync(path.join(outside, "secret.txt"), "not a prompt");
    symlinkSync(path.join(outside, "secret.txt"), path.join(root, BENCHMARK_PROMPT_FILES.text));
    await assert.rejects(loadBenchmarkPromptSet(root, { apiReference: false }), /text_to_3d_system_prompt\.txt is a symlink/);
    rmSync(path.join(root, BENCHMARK_PROMPT_FILES.text));
    writeFileSync(path.join(root, BENCHMARK_PROMPT_FILES.text), "x".repeat(MAX_PROMPT_FILE_BYTES + 1));
    await assert.rejects(loadBenchmarkPromptSet(root, { apiReference: false }), /text_to_3d_system_prompt\.txt is \d+ bytes \(limit/);
    writeFileSync(path.join(root, BENCHMARK_PROMPT_FILES.text), Buffer.from([0xff, 0xfe, 0x00]));
    await assert.rejects(loadBenchmarkPromptSet(root, { apiReference: false }), /is not UTF-8/);
    writeFileSync(path.join(root, BENCHMARK_PROMPT_FILES.text), "ok\n");
    writeFileSync(path.join(root, BENCHMARK_PROMPT_FILES.feedback), "{status} {nope}");
    await assert.rejects(loadBenchmarkPromptSet(root, { apiReference: false }), /multi_turn_feedback_template\.txt: unknown placeholder \{nope\}/);
    // A symlinked prompts/ folder is refused too.
    const viaLink = fakeCheckout();
    rmSync(path.join(viaLink, "prompts"), { recursive: true });
    symlinkSync(path.join(root, "prompts"), path.join(viaLink, "prompts"));
    await assert.rejects(loadBenchmarkPromptSet(viaLink, { apiReference: false }), /prompts is a symlink/);
    rmSync(viaLink, { recursive: true });
  } finally {
    rmSync(root, { recursive: true });
    rmSync(outside, { recursive: true });
  }
});

test("the image user text comes from core/inputs.py when the checkout has it", async () => {
  const src = 'import x\n\nIMAGE_TASK_USER_TEXT = (\n    "Build the object in "\n    "these views."\n)\n';
  const root = fakeCheckout({ "core/inputs.py": src });
  try {
    const set = await loadBenchmarkPromptSet(root, { apiReference: false });
    assert.equal(set.imageUserMessage, "Build the object in these views.");
    assert.deepEqual(set.notes, []);
    writeFileSync(path.join(root, "core/inputs.py"), "IMAGE_TASK_USER_TEXT = make_text()\n");
    await assert.rejects(loadBenchmarkPromptSet(root, { apiReference: false }), /core\/inputs\.py does not assign IMAGE_TASK_USER_TEXT/);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test("benchmark feedback: template filled, attempt k of N, image names, error cut 2,100 + 820 with the marker", async () => {
  const root = fakeCheckout();
  try {
    const set = await loadBenchmarkPromptSet(root, { apiReference: false });
    const long = "H".repeat(2_100) + "M".repeat(1_000) + "T".repeat(820) + "\n\n";
    const text = set.feedback({
      track: "image",
      taskText: "Reconstruct it.",
      imageNames: ["Image_005.png", "Image_015.png"],
      previous: { code: "x = 1\n\n", execStatus: "ERR_RENDER", errorText: long, meshObjects: 3, viewsRendered: 0 },
      attemptNumber: 3,
      maxAttempts: 4,
    });
    const [task, code, status, meshes, views, of, err, braces] = text.split("|");
    assert.equal(task, "Reconstruct it.\n\n(Reference images attached below: Image_005.png, Image_015.png)");
    assert.equal(code, "x = 1");
    assert.equal(status, "ERR_RENDER");
    assert.equal(meshes, "3");
    assert.equal(views, "0/4");
    assert.equal(of, "3 of 4");
    assert.equal(err, "H".repeat(2_100) + "\n\n... [truncated 1000 chars] ...\n\n" + "T".repeat(820));
    assert.equal(braces, "{x}");
    const none = set.feedback({ track: "text", taskText: "A mug.", imageNames: [], previous: { code: "y", execStatus: null, errorText: null }, attemptNumber: 2, maxAttempts: 2 });
    assert.equal(none, `A mug.|y|None|0|0/4|2 of 2|${BENCHMARK_NO_ERROR_TEXT}|{x}`);
  } finally {
    rmSync(root, { recursive: true });
  }
  assert.equal(benchmarkErrorText("e".repeat(3_000) + "  \n"), "e".repeat(3_000), "up to 3,000 kept whole (after rstrip)");
  assert.equal(benchmarkErrorText("e".repeat(3_001)).length, 2_100 + 820 + "\n\n... [truncated 81 chars] ...\n\n".length);
  assert.deepEqual(pySplitLines("a\r\nb\rc\vd\u2028e\n"), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(pySplitLines(""), []);
});
