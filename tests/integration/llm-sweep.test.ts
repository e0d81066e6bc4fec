/**
 * LLM contestants through the real pipeline (PostgreSQL, Redis, sandboxed Blender), with the model
 * APIs replaced at the wire by the local mock servers (house rules §9): single shot, multi-turn
 * recovery from a Blender error, parse failures and a provider that refuses.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";
import { removeSweepAndSet } from "../support/sweep-cleanup";
import { startMockProvider, MOCK_API_KEY, GOOD_SCRIPT, type MockServer } from "../support/mock-providers";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");
process.env.OPENAI_API_KEY = MOCK_API_KEY;

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureSweep, sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");
const { closeProviders } = await import("@/lib/providers");
const { callCost } = await import("@/lib/providers/cost");

const SET = "llm-sweep-test";
const PRICES = { priceInput: 2, priceCached: 0.5, priceOutput: 8, priceCacheWrite: 0 };
const CONTESTANTS = [
  { slug: "llm-good", model: "mock-good", harness: "single-shot" },
  { slug: "llm-flaky", model: "mock-flaky-code", harness: "multi-turn" },
  { slug: "llm-prose", model: "mock-prose", harness: "single-shot" },
  { slug: "llm-quota", model: "mock-quota", harness: "multi-turn" },
];

let root: string;
let mock: MockServer;
let workers: PipelineWorkers | undefined;

before(async () => {
  mock = await startMockProvider("openai");
  root = mkdtempSync(path.join(tmpdir(), "arena-llm-cats-"));
  const dir = path.join(root, "LlmMug_seed0");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "LlmMug_seed0.py"), GOOD_SCRIPT);
  writeFileSync(path.join(dir, "prompt_description.txt"), "A 3D model of a simple orange mug with a round handle.");
  writeFileSync(path.join(dir, "prompt_instruction.txt"), "Create the 3D object of a LlmMug using Python Blender code.");
  await importCategorySet(root, SET);
  for (const c of CONTESTANTS) {
    const data = {
      displayName: c.slug,
      organisation: "mock",
      kind: "llm" as const,
      provider: "openai",
      providerModelId: c.model,
      harness: c.harness,
      settings: { baseUrl: mock.url },
      ...PRICES,
    };
    await db().contestant.upsert({ where: { slug: c.slug }, create: { slug: c.slug, ...data }, update: data });
  }
  workers = await startPipelineWorkers();
});

after(async () => {
  await workers?.close();
  await removeSweepAndSet(SET);
  await db().contestant.deleteMany({ where: { slug: { in: CONTESTANTS.map((c) => c.slug) } } });
  await closeProviders();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await mock.close();
  rmSync(root, { recursive: true, force: true });
});

test("a sweep of LLM contestants: single shot, multi-turn recovery, parse failure, refusing provider", async () => {
  const s = await ensureSweep({ name: SET, contestantSlugs: CONTESTANTS.map((c) => c.slug), categories: ["LlmMug_seed0"], tracks: ["text"], profile: "preview" });
  assert.equal(s.generations, 4);
  const deadline = Date.now() + 300_000;
  let p = await sweepProgress(s.sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    p = await sweepProgress(s.sweepId);
  }
  assert.equal(p.done, 4, JSON.stringify(p.byStatus));

  const gens = await db().generation.findMany({
    where: { sweepId: s.sweepId },
    include: { contestant: true, attempts: { orderBy: { index: "asc" } } },
  });
  const get = (slug: string) => gens.find((g) => g.contestant.slug === slug)!;
  const prices = { input: 2, cached: 0.5, output: 8, cacheWrite: 0 };

  const good = get("llm-good");
  assert.equal(good.status, "ready", good.errorText ?? "");
  assert.equal(good.execStatus, "OK");
  assert.equal(good.attempts.length, 1);
  const a0 = good.attempts[0]!;
  assert.equal(a0.parseTries, 1);
  assert.equal(a0.prompt, "A 3D model of a simple orange mug with a round handle.");
  assert.match(a0.rawResponse!, /```python/);
  assert.equal(a0.code!.includes("```"), false, "fences dropped");
  assert.ok(a0.inputTokens > 0 && a0.outputTokens > 0);
  assert.ok(Math.abs(a0.costUsd - callCost(a0, prices)) < 1e-12);
  assert.equal(good.costUsd, a0.costUsd);

  // Fails in Blender (use_auto_smooth), then fixes itself when shown the error.
  const flaky = get("llm-flaky");
  assert.equal(flaky.status, "ready", flaky.errorText ?? "");
  assert.equal(flaky.attempts.length, 2);
  const [first, second] = flaky.attempts;
  assert.equal(first!.execStatus, "ERR_EXEC");
  assert.equal(first!.failureGroup, "B5-API");
  assert.match(first!.code!, /use_auto_smooth/);
  assert.equal(second!.execStatus, "OK");
  // What each run left, as the benchmark's feedback template shows it; the prompt set on each attempt.
  assert.deepEqual([first!.meshObjects, first!.viewsRendered], [0, 0]);
  assert.ok(second!.meshObjects! >= 1);
  assert.equal(second!.viewsRendered, 4);
  for (const a of flaky.attempts) assert.equal(a.promptSet, "arena-default");
  assert.match(second!.prompt!, /use_auto_smooth/, "the retry shows the previous code");
  assert.match(second!.prompt!, /ERR_EXEC/);
  assert.match(second!.prompt!, /AttributeError/);
  assert.equal(flaky.inputTokens, first!.inputTokens + second!.inputTokens);
  assert.ok(Math.abs(flaky.costUsd - (first!.costUsd + second!.costUsd)) < 1e-12, "cost adds up over the calls");
  assert.ok(second!.inputTokens > first!.inputTokens, "the feedback message is longer");

  const prose = get("llm-prose");
  assert.equal(prose.status, "failed");
  assert.match(prose.errorText!, /No parseable Python code after 4 tries/);
  assert.equal(prose.attempts.length, 1);
  assert.equal(prose.attempts[0]!.parseTries, 4);
  assert.equal(prose.attempts[0]!.parseOk, false);
  assert.equal(mock.calls.filter((c) => c.model === "mock-prose").length, 4);
  assert.ok(prose.costUsd > 0, "unparseable answers are paid for too");

  const quota = get("llm-quota");
  assert.equal(quota.status, "failed");
  assert.match(quota.errorText!, /^OpenAI: quota/);
  assert.equal(quota.attempts.length, 1, "a refusing provider burns no further attempts");
  assert.equal(mock.calls.filter((c) => c.model === "mock-quota").length, 1);
});
