/**
 * The benchmark's rules around an answer (docs/sweeps/README.md "Prompt sets"): extraction with
 * Python's own parser, and the parse-retry rules of the harness against an in-process fake provider.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { extractCode } from "@/lib/harness/extract";
import { harnessFor } from "@/lib/harness";
import { ARENA_PROMPT_SET, BENCHMARK_RULES, type PromptSet } from "@/lib/harness/prompt-set";
import type { ChatRequest, ChatResponse, ProviderClient } from "@/lib/providers/types";
import type { CodeRequest } from "@/lib/contestants/types";

const bench = (answer: string) => extractCode(answer, undefined, "benchmark");
const arena = (answer: string) => extractCode(answer, undefined, "arena");
const prose = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} line ${i} is not code`).join("\n");

test("benchmark extraction: only bare/python/py fence lines are dropped", async () => {
  assert.deepEqual(await bench("```py\nimport bpy\n```\n"), { ok: true, code: "import bpy\n", trimmedLead: 0, trimmedTrail: 0 });
  assert.deepEqual(await bench("  ```python  \nimport bpy\n```"), { ok: true, code: "import bpy", trimmedLead: 0, trimmedTrail: 0 }, "no final newline unless the answer had one");
  // ```Python and ~~~ stay, so they are trimmed like prose (one line each side).
  for (const fence of ["```Python", "~~~", "```python3"]) {
    const r = await bench(`${fence}\nimport bpy\n${fence.startsWith("~") ? "~~~" : "```"}\n`);
    assert.ok(r.ok, fence);
    assert.equal(r.code, "import bpy\n");
    assert.equal(r.trimmedLead, 1, fence);
    assert.equal(r.trimmedTrail, fence === "~~~" ? 1 : 0, fence);
  }
  // The arena drops any line starting with ```: no trim needed.
  const a = await arena("```Python\nimport bpy\n```");
  assert.ok(a.ok && a.trimmedLead === 0);
});

test("benchmark extraction: up to 60 lines trimmed on each side; the arena stops at 60 in total", async () => {
  const code = "import bpy\nbpy.ops.mesh.primitive_cube_add()";
  const both = `${prose(60, "head")}\n${code}\n${prose(60, "tail")}`;
  const r = await bench(both);
  assert.ok(r.ok);
  assert.equal(r.code, code);
  assert.deepEqual([r.trimmedLead, r.trimmedTrail], [60, 60]);
  assert.equal((await arena(both)).ok, false);
  assert.equal((await bench(`${prose(61, "head")}\n${code}`)).ok, false, "61 on one side is too many");
});

test("benchmark extraction: comment-only code counts, leading blank lines go, empty answers are flagged", async () => {
  assert.deepEqual(await bench("# just a comment\n"), { ok: true, code: "# just a comment\n", trimmedLead: 0, trimmedTrail: 0 });
  assert.equal((await arena("# just a comment\n")).ok, false, "the arena wants a statement");
  assert.deepEqual(await bench("\n\n\nx = 1\n"), { ok: true, code: "x = 1\n", trimmedLead: 0, trimmedTrail: 0 });
  assert.deepEqual(await bench(" \n\t\n"), { ok: false, reason: "empty response", empty: true });
  // Fence lines only: an empty module parses; stored as one newline so it still runs (ERR_NO_MESH).
  assert.deepEqual(await bench("```python\n```"), { ok: true, code: "\n", trimmedLead: 0, trimmedTrail: 0 });
  // Python's splitlines: a form feed ends a line.
  assert.deepEqual(await bench("x = 1\fy = 2\n"), { ok: true, code: "x = 1\ny = 2\n", trimmedLead: 0, trimmedTrail: 0 });
});

const CODE = "import bpy\nbpy.ops.mesh.primitive_cube_add(size=1)\n";
const USAGE = { inputTokens: 10, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 5, thinkingTokens: 0, latencyMs: 1 };

function fakeClient(script: string[]): ProviderClient & { calls: ChatRequest[] } {
  const calls: ChatRequest[] = [];
  return {
    kind: "openai",
    calls,
    async chat(_model, req): Promise<ChatResponse> {
      calls.push(req);
      const next = script[calls.length - 1];
      if (next === undefined) throw new Error("fake provider: no more scripted answers");
      return { text: next, usage: { ...USAGE }, finishReason: "stop" };
    },
  };
}

const BENCH_SET: PromptSet = {
  ...ARENA_PROMPT_SET,
  id: "3dcodebench:/fake",
  systemPrompt: (track) => `SYSTEM ${track}`,
  imageUserMessage: "IMAGE TEXT",
  feedback: (i) => `FEEDBACK ${i.previous.execStatus} ${i.attemptNumber}/${i.maxAttempts}`,
  rules: BENCHMARK_RULES,
};

function deps(client: ProviderClient, promptSet?: PromptSet) {
  return { client, modelId: "fake-1", prices: { input: 0, cached: 0, output: 0, cacheWrite: 0 }, settings: {}, providerLabel: "OpenAI", promptSet };
}

function request(over: Partial<CodeRequest> = {}): CodeRequest {
  return {
    category: { instanceId: "Mug_seed0", name: "Mug", description: "A mug.", instruction: "Make a mug.", referenceScript: "", referenceImages: [] },
    track: "text",
    attempt: 0,
    previous: null,
    settings: {},
    ...over,
  };
}

test("benchmark rules: an empty answer is terminal at once; the arena asks again", async () => {
  const client = fakeClient(["   \n", CODE]);
  const r = await harnessFor("single-shot", deps(client, BENCH_SET)).generate(request());
  assert.equal(client.calls.length, 1);
  assert.equal(client.calls[0]!.system, "SYSTEM text");
  assert.equal(r.code, null);
  assert.equal(r.final, true);
  assert.equal(r.parseTries, 1);
  assert.match(r.error!, /Empty response/);

  const again = fakeClient(["   \n", CODE]);
  const a = await harnessFor("single-shot", deps(again)).generate(request());
  assert.equal(again.calls.length, 2);
  assert.equal(a.code, CODE);
});

test("benchmark rules: a first attempt that never parses is terminal after 4 calls; so is a retry", async () => {
  const client = fakeClient(["def (", "def (", "def (", "def (", CODE]);
  const gen = harnessFor("multi-turn", deps(client, BENCH_SET));
  const r = await gen.generate(request());
  assert.equal(client.calls.length, 4);
  assert.equal(r.final, true, "no multi-turn after a first-attempt parse failure");
  assert.match(r.error!, /^Unparseable response after 4 attempt\(s\)/);

  const retry = fakeClient(["def (", "def (", "def (", "def ("]);
  const previous = { code: CODE, execStatus: "ERR_EXEC", errorText: "boom", meshObjects: 0, viewsRendered: 0 };
  const r2 = await harnessFor("multi-turn", deps(retry, BENCH_SET)).generate(request({ attempt: 1, previous }));
  assert.equal(r2.final, true);
  assert.match(r2.error!, /^Retry response unparseable/);
  assert.equal(retry.calls[0]!.user.text, "FEEDBACK ERR_EXEC 2/4", "the set's feedback, attempt k of N");

  // The arena's rules leave the next attempt to the pipeline.
  const arenaClient = fakeClient(["def (", "def (", "def (", "def ("]);
  const r3 = await harnessFor("multi-turn", deps(arenaClient)).generate(request());
  assert.notEqual(r3.final, true);
});

test("benchmark rules: the image track sends the set's image text and system prompt", async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(`${tmpdir()}/views-`);
  try {
    const views = ["Image_005.png", "Image_015.png"].map((n) => {
      writeFileSync(`${dir}/${n}`, Buffer.from([0x89, 0x50]));
      return `${dir}/${n}`;
    });
    const client = fakeClient([CODE]);
    await harnessFor("single-shot", deps(client, BENCH_SET)).generate(request({ track: "image", category: { ...request().category, referenceImages: views } }));
    assert.equal(client.calls[0]!.system, "SYSTEM image");
    assert.equal(client.calls[0]!.user.text, "IMAGE TEXT");
    assert.equal(client.calls[0]!.user.images?.length, 2);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("benchmark mode: the pruned trim search finds exactly what the exhaustive one finds", async () => {
  const { mulberry32 } = await import("@/lib/math/mulberry32");
  const { pythonSyntaxChecker } = await import("@/lib/harness/syntax");
  const vocab = ["x = 1", "def f():", "    return 1", "if x:", "(", ")", "y = [", "1, 2]", "Here is code:", "'''", "else:", "  z = 3",
    "print(1", "2)", "# note", "", "   ", "x = 1 \\", "@d", "class A:", "    pass", "Hope this helps!", "a b c"];
  const rand = mulberry32(20261206);
  const pruned = pythonSyntaxChecker();
  const exhaustive = pythonSyntaxChecker({ prune: false });
  for (let i = 0; i < 120; i++) {
    const lines = Array.from({ length: 2 + Math.floor(rand() * 12) }, () => vocab[Math.floor(rand() * vocab.length)]!);
    const [a, b] = await Promise.all([pruned.firstParsing(lines, 4, "benchmark"), exhaustive.firstParsing(lines, 4, "benchmark")]);
    assert.deepEqual(a, b, lines.join("\n"));
  }
});
