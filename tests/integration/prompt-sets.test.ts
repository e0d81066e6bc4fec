/**
 * Prompt sets through the real pipeline (PostgreSQL, Redis, the generation queue) with the OpenAI
 * API mocked at the wire: a sweep pinned to the 3DCodeBench checkout sends its system prompt,
 * follows its rules (an empty answer and a first-attempt parse failure are terminal) and records
 * the set on every attempt; a sweep without one gets PROMPT_SET's (here the arena's), pinned in
 * its config. No answer here parses, so nothing reaches Blender.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";
import { startMockProvider, MOCK_API_KEY, GOOD_SCRIPT, type MockServer, type RecordedCall } from "../support/mock-providers";
import { BENCHMARK_SAMPLE_CHECKOUT as SAMPLE, NO_BENCHMARK_CHECKOUT } from "../support/benchmark-checkout";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");
process.env.OPENAI_API_KEY = MOCK_API_KEY;
delete process.env.PROMPT_SET;

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureSweep, sweepProgress } = await import("@/lib/sweeps/sweeps");
const { sweepConfig } = await import("@/lib/sweeps/config");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");
const { closeProviders } = await import("@/lib/providers");
const { loadPromptSet } = await import("@/lib/harness/load-prompt-set");
const { SYSTEM_PROMPT } = await import("@/lib/harness/prompts");

const SET = "prompt-sets-test";
const SWEEPS = ["prompt-sets-bench", "prompt-sets-default"];
const CONTESTANTS = [
  { slug: "ps-prose", model: "mock-prose", settings: {} },
  { slug: "ps-empty", model: "mock-empty", settings: {} },
  // The arena's rules retry an empty answer; no feedback retries keep it to 4 calls.
  { slug: "ps-empty-arena", model: "mock-empty", settings: { retries: 0 } },
];

let root: string;
let mock: MockServer;
let workers: PipelineWorkers | undefined;

before(async () => {
  mock = await startMockProvider("openai");
  root = mkdtempSync(path.join(tmpdir(), "arena-prompt-sets-"));
  const dir = path.join(root, "PromptMug_seed0");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "PromptMug_seed0.py"), GOOD_SCRIPT);
  writeFileSync(path.join(dir, "prompt_description.txt"), "A 3D model of a plain mug.");
  writeFileSync(path.join(dir, "prompt_instruction.txt"), "Create the 3D object of a PromptMug using Python Blender code.");
  await importCategorySet(root, SET);
  // The Text -> 3D track needs no reference: mark it prepared (with the current reference profile
  // and Blender version, or the execution worker would prepare it again) so none is rendered.
  const { referenceProfileLabel } = await import("@/lib/categories/references");
  const { createRunnerFromEnv } = await import("@/lib/pipeline/runner");
  const referenceBlenderVersion = await createRunnerFromEnv().version();
  await db().category.updateMany({
    where: { setName: SET },
    data: { referenceStatus: "OK", referenceProfile: referenceProfileLabel(), referenceBlenderVersion },
  });
  for (const c of CONTESTANTS) {
    const data = {
      displayName: c.slug,
      organisation: "mock",
      kind: "llm" as const,
      provider: "openai",
      providerModelId: c.model,
      harness: "multi-turn",
      settings: { baseUrl: mock.url, ...c.settings },
      priceInput: 1,
      priceCached: 0,
      priceOutput: 1,
      priceCacheWrite: 0,
    };
    await db().contestant.upsert({ where: { slug: c.slug }, create: { slug: c.slug, ...data }, update: data });
  }
  workers = await startPipelineWorkers();
});

after(async () => {
  await workers?.close();
  for (const name of SWEEPS) {
    const sweep = await db().sweep.findFirst({ where: { name } });
    if (sweep) {
      await db().generation.deleteMany({ where: { sweepId: sweep.id } });
      await db().sweep.delete({ where: { id: sweep.id } });
    }
  }
  await db().contestant.deleteMany({ where: { slug: { in: CONTESTANTS.map((c) => c.slug) } } });
  await db().category.deleteMany({ where: { setName: SET } });
  await closeProviders();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await mock.close();
  rmSync(root, { recursive: true, force: true });
});

async function runSweep(name: string, slugs: string[], promptSet?: string) {
  const s = await ensureSweep({ name, contestantSlugs: slugs, categories: ["PromptMug_seed0"], tracks: ["text"], profile: "preview", promptSet });
  const deadline = Date.now() + 120_000;
  let p = await sweepProgress(s.sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    p = await sweepProgress(s.sweepId);
  }
  assert.equal(p.done, p.total, JSON.stringify(p.byStatus));
  const sweep = await db().sweep.findUniqueOrThrow({ where: { id: s.sweepId } });
  const gens = await db().generation.findMany({ where: { sweepId: s.sweepId }, include: { contestant: true, attempts: { orderBy: { index: "asc" } } } });
  return { config: sweepConfig(sweep.config, sweep.id), get: (slug: string) => gens.find((g) => g.contestant.slug === slug)! };
}

const systemOf = (c: RecordedCall) => String((c.body.messages as { role: string; content: unknown }[]).find((m) => m.role === "system" || m.role === "developer")?.content ?? "");

test("a sweep on the 3DCodeBench prompt set: its system prompt, its rules, recorded on every attempt", { skip: NO_BENCHMARK_CHECKOUT }, async () => {
  const id = `3dcodebench:${SAMPLE}`;
  const set = await loadPromptSet(id);
  const before = mock.calls.length;
  const { config, get } = await runSweep(SWEEPS[0]!, ["ps-prose", "ps-empty"], id);
  assert.equal(config.promptSet, id);
  const calls = mock.calls.slice(before);

  const prose = get("ps-prose");
  assert.equal(prose.status, "failed");
  assert.match(prose.errorText!, /^Unparseable response after 4 attempt\(s\)/);
  assert.equal(prose.attempts.length, 1, "a first-attempt parse failure ends the generation: no feedback retry");
  assert.equal(calls.filter((c) => c.model === "mock-prose").length, 4);

  const empty = get("ps-empty");
  assert.equal(empty.status, "failed");
  assert.match(empty.errorText!, /Empty response/);
  assert.equal(calls.filter((c) => c.model === "mock-empty").length, 1, "an empty answer is not asked again");

  for (const g of [prose, empty]) {
    assert.equal(g.attempts[0]!.promptSet, id);
    assert.equal(g.attempts[0]!.promptSetDigest, set.digest);
  }
  const text = readFileSync(path.join(SAMPLE, "prompts/text_to_3d_system_prompt.txt"), "utf8");
  for (const c of calls) assert.equal(systemOf(c), text, "the checkout's Text -> 3D system prompt, verbatim");
});

test("a sweep without a prompt set gets PROMPT_SET's (the arena's here), pinned and recorded", async () => {
  const before = mock.calls.length;
  const { config, get } = await runSweep(SWEEPS[1]!, ["ps-empty-arena"]);
  assert.equal(config.promptSet, "arena-default");
  const g = get("ps-empty-arena");
  assert.equal(g.status, "failed");
  assert.equal(g.attempts.length, 1);
  assert.equal(g.attempts[0]!.promptSet, "arena-default");
  assert.equal(g.attempts[0]!.parseTries, 4, "the arena asks again after an empty answer");
  const calls = mock.calls.slice(before);
  assert.equal(calls.length, 4);
  for (const c of calls) assert.equal(systemOf(c), SYSTEM_PROMPT);
});
