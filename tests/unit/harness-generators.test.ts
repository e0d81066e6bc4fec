/** Single-shot and multi-turn harnesses against an in-process fake provider (the wire is covered by the provider tests). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { harnessFor, UnknownHarnessError } from "@/lib/harness";
import { callCost } from "@/lib/providers/cost";
import { SYSTEM_PROMPT } from "@/lib/harness/prompts";
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderClient } from "@/lib/providers/types";
import type { CodeRequest } from "@/lib/contestants/types";

const CODE = "import bpy\nbpy.ops.mesh.primitive_cube_add(size=1)\n";
const PRICES = { input: 2, cached: 0.5, output: 10, cacheWrite: 2.5 };
const USAGE = { inputTokens: 1000, cachedTokens: 200, cacheWriteTokens: 100, outputTokens: 300, thinkingTokens: 50, latencyMs: 40 };

type Script = (string | ProviderError)[];

function fakeClient(script: Script): ProviderClient & { calls: ChatRequest[] } {
  const calls: ChatRequest[] = [];
  return {
    kind: "openai",
    calls,
    async chat(_model, req): Promise<ChatResponse> {
      calls.push(req);
      const next = script[calls.length - 1];
      if (next === undefined) throw new Error("fake provider: no more scripted answers");
      if (next instanceof ProviderError) throw next;
      return { text: next, usage: { ...USAGE }, finishReason: "stop" };
    },
  };
}

function deps(client: ProviderClient, settings: Record<string, unknown> = {}) {
  return { client, modelId: "fake-1", prices: PRICES, settings, providerLabel: "OpenAI" };
}

function request(over: Partial<CodeRequest> = {}): CodeRequest {
  return {
    category: {
      instanceId: "Mug_seed0",
      name: "Mug",
      description: "A 3D model of a mug.",
      instruction: "Create the 3D object of a Mug using Python Blender code.",
      referenceScript: "",
      referenceImages: [],
    },
    track: "text",
    attempt: 0,
    previous: null,
    settings: {},
    ...over,
  };
}

test("cost per call follows §6", () => {
  // 1000*2 + (300+50)*10 + 200*0.5 + 100*2.5 = 2000 + 3500 + 100 + 250 = 5850 per million
  assert.equal(callCost(USAGE, PRICES), 0.00585);
});

test("single shot: one attempt, code from the first answer that parses", async () => {
  const client = fakeClient(["```python\n" + CODE + "```"]);
  const gen = harnessFor("single-shot", deps(client));
  assert.equal(gen.maxAttempts, 1);
  const r = await gen.generate(request());
  assert.equal(r.code, CODE);
  assert.equal(r.parseOk, true);
  assert.equal(r.parseTries, 1);
  assert.equal(r.prompt, "A 3D model of a mug.");
  assert.equal(client.calls[0]!.system, SYSTEM_PROMPT);
  assert.equal(client.calls[0]!.user.text, "A 3D model of a mug.");
  assert.equal(r.usage.costUsd, 0.00585);
});

test("single shot retries parse failures with fresh calls, up to 4, and sums usage", async () => {
  const client = fakeClient(["", "I cannot write code today.", "def broken(:", "Here you go:\n" + CODE]);
  const r = await harnessFor("single-shot", deps(client)).generate(request());
  assert.equal(client.calls.length, 4);
  assert.equal(r.code, CODE);
  assert.equal(r.parseTries, 4);
  assert.equal(r.rawResponse, "Here you go:\n" + CODE);
  assert.equal(r.usage.inputTokens, 4000);
  assert.equal(r.usage.outputTokens, 1200);
  assert.equal(r.usage.thinkingTokens, 200);
  assert.equal(r.usage.latencyMs, 160);
  assert.ok(Math.abs(r.usage.costUsd - 4 * 0.00585) < 1e-12);
  // Every try is the same fresh request, not a conversation.
  assert.ok(client.calls.every((c) => c.user.text === "A 3D model of a mug."));
});

test("four unparseable answers end the attempt with a reason", async () => {
  const client = fakeClient(["Sorry!!", "Sorry!!", "Sorry!!", "Sorry!!", CODE]);
  const r = await harnessFor("single-shot", deps(client)).generate(request());
  assert.equal(client.calls.length, 4);
  assert.equal(r.code, null);
  assert.equal(r.parseOk, false);
  assert.equal(r.final, undefined, "a parse failure is not a provider failure");
  assert.match(r.error!, /No parseable Python code after 4 tries/);
  assert.equal(r.rawResponse, "Sorry!!");
});

test("a permanent provider error ends the generation at once with a readable reason", async () => {
  const quota = new ProviderError("quota_exhausted", "You exceeded your current quota.", false, 429);
  const client = fakeClient(["not code at all!", quota, CODE]);
  const r = await harnessFor("multi-turn", deps(client)).generate(request());
  assert.equal(client.calls.length, 2, "no tries burnt after the refusal");
  assert.equal(r.code, null);
  assert.equal(r.final, true);
  assert.equal(r.error, "OpenAI: quota exhausted (429): You exceeded your current quota.");
  assert.equal(r.usage.inputTokens, 1000, "the call that was answered still counts");
});

test("multi-turn: 1 + 3 attempts by default, fewer when settings say so", () => {
  assert.equal(harnessFor("multi-turn", deps(fakeClient([]))).maxAttempts, 4);
  assert.equal(harnessFor("multi-turn", deps(fakeClient([]), { retries: 1 })).maxAttempts, 2);
  assert.equal(harnessFor("multi-turn", deps(fakeClient([]), { retries: 0 })).maxAttempts, 1);
  assert.throws(() => harnessFor("agent", deps(fakeClient([]))), UnknownHarnessError);
});

test("multi-turn feeds the previous code, status and error back in a fresh call", async () => {
  const client = fakeClient([CODE]);
  const r = await harnessFor("multi-turn", deps(client, { textPrompt: "instruction" })).generate(
    request({
      attempt: 1,
      previous: { code: "import bpy\nbpy.context.object.data.use_auto_smooth = True\n", execStatus: "ERR_EXEC", errorText: "AttributeError: use_auto_smooth" },
    }),
  );
  assert.equal(r.code, CODE);
  const text = client.calls[0]!.user.text;
  assert.ok(text.startsWith("Create the 3D object of a Mug"), "original task (the instruction, per settings)");
  assert.match(text, /use_auto_smooth = True/);
  assert.match(text, /ERR_EXEC/);
  assert.match(text, /AttributeError: use_auto_smooth/);
  assert.equal(r.prompt, text);
});
