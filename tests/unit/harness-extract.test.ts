/** Code extraction (docs/benchmark.md §6), checked with Python's own parser. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { dropFenceLines, extractCode, MAX_TRIM_LINES } from "@/lib/harness/extract";
import { pythonSyntaxChecker } from "@/lib/harness/syntax";

const CODE = "import bpy\nbpy.ops.mesh.primitive_cube_add(size=1)\nfor i in range(3):\n    print(i)";

async function extract(answer: string) {
  return extractCode(answer);
}

test("fence lines are dropped and the rest kept as is", async () => {
  const r = await extract("```python\n" + CODE + "\n```");
  assert.equal(r.ok, true);
  assert.equal(r.ok && r.code, CODE + "\n");
  assert.deepEqual(dropFenceLines("a\n  ```py\nb\n```"), ["a", "b"]);
});

test("prose around the code is trimmed, smallest total trim first", async () => {
  const r = await extract(`Here is the script you asked for:\n${CODE}\nIt builds a cube. Enjoy it!`);
  assert.ok(r.ok);
  assert.equal(r.code, CODE + "\n");
  assert.equal(r.trimmedLead, 1);
  assert.equal(r.trimmedTrail, 1);
});

test("for equal totals, fewer leading lines are trimmed first", async () => {
  // Trimming two lines parses either way ("x = 1" or "y = 2"): lead 0 / trail 2 comes first.
  const r = await extract("x = 1\n??? not code\ny = 2");
  assert.ok(r.ok);
  assert.deepEqual([r.code, r.trimmedLead, r.trimmedTrail], ["x = 1\n", 0, 2]);
  const untouched = await extract("x = 1\ny = 2\nz = 3");
  assert.ok(untouched.ok);
  assert.equal(untouched.trimmedLead + untouched.trimmedTrail, 0, "code that parses is not trimmed");
  const r3 = await extract("Sure thing, here:\ny = 2\nAnd that is all, folks!");
  assert.ok(r3.ok);
  assert.equal(r3.code, "y = 2\n");
});

test("a leading-only trim is preferred to a larger trim", async () => {
  const r = await extract(`Answer follows:\n${CODE}`);
  assert.ok(r.ok);
  assert.equal(r.trimmedLead, 1);
  assert.equal(r.trimmedTrail, 0);
});

test("trims up to 60 lines and no more", async () => {
  const prose = (n: number) => Array.from({ length: n }, (_, i) => `This is line ${i} of prose, not code!`).join("\n");
  const at = await extract(`${prose(30)}\n${CODE}\n${prose(30)}`);
  assert.ok(at.ok);
  assert.equal(at.trimmedLead, 30);
  assert.equal(at.trimmedTrail, 30);
  const over = await extract(`${prose(31)}\n${CODE}\n${prose(30)}`);
  assert.equal(over.ok, false);
  assert.equal(MAX_TRIM_LINES, 60);
});

test("an empty answer, or one that is only comments or fences, is a parse failure", async () => {
  for (const answer of ["", "   \n\n", "```python\n```", "# just a comment"]) {
    const r = await extract(answer);
    assert.equal(r.ok, false, JSON.stringify(answer));
  }
  const r = await extract("");
  assert.ok(!r.ok && r.reason === "empty answer");
});

test("prose only is a parse failure with a reason", async () => {
  const r = await extract("I'm sorry, I can't help with that request.");
  assert.ok(!r.ok);
  assert.match(r.reason, /no parseable Python/);
});

test("the parser never executes the code", async () => {
  const r = await extract('import os\nos.system("touch /tmp/arena-harness-pwned")\nraise SystemExit(3)');
  assert.ok(r.ok);
  const { existsSync } = await import("node:fs");
  assert.equal(existsSync("/tmp/arena-harness-pwned"), false);
});

test("a missing interpreter is a clean parse failure, not a crash", async () => {
  const r = await extractCode(CODE, pythonSyntaxChecker({ python: "/nonexistent/python3" }));
  assert.ok(!r.ok);
  assert.match(r.reason, /cannot start/);
});

test("the pruned trim search finds exactly what the exhaustive one finds", async () => {
  const { mulberry32 } = await import("@/lib/math/mulberry32");
  const vocab = ["x = 1", "def f():", "    return 1", "if x:", "(", ")", "y = [", "1, 2]", "Here is code:", "'''", "else:", "  z = 3",
    "print(1", "2)", "# note", "", "x = 1 \\", "@d", "class A:", "    pass", "for i in range(3):", "Hope this helps!", "a b c"];
  const rand = mulberry32(20250601);
  const pruned = pythonSyntaxChecker();
  const exhaustive = pythonSyntaxChecker({ prune: false });
  for (let i = 0; i < 120; i++) {
    const lines = Array.from({ length: 2 + Math.floor(rand() * 12) }, () => vocab[Math.floor(rand() * vocab.length)]!);
    const [a, b] = await Promise.all([pruned.firstParsing(lines, 8), exhaustive.firstParsing(lines, 8)]);
    assert.deepEqual(a, b, lines.join("\n"));
  }
});

test("a long answer with a syntax error in the middle is rejected quickly", async () => {
  const lines = Array.from({ length: 1800 }, (_, i) => `v${i} = [math.sin(${i} * 0.1), (${i}, ${i} + 1)]`);
  lines[900] = "def broken(:";
  const t0 = Date.now();
  const r = await extract(lines.join("\n"));
  assert.equal(r.ok, false);
  assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
});
