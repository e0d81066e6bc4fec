/**
 * Registry metrics end to end (issue 16) on real PostgreSQL, Redis (BullMQ) and Blender: a sweep's
 * outputs get SigLIP-2 rows from the tiny fixture models (tests/fixtures/metrics) through the
 * metric.score jobs queued after scoring; DINOv3 is unavailable until its folder is configured, then
 * the backfill computes it for the existing outputs; a job run twice writes one row; hostile renders
 * become failed rows with a reason.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");
const FIXTURES = path.resolve("tests/fixtures/metrics");
process.env.METRIC_SIGLIP2_DIR = path.join(FIXTURES, "siglip2-tiny");
delete process.env.METRIC_DINOV3_DIR;
process.env.METRIC_DEVICE = "cpu";

const { db, disconnectDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureSweep, sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");
const { assets } = await import("@/lib/storage");
const { BUILTIN_CONTESTANTS } = await import("@/lib/contestants/registry");
const { metricPlugin } = await import("@/lib/metrics/registry");
const { scoreMetric } = await import("@/lib/metrics/score-job");
const { backfillMetrics, metricProgress } = await import("@/lib/metrics/backfill");
const { metricLines } = await import("@/lib/metrics/summary");

const SET = "metrics-test";
const HOSTILE = "metrics-test-hostile";
const CUBE = `import bpy
bpy.ops.object.select_all(action="SELECT")
bpy.ops.object.delete()
bpy.ops.mesh.primitive_cube_add(size=0.5, location=(0, 0, 0.25))
mat = bpy.data.materials.new("Red")
mat.diffuse_color = (0.8, 0.1, 0.1, 1.0)
bpy.context.object.data.materials.append(mat)
`;

let root: string;
let workers: PipelineWorkers | undefined;
let sweepId = "";

async function cleanup() {
  const sweeps = await db().sweep.findMany({ where: { name: { in: [SET, HOSTILE] } }, select: { id: true } });
  await db().generation.deleteMany({ where: { sweepId: { in: sweeps.map((s) => s.id) } } });
  await db().sweep.deleteMany({ where: { id: { in: sweeps.map((s) => s.id) } } });
  await db().category.deleteMany({ where: { setName: SET } });
}

async function waitFor<T>(what: string, fn: () => Promise<T>, done: (v: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = await fn();
  while (!done(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    v = await fn();
  }
  assert.ok(done(v), `${what}: ${JSON.stringify(v)}`);
  return v;
}

before(async () => {
  await cleanup();
  root = mkdtempSync(path.join(tmpdir(), "arena-metrics-"));
  const dir = path.join(root, "MtCube_seed0");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "MtCube_seed0.py"), CUBE);
  writeFileSync(path.join(dir, "prompt_description.txt"), "A small red cube standing on the ground.");
  writeFileSync(path.join(dir, "prompt_instruction.txt"), "Create the 3D object of a cube using Python Blender code.");
  await importCategorySet(root, SET);
  for (const c of BUILTIN_CONTESTANTS) {
    const { slug, ...rest } = c;
    await db().contestant.upsert({ where: { slug }, create: c, update: rest });
  }
  workers = await startPipelineWorkers();
});

after(async () => {
  await workers?.close();
  await cleanup();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  rmSync(root, { recursive: true, force: true });
});

test("without its folder a metric is unavailable with the reason, and nothing is written for it", async () => {
  assert.deepEqual(await metricPlugin("dinov3-image")!.availability(), { available: false, reason: "METRIC_DINOV3_DIR not set" });
  assert.deepEqual(await metricPlugin("siglip2-image")!.availability(), { available: true });
  process.env.METRIC_SIGLIP2_DIR = path.join(FIXTURES, "no-such-folder");
  resetEnvCache();
  assert.match((await metricPlugin("siglip2-text")!.availability() as { reason: string }).reason, /^METRIC_SIGLIP2_DIR=.*no-such-folder is not a folder$/);
  process.env.METRIC_SIGLIP2_DIR = path.join(FIXTURES, "dinov3-tiny"); // a folder without the SigLIP-2 files
  resetEnvCache();
  assert.match((await metricPlugin("siglip2-image")!.availability() as { reason: string }).reason, /^vision_model\.onnx missing in .*dinov3-tiny/);
  process.env.METRIC_SIGLIP2_DIR = path.join(FIXTURES, "siglip2-tiny");
  resetEnvCache();
});

test("a sweep's outputs get SigLIP-2 image and text-image rows from the fixture models after they are ready", async () => {
  const s = await ensureSweep({ name: SET, contestantSlugs: ["reference", "blockout"], categories: ["MtCube_seed0"], tracks: ["text", "image"], profile: "preview" });
  sweepId = s.sweepId;
  await waitFor("sweep", () => sweepProgress(sweepId), (p) => p.done === p.total, 240_000);
  const gens = await db().generation.findMany({ where: { sweepId }, include: { contestant: true } });
  assert.equal(gens.length, 4);
  assert.ok(gens.every((g) => g.status === "ready"), JSON.stringify(gens.map((g) => [g.contestant.slug, g.track, g.status, g.errorText])));
  // 4 siglip2-image rows, 2 siglip2-text rows (Text -> 3D only).
  const rows = await waitFor("metric rows", () => db().metricScore.findMany({ where: { generation: { sweepId } } }), (r) => r.length >= 6);
  assert.equal(rows.length, 6);
  assert.equal(rows.filter((r) => r.metric === "dinov3-image").length, 0, "no row for an unavailable metric");
  for (const r of rows) {
    const g = gens.find((x) => x.id === r.generationId)!;
    assert.equal(r.status, "ok", JSON.stringify(r.details));
    assert.equal(r.version, "1");
    const v = r.values as Record<string, number>;
    for (const x of Object.values(v)) assert.ok(x >= -1 - 1e-6 && x <= 1 + 1e-6, `${r.metric}: ${x}`);
    const def = r.definition as { modelId: string; weights: Record<string, string>; runtime: string };
    assert.equal(def.modelId, "arena/siglip2-tiny-random (fixture)");
    assert.match(def.weights.vision!, /^sha256:[0-9a-f]{64}$/);
    assert.match(def.runtime, /^onnxruntime-node .* on cpu$/);
    if (r.metric === "siglip2-image") {
      assert.ok(v.paired! <= v.best! + 1e-9, `paired ${v.paired} <= best ${v.best}`);
      const d = r.details as { matrix: number[][]; complete: boolean };
      assert.equal(d.matrix.length, 4);
      assert.equal(d.complete, true);
      // The reference model's views are the reference views again: identical inputs, cosine 1.
      if (g.contestant.slug === "reference") assert.ok(v.paired! > 0.999, `reference vs itself: ${v.paired}`);
    } else {
      assert.equal(r.metric, "siglip2-text");
      assert.equal(g.track, "text");
      assert.ok(v.mean! <= v.max! + 1e-9);
      assert.equal((r.details as { perView: number[] }).perView.length, 4);
    }
  }
  // The admin page reads the registry: DINOv3 says why it is missing.
  const lines = await metricLines(gens.find((g) => g.track === "text")!.id, "text");
  assert.deepEqual(lines.map((l) => l[0]), ["SigLIP-2", "DINOv3", "SigLIP-2 text-image"]);
  assert.equal(lines[1]![1], "unavailable: METRIC_DINOV3_DIR not set");
  assert.match(lines[0]![1], /^paired -?\d\.\d{4}, best -?\d\.\d{4}$/);
});

test("a metric job run twice leaves one row", async () => {
  const g = await db().generation.findFirstOrThrow({ where: { sweepId, track: "text" } });
  const before = await db().metricScore.findFirstOrThrow({ where: { generationId: g.id, metric: "siglip2-image" } });
  await scoreMetric({ generationId: g.id, metric: "siglip2-image" });
  const rows = await db().metricScore.findMany({ where: { generationId: g.id, metric: "siglip2-image" } });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.id, before.id);
});

test("configuring DINOv3 and running the backfill computes it for the existing outputs", async () => {
  process.env.METRIC_DINOV3_DIR = path.join(FIXTURES, "dinov3-tiny");
  resetEnvCache();
  const plugin = metricPlugin("dinov3-image")!;
  const p0 = await metricProgress(plugin);
  assert.equal(p0.available, true);
  assert.ok(p0.missing >= 4, JSON.stringify(p0));
  const dry = await backfillMetrics({ metric: "dinov3-image", dryRun: true });
  assert.equal(dry[0]!.enqueued, 0);
  // The command queues them and prints progress until none is missing (the workers of this process
  // compute them meanwhile, so it runs asynchronously).
  const cli = await run(["scripts/metrics-backfill.ts", "--metric", "dinov3-image"]);
  assert.equal(cli.code, 0, cli.err);
  assert.match(cli.out, new RegExp(`^dinov3-image: ${p0.missing} missing, ${p0.missing} queued$`, "m"));
  assert.match(cli.out, new RegExp(`^dinov3-image ${p0.eligible}/${p0.eligible} \\(0 failed, 0 missing\\)$`, "m"));
  const rows = await waitFor("dinov3 rows", () => db().metricScore.findMany({ where: { generation: { sweepId }, metric: "dinov3-image" } }), (r) => r.length === 4);
  for (const r of rows) {
    const v = r.values as { paired: number; best: number };
    assert.equal(r.status, "ok");
    assert.ok(v.paired <= v.best + 1e-9 && v.best <= 1 + 1e-6 && v.paired >= -1 - 1e-6, JSON.stringify(v));
    assert.equal((r.definition as { modelId: string }).modelId, "arena/dinov3-tiny-random (fixture)");
  }
  // Everything computed: a second backfill finds nothing missing for this sweep's outputs.
  const again = await backfillMetrics({ metric: "dinov3-image", dryRun: true });
  const remaining = await db().generation.count({ where: { sweepId, metricScores: { none: { metric: "dinov3-image" } } } });
  assert.equal(remaining, 0, JSON.stringify(again));
});

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { env: process.env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

test("the backfill command refuses an unknown metric and bad usage", async () => {
  const unknown = await run(["scripts/metrics-backfill.ts", "--metric", "nope"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /No metric "nope" in the registry \(siglip2-image, dinov3-image, siglip2-text\)/);
  const usage = await run(["scripts/metrics-backfill.ts", "--everything"]);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /usage: npm run metrics:backfill/);
});

function png(width: number, height: number): Buffer {
  const p = new PNG({ width, height });
  p.data.fill(128);
  return PNG.sync.write(p);
}

test("hostile renders (corrupt, huge, too small, none) become failed rows with a reason, not a crash", async () => {
  const model = await db().generation.findFirstOrThrow({ where: { sweepId, track: "text" } });
  const good = png(64, 64);
  const huge = Buffer.from(good);
  huge.writeUInt32BE(30000, 16);
  huge.writeUInt32BE(30000, 20);
  const cases: [string, Buffer | null, RegExp][] = [
    ["corrupt", Buffer.concat([good.subarray(0, 40), Buffer.from("garbage garbage garbage")]), /generated view Image_015 could not be decoded as PNG/],
    ["huge", huge, /generated view Image_015 is 30000x30000 px; at most 4096 px a side/],
    ["tiny", png(2, 2), /generated view Image_015 is 2x2 px; at least 16 px a side/],
    ["none", null, /^the output has no rendered views$/],
  ];
  for (const [name, bytes, reason] of cases) {
    const prefix = `metrics-test/${name}`;
    const keys: string[] = [];
    if (bytes) {
      for (const view of ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"]) {
        const key = `${prefix}/renders/${view}`;
        await assets().putBytes(key, view === "Image_015.png" ? bytes : good);
        keys.push(key);
      }
    }
    // One sweep per case: an output is unique per (sweep, model, category, track).
    const hostile = await db().sweep.create({ data: { name: HOSTILE, config: {} } });
    const g = await db().generation.create({
      data: { contestantId: model.contestantId, categoryId: model.categoryId, track: "text", sweepId: hostile.id, status: "ready", execStatus: "OK", renderKeys: keys },
    });
    for (const metric of ["siglip2-image", "dinov3-image", "siglip2-text"]) {
      await scoreMetric({ generationId: g.id, metric });
      const row = await db().metricScore.findFirstOrThrow({ where: { generationId: g.id, metric } });
      assert.equal(row.status, "failed", `${name}/${metric}`);
      assert.deepEqual(row.values, {});
      assert.match(String((row.details as { reason: string }).reason), reason, `${name}/${metric}`);
    }
  }
});
