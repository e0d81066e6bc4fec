/**
 * Importing run folders in the layout 3DCodeBench's own runner and coding-agent scripts write
 * (tests/fixtures/results-tree, written for this test in that layout) on real PostgreSQL, Redis
 * and sandboxed Blender: one generation per instance and track; the status compared with ours is
 * the execution status (renders/render_log.json), never log.json.status (inference); the track
 * from log.json.task; multi-turn attempts, ERR_PARSE with .terminal_fail, and agent folders
 * (.agent_meta.json, .agent_done) with their statuses; bad folders reported per instance.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { importResultsTree, ResultsTreeError } = await import("@/lib/runs/results-tree");
const { sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");

const SET = "import-results-test";
const SLUG = "fixture-model";
const AGENT = "fixture-agent";
const FIXTURE = path.resolve("tests/fixtures/results-tree");
const USED = ["Mug_seed0", "Vase_seed0", "Stool_seed0", "Chair_seed0", "WineGlass_seed0", "SideTable_seed0"];

let catRoot: string;
let createdCategories: string[] = [];
let workers: PipelineWorkers | undefined;

before(async () => {
  catRoot = mkdtempSync(path.join(tmpdir(), "arena-import-cats-"));
  for (const id of USED) cpSync(path.resolve("benchmark/categories", id), path.join(catRoot, id), { recursive: true });
  createdCategories = (await importCategorySet(catRoot, SET)).created;
  workers = await startPipelineWorkers({ generationConcurrency: 2 });
});

after(async () => {
  await workers?.close();
  const sweeps = await db().sweep.findMany({ where: { OR: [{ name: { startsWith: `import:${SLUG}:` } }, { name: { startsWith: `import:${AGENT}:` } }] } });
  await db().generation.deleteMany({ where: { sweepId: { in: sweeps.map((s) => s.id) } } });
  await db().sweep.deleteMany({ where: { id: { in: sweeps.map((s) => s.id) } } });
  await db().contestant.deleteMany({ where: { slug: { in: [SLUG, AGENT] } } });
  await db().category.deleteMany({ where: { instanceId: { in: createdCategories }, generations: { none: {} } } });
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  rmSync(catRoot, { recursive: true, force: true });
});

test("an unknown contestant is refused unless asked to create it", async () => {
  await assert.rejects(() => importResultsTree({ root: FIXTURE, contestantSlug: SLUG }), (err: Error) => {
    assert.ok(err instanceof ResultsTreeError);
    assert.match(err.message, /Unknown contestant "fixture-model".*--create/);
    return true;
  });
  await assert.rejects(() => importResultsTree({ root: path.join(FIXTURE, "nope"), contestantSlug: SLUG }), /is not a folder/);
});

async function waitForSweep(sweepId: string, n: number) {
  const deadline = Date.now() + 300_000;
  let p = await sweepProgress(sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 500));
    p = await sweepProgress(sweepId);
  }
  assert.equal(p.done, n, JSON.stringify(p.byStatus));
}

test("a results tree imports as a sweep, executes in our runner and flags status mismatches", async () => {
  const r = await importResultsTree({ root: FIXTURE, contestantSlug: SLUG, createContestant: true, profile: "preview" });
  assert.equal(r.imported, 5, JSON.stringify(r));
  const skipped = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
  assert.deepEqual(Object.keys(skipped).sort(), [
    "text_to_3D/fixture-model/Bookshelf_seed0",
    "text_to_3D/fixture-model/Chair_seed0",
    "text_to_3D/fixture-model/Teapot_seed0",
  ]);
  assert.equal(skipped["text_to_3D/fixture-model/Bookshelf_seed0"], "missing log.json");
  assert.match(skipped["text_to_3D/fixture-model/Chair_seed0"]!, /^unreadable log\.json: /);
  assert.match(skipped["text_to_3D/fixture-model/Teapot_seed0"]!, /unknown category Teapot_seed0/);
  assert.ok(!r.skipped.some((s) => s.path.includes("_skipped")), "folders starting with _ are not instances");

  const contestant = await db().contestant.findUniqueOrThrow({ where: { slug: SLUG } });
  assert.equal(contestant.kind, "llm");
  assert.equal(contestant.provider, "openai");
  assert.equal(contestant.providerModelId, "fixture-model-1");
  const sweep = await db().sweep.findUniqueOrThrow({ where: { id: r.sweepId } });
  assert.equal(sweep.name, "import:fixture-model:results-tree");

  const again = await importResultsTree({ root: FIXTURE, contestantSlug: SLUG, profile: "preview" });
  assert.equal(again.sweepId, r.sweepId);
  assert.equal(again.imported, 0);
  assert.equal(again.unchanged, 5);

  await waitForSweep(r.sweepId, 5);

  const gens = await db().generation.findMany({ where: { sweepId: r.sweepId }, include: { category: true, attempts: true } });
  const get = (id: string) => gens.find((g) => g.category.instanceId === id)!;

  const mug = get("Mug_seed0");
  assert.equal(mug.track, "text");
  assert.equal(mug.status, "ready");
  assert.equal(mug.execStatus, "OK");
  assert.equal(mug.importedStatus, "OK");
  assert.equal(mug.statusMismatch, false);
  assert.deepEqual(
    [mug.inputTokens, mug.outputTokens, mug.thinkingTokens, mug.cachedTokens, mug.latencyMs, mug.costUsd],
    [1200, 800, 300, 100, 12_500, 0.0123],
  );
  assert.equal(mug.attempts.length, 1);
  assert.equal(mug.attempts[0]!.prompt, "A 3D model of a thing.\n");
  const mugRun = mug.importedRun as { kind: string; inferenceStatus: string; exportStatus: string; task: string };
  assert.deepEqual([mugRun.kind, mugRun.inferenceStatus, mugRun.exportStatus, mugRun.task], ["run", "OK", "OK", "text_to_3d"]);
  assert.match(mug.attempts[0]!.code!, /primitive_cylinder_add/);

  // Their log says OK; Blender 5 says otherwise: failed, not regenerated, and flagged.
  const vase = get("Vase_seed0");
  assert.equal(vase.status, "failed");
  assert.equal(vase.execStatus, "ERR_EXEC");
  assert.equal(vase.importedStatus, "OK");
  assert.equal(vase.statusMismatch, true);
  assert.equal(vase.failureGroup, "B5-API");
  assert.equal(vase.failureDetail, "use-auto-smooth");
  assert.equal(vase.attempts.length, 1);

  // The other direction, on the image track.
  const stool = get("Stool_seed0");
  assert.equal(stool.track, "image");
  assert.equal(stool.execStatus, "OK");
  assert.equal(stool.importedStatus, "ERR_EXEC");
  assert.equal(stool.statusMismatch, true);
});

test("multi-turn attempts, ERR_PARSE and the track from log.json.task are kept", async () => {
  const sweep = await db().sweep.findFirstOrThrow({ where: { name: "import:fixture-model:results-tree" } });
  const gens = await db().generation.findMany({ where: { sweepId: sweep.id }, include: { category: true, attempts: { orderBy: { index: "asc" } } } });
  const get = (id: string) => gens.find((g) => g.category.instanceId === id)!;

  // Two render attempts: the history is kept, the last attempt's code is what we executed.
  const glass = get("WineGlass_seed0");
  assert.equal(glass.status, "ready");
  assert.equal(glass.execStatus, "OK");
  assert.equal(glass.importedStatus, "OK");
  assert.deepEqual(glass.attempts.map((a) => [a.index, a.importedStatus]), [[0, "ERR_EXEC"], [1, "OK"]]);
  assert.match(glass.attempts[0]!.code!, /use_auto_smooth/);
  assert.match(glass.attempts[0]!.errorText!, /no attribute 'use_auto_smooth'/);
  assert.equal(glass.attempts[1]!.prompt, "Your previous script failed (ERR_EXEC). Fix it.\n");
  assert.equal(glass.attempts[1]!.execStatus, "OK");
  assert.equal(glass.attempts[0]!.execStatus, null, "earlier attempts are history, not re-executed");
  assert.equal(glass.costUsd, 0.03);

  // No code: a failure in every metric, with the inference status and the terminal reason.
  const table = get("SideTable_seed0");
  assert.equal(table.status, "failed");
  assert.equal(table.execStatus, null);
  assert.equal(table.importedStatus, null);
  assert.match(table.errorText!, /inference status ERR_PARSE: parse retries exhausted \(4 attempts\)/);
  const run = table.importedRun as { inferenceStatus: string; terminalFail: string; parseAttempts: number };
  assert.equal(run.inferenceStatus, "ERR_PARSE");
  assert.equal(run.parseAttempts, 4);
});

test("coding-agent folders import with the benchmark's agent statuses", async () => {
  const r = await importResultsTree({ root: FIXTURE, contestantSlug: AGENT, createContestant: true, profile: "preview" });
  assert.equal(r.imported, 3, JSON.stringify(r));
  assert.deepEqual(r.skipped, []);
  const contestant = await db().contestant.findUniqueOrThrow({ where: { slug: AGENT } });
  assert.match(contestant.description, /coding-agent runs/);
  assert.equal(contestant.kind, "agent");
  assert.equal(contestant.harness, "agent");
  assert.equal(contestant.providerModelId, "claude-fixture");
  await waitForSweep(r.sweepId, 3);

  const gens = await db().generation.findMany({ where: { sweepId: r.sweepId }, include: { category: true } });
  const get = (id: string) => gens.find((g) => g.category.instanceId === id)!;
  const status = (id: string) => (get(id).importedRun as { kind: string; inferenceStatus: string }).inferenceStatus;
  assert.deepEqual([status("Mug_seed0"), status("Vase_seed0"), status("Stool_seed0")], ["OK_AGENT_DONE", "OK_SCRIPT_NO_SENTINEL", "ERR_NO_SCRIPT"]);
  assert.equal((get("Mug_seed0").importedRun as { kind: string }).kind, "agent");

  // Usage from .agent_meta.json (Claude Code reports its own cost).
  const mug = get("Mug_seed0");
  assert.equal(mug.track, "text");
  assert.deepEqual([mug.inputTokens, mug.outputTokens, mug.costUsd, mug.latencyMs], [1000, 2000, 0.42, 123_400]);
  assert.equal(mug.status, "ready");
  assert.equal(mug.execStatus, "OK");
  // Never rendered by the benchmark: nothing to compare with.
  assert.equal(mug.importedStatus, null);
  assert.equal(mug.statusMismatch, false);
  assert.equal(get("Vase_seed0").execStatus, "OK");
  const stool = get("Stool_seed0");
  assert.equal(stool.status, "failed");
  assert.match(stool.errorText!, /agent status ERR_NO_SCRIPT/);
});
