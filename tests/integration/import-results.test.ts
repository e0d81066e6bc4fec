/**
 * Importing a benchmark-layout results tree (benchmark-compat §7) on real PostgreSQL, Redis and
 * sandboxed Blender: one generation per instance and track, usage from log.json, bad folders
 * reported per instance, and every script re-executed by our runner with status mismatches flagged.
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
const { importResultsTree, ResultsTreeError } = await import("@/lib/import/results-tree");
const { sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");

const SET = "import-results-test";
const SLUG = "fixture-model";
const FIXTURE = path.resolve("tests/fixtures/results-tree");
const USED = ["Mug_seed0", "Vase_seed0", "Stool_seed0", "Chair_seed0"];

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
  const sweeps = await db().sweep.findMany({ where: { name: { startsWith: `import:${SLUG}:` } } });
  await db().generation.deleteMany({ where: { sweepId: { in: sweeps.map((s) => s.id) } } });
  await db().sweep.deleteMany({ where: { id: { in: sweeps.map((s) => s.id) } } });
  await db().contestant.deleteMany({ where: { slug: SLUG } });
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

test("a results tree imports as a sweep, executes in our runner and flags status mismatches", async () => {
  const r = await importResultsTree({ root: FIXTURE, contestantSlug: SLUG, createContestant: true, profile: "preview" });
  assert.equal(r.imported, 3, JSON.stringify(r));
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
  assert.equal(again.unchanged, 3);

  const deadline = Date.now() + 300_000;
  let p = await sweepProgress(r.sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 500));
    p = await sweepProgress(r.sweepId);
  }
  assert.equal(p.done, 3, JSON.stringify(p.byStatus));

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
  assert.match(mug.attempts[0]!.code!, /primitive_cylinder_add/);

  // Their log says OK; Blender 5 says otherwise: failed, not regenerated, and flagged.
  const vase = get("Vase_seed0");
  assert.equal(vase.status, "failed");
  assert.equal(vase.execStatus, "ERR_EXEC");
  assert.equal(vase.importedStatus, "OK");
  assert.equal(vase.statusMismatch, true);
  assert.equal(vase.failureGroup, "B5-API");
  assert.equal(vase.attempts.length, 1);

  // The other direction, on the image track.
  const stool = get("Stool_seed0");
  assert.equal(stool.track, "image");
  assert.equal(stool.execStatus, "OK");
  assert.equal(stool.importedStatus, "ERR_EXEC");
  assert.equal(stool.statusMismatch, true);
});
