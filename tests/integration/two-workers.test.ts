/**
 * Workers on other hosts, shown on this one: two execution worker processes (workers/execution.ts),
 * each with its own data folder (ARENA_DATA_DIR) and its own sandbox uid range, share one sweep
 * through the same PostgreSQL, Redis and S3-compatible store `npm test` starts. The generation and
 * scoring queues are worked in this process, also on ASSET_STORE=s3. Every generation completes
 * exactly once, both workers take part, every asset is in the bucket, none in a worker's folder,
 * and the web tier's asset responder serves them from the bucket.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";
import { removeSweepAndSet } from "../support/sweep-cleanup";
import { stopChild } from "@/scripts/launcher/stop-child";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");
requireEnv("ASSET_S3_ENDPOINT");
process.env.ASSET_STORE = "s3";

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureSweep, sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");
const { BUILTIN_CONTESTANTS } = await import("@/lib/contestants/registry");
const { assets } = await import("@/lib/storage");
const { assetResponse } = await import("@/lib/storage/respond");

const ROOT = path.resolve(import.meta.dirname, "../..");
const SET = "two-workers-test";
const CATEGORIES = ["TwCube", "TwSlab", "TwTower"];
const script = (x: number, y: number, z: number) => `import bpy
bpy.ops.object.select_all(action="SELECT")
bpy.ops.object.delete()
bpy.ops.mesh.primitive_cube_add(size=1, location=(0, 0, ${z / 2}))
bpy.context.object.scale = (${x}, ${y}, ${z})
`;

let categoryRoot: string;
let workerRoot: string;
let inProcess: PipelineWorkers | undefined;
const children: { proc: ChildProcess; output: string; dataDir: string }[] = [];

function startExecutionWorker(n: number): void {
  const dataDir = path.join(workerRoot, `worker-${n}`);
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const proc = spawn(process.execPath, ["--import", "tsx", "workers/execution.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ARENA_DATA_DIR: dataDir,
      ASSET_STORE: "s3",
      // Disjoint uid ranges, as two hosts would have (the lock files would also keep them apart here).
      EXEC_SANDBOX_UID_BASE: String(310_000 + n * 1000),
      EXEC_SANDBOX_UID_COUNT: "100",
      EXEC_CONCURRENCY: "1",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const child = { proc, output: "", dataDir };
  proc.stdout!.on("data", (d) => (child.output += d.toString()));
  proc.stderr!.on("data", (d) => (child.output += d.toString()));
  children.push(child);
}

before(async () => {
  categoryRoot = mkdtempSync(path.join(tmpdir(), "arena-two-workers-"));
  const dims: Record<string, [number, number, number]> = { TwCube: [0.5, 0.5, 0.5], TwSlab: [1, 0.6, 0.1], TwTower: [0.2, 0.2, 1.2] };
  for (const name of CATEGORIES) {
    const dir = path.join(categoryRoot, `${name}_seed0`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}_seed0.py`), script(...dims[name]!));
    writeFileSync(path.join(dir, "prompt_description.txt"), `A 3D model of a ${name.toLowerCase()} for the two-worker test.`);
    writeFileSync(path.join(dir, "prompt_instruction.txt"), `Create the 3D object of a ${name} using Python Blender code.`);
  }
  workerRoot = path.join(requireEnv("ARENA_DATA_DIR"), "two-workers");
  rmSync(workerRoot, { recursive: true, force: true });
  for (const c of BUILTIN_CONTESTANTS) {
    const { slug, ...rest } = c;
    await db().contestant.upsert({ where: { slug }, create: c, update: rest });
  }
  startExecutionWorker(1);
  startExecutionWorker(2);
  inProcess = await startPipelineWorkers({ execution: false });
});

after(async () => {
  await Promise.all(children.map((c) => stopChild(c.proc, 30_000)));
  await inProcess?.close();
  await removeSweepAndSet(SET);
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  rmSync(categoryRoot, { recursive: true, force: true });
  rmSync(workerRoot, { recursive: true, force: true });
});

test("two execution workers with separate folders share one sweep: each generation once, assets in the bucket", async () => {
  const imported = await importCategorySet(categoryRoot, SET);
  assert.equal(imported.created.length, CATEGORIES.length, JSON.stringify(imported.problems));
  const s = await ensureSweep({ name: SET, contestantSlugs: ["reference", "blockout"], categories: CATEGORIES.map((c) => `${c}_seed0`), tracks: ["text"], profile: "preview" });
  assert.equal(s.generations, 6);

  const deadline = Date.now() + 300_000;
  let p = await sweepProgress(s.sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    for (const c of children) assert.equal(c.proc.exitCode, null, `worker exited early:\n${c.output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
    p = await sweepProgress(s.sweepId);
  }
  assert.equal(p.done, 6, JSON.stringify(p.byStatus));

  const gens = await db().generation.findMany({ where: { sweepId: s.sweepId }, include: { attempts: true, category: true } });
  for (const g of gens) {
    assert.equal(g.status, "ready", `${g.category.instanceId}: ${g.errorText}`);
    assert.equal(g.attempts.length, 1, "generated once");
    assert.equal(g.attempts[0]!.execStatus, "OK", "executed once, successfully");
    assert.ok(g.chamfer !== null, "scored");
  }

  // Each worker logs the jobs it finished: together exactly one execution per distinct program and
  // one preparation per category, and both workers did some of it.
  const done = children.map((c) => [...c.output.matchAll(/(generation\.execute|category\.prepare) \S+ done in/g)].map((m) => m[1]));
  assert.ok(done.every((d) => d.length > 0), `both workers took jobs: ${done.map((d) => d.length).join(" + ")}\n${children.map((c) => c.output.slice(-1500)).join("\n---\n")}`);
  const all = done.flat();
  assert.equal(all.filter((n) => n === "category.prepare").length, CATEGORIES.length, "each reference prepared once");
  const executions = all.filter((n) => n === "generation.execute").length;
  assert.ok(executions >= 1 && executions <= gens.length, `${executions} executions for ${gens.length} generations`);

  // Assets: in the bucket, nothing in either worker's folder, served by the web tier from there.
  const keys = gens.flatMap((g) => [g.displayGlbKey!, g.metricGlbKey!, ...g.renderKeys, g.category.referenceGlbKey!]);
  for (const key of keys) assert.ok((await assets().stat(key))?.size, `${key} in the bucket`);
  for (const c of children) assert.ok(!existsSync(path.join(c.dataDir, "assets")), `${c.dataDir} holds no assets`);
  const key = gens[0]!.displayGlbKey!;
  const res = await assetResponse(key, "private, max-age=3600");
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), String(body.length));
  assert.equal(res.headers.get("etag"), (await assets().stat(key))!.etag);
  assert.deepEqual(new Uint8Array(body), await assets().get(key));
});
