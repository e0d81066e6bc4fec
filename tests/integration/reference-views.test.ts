/**
 * Reference views at benchmark quality (issue 14 part 6), on real PostgreSQL, Redis and Blender:
 * a category's reference is prepared in the background by the execution worker with the benchmark
 * profile (64 spp, 512 px, OIDN), recorded with the exact Blender version; image-track generations
 * wait for it; a Blender version or profile change prepares it again.
 */
// Before any module reads the env: this suite renders with the benchmark profile whatever the
// suite-wide default (scripts/test.ts sets preview for speed).
process.env.REFERENCE_PROFILE = "benchmark";

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import path from "node:path";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureReferences, referenceProgress, requeueStaleReferences } = await import("@/lib/categories/references");
const { closeQueues, getQueue } = await import("@/lib/jobs/queue");
const { QUEUES } = await import("@/lib/jobs/constants");
const { runQueue } = await import("@/lib/jobs/runtime");
const { createRunnerFromEnv } = await import("@/lib/pipeline/runner");
const { generateCode } = await import("@/lib/pipeline/generate");
const { ReferenceNotReadyError } = await import("@/lib/pipeline/errors");
const { assets } = await import("@/lib/storage");
const { resetEnvCache } = await import("@/lib/env");
const { BUILTIN_CONTESTANTS } = await import("@/lib/contestants/registry");

const SET = "reference-views-test";
const INSTANCE = "RvCube_seed0";
const CUBE = `import bpy
bpy.ops.object.select_all(action="SELECT")
bpy.ops.object.delete()
bpy.ops.mesh.primitive_cube_add(size=0.4, location=(0, 0, 0.2))
`;

let root: string;
let categoryId: string;
let blenderVersion: string;
let generationId: string;
let sweepId: string;
let worker: { close(): Promise<void> } | undefined;

/** Width, height, bit depth and colour type from a PNG's IHDR chunk. */
function pngHeader(bytes: Uint8Array): { width: number; height: number; depth: number; colour: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.deepEqual([...bytes.subarray(0, 8)], sig, "PNG signature");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(new TextDecoder().decode(bytes.subarray(12, 16)), "IHDR");
  return { width: v.getUint32(16), height: v.getUint32(20), depth: bytes[24]!, colour: bytes[25]! };
}

async function waitForState(want: string, timeoutMs: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await referenceProgress({ categoryIds: [categoryId] });
    const state = p.categories[0]!.state;
    seen.add(state);
    if (state === want) return seen;
    if (Date.now() > deadline) throw new Error(`reference still ${state} after ${timeoutMs} ms (seen: ${[...seen].join(", ")})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function imageTrackWaits(): Promise<boolean> {
  try {
    await generateCode({ generationId, attempt: 0 });
    return false;
  } catch (err) {
    if (err instanceof ReferenceNotReadyError) return true;
    throw err;
  }
}

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), "arena-refviews-"));
  const dir = path.join(root, INSTANCE);
  mkdirSync(dir);
  writeFileSync(path.join(dir, `${INSTANCE}.py`), CUBE);
  writeFileSync(path.join(dir, "prompt_description.txt"), "A 3D model of a small cube.");
  writeFileSync(path.join(dir, "prompt_instruction.txt"), "Create the 3D object of a RvCube using Python Blender code.");
  await importCategorySet(root, SET);
  categoryId = (await db().category.findUniqueOrThrow({ where: { instanceId: INSTANCE } })).id;
  blenderVersion = await createRunnerFromEnv().version();
  const ref = BUILTIN_CONTESTANTS.find((c) => c.slug === "reference")!;
  const { slug, ...rest } = ref;
  const contestant = await db().contestant.upsert({ where: { slug }, create: ref, update: rest });
  sweepId = (await db().sweep.create({ data: { name: SET, config: { contestants: [slug], categories: [INSTANCE], tracks: ["image"], profile: "preview" } } })).id;
  generationId = (await db().generation.create({ data: { sweepId, contestantId: contestant.id, categoryId, track: "image" } })).id;
});

after(async () => {
  await worker?.close();
  const job = await getQueue(QUEUES.execution).getJob(`category.prepare__${categoryId}`);
  await job?.remove().catch(() => undefined);
  await db().generationAttempt.deleteMany({ where: { generation: { sweepId } } });
  await db().generation.deleteMany({ where: { sweepId } });
  await db().sweep.deleteMany({ where: { id: sweepId } });
  await db().category.deleteMany({ where: { setName: SET } });
  await closeQueues();
  await disconnectDb();
  rmSync(root, { recursive: true, force: true });
});

test("the image track waits while the reference is queued; the execution worker prepares it with the benchmark profile", async () => {
  assert.equal((await referenceProgress({ categoryIds: [categoryId] })).categories[0]!.state, "unprepared");
  assert.equal(await ensureReferences([categoryId]), 1);
  assert.equal((await referenceProgress({ categoryIds: [categoryId] })).categories[0]!.state, "queued");
  assert.equal(await imageTrackWaits(), true, "no views yet: the generation waits");

  const t0 = Date.now();
  worker = await runQueue(QUEUES.execution, { name: "t-refviews-execution", concurrency: 1, keepConnections: true });
  const seen = await waitForState("prepared", 600_000);
  const seconds = (Date.now() - t0) / 1000;
  assert.ok(seen.has("rendering"), `progress showed the render (${[...seen].join(", ")})`);

  const cat = await db().category.findUniqueOrThrow({ where: { id: categoryId } });
  assert.equal(cat.referenceStatus, "OK");
  assert.equal(cat.referenceProfile, "benchmark(64spp,512px,oidn)");
  assert.equal(cat.referenceBlenderVersion, blenderVersion);
  assert.match(cat.referenceBlenderVersion ?? "", /^5\.\d+\.\d+/);
  const renderer = cat.referenceRenderer as { samples: number; resolution: number; denoiser: string | null; renderSec: number; totalSec: number };
  assert.equal(renderer.samples, 64);
  assert.equal(renderer.resolution, 512);
  assert.match(renderer.denoiser ?? "", /OPENIMAGEDENOISE/i, "the views were denoised");
  assert.ok(cat.referenceGlbKey, "metric GLB for Chamfer");
  assert.ok(cat.referencePreparedAt && !cat.referenceQueuedAt && !cat.referenceStartedAt);
  assert.equal(cat.referenceImageKeys.length, 4);
  for (const key of cat.referenceImageKeys) {
    assert.match(key, new RegExp(`^categories/${INSTANCE}/reference-[0-9a-f]{12}-benchmark-5[\\w.]+/renders/Image_0\\d5\\.png$`));
    const png = await assets().get(key);
    assert.ok(png, key);
    const h = pngHeader(png);
    assert.deepEqual([h.width, h.height], [512, 512], key);
  }
  console.log(`# benchmark-profile reference of a cube: ${seconds.toFixed(1)} s end to end (render ${renderer.renderSec} s)`);

  // Prepared: a second request queues nothing and the image track goes on (no wait). The worker
  // stops first: that attempt's execution is not this suite's business, so its job is dropped.
  await worker.close();
  worker = undefined;
  assert.equal(await ensureReferences([categoryId]), 0);
  assert.equal(await imageTrackWaits(), false);
  await (await getQueue(QUEUES.execution).getJob(`generation.execute__${generationId}__0`))?.remove();
});

test("a Blender version change prepares the reference again, and the image track waits meanwhile", async () => {
  await db().generation.update({ where: { id: generationId }, data: { status: "queued" } });
  await db().generationAttempt.deleteMany({ where: { generationId } });
  // As if prepared by an older Blender: the worker's start check finds it stale.
  await db().category.update({ where: { id: categoryId }, data: { referenceBlenderVersion: "4.2.0" } });
  assert.equal((await referenceProgress({ categoryIds: [categoryId], blenderVersion })).categories[0]!.state, "stale");
  assert.equal(await requeueStaleReferences(blenderVersion), 1);
  assert.equal(await requeueStaleReferences(blenderVersion), 0, "once");
  const cat = await db().category.findUniqueOrThrow({ where: { id: categoryId } });
  assert.equal(cat.referenceStatus, null);
  assert.equal(cat.referenceImageKeys.length, 4, "the old views are still stored ...");
  assert.equal(await imageTrackWaits(), true, "... but not used: the generation waits for the new ones");

  // The re-render itself with the cheap profile: a profile change is recorded the same way.
  process.env.REFERENCE_PROFILE = "preview";
  resetEnvCache();
  try {
    worker = await runQueue(QUEUES.execution, { name: "t-refviews-execution", concurrency: 1, keepConnections: true });
    await waitForState("prepared", 300_000);
    const again = await db().category.findUniqueOrThrow({ where: { id: categoryId } });
    assert.equal(again.referenceProfile, "preview(8spp,256px)");
    assert.equal(again.referenceBlenderVersion, blenderVersion);
    assert.notDeepEqual(again.referenceImageKeys, cat.referenceImageKeys);
    assert.deepEqual([...pngDims(await assets().get(again.referenceImageKeys[0]!))], [256, 256]);
  } finally {
    process.env.REFERENCE_PROFILE = "benchmark";
    resetEnvCache();
  }
  // Back on the benchmark profile, the preview-quality reference is stale and queued again.
  assert.equal((await referenceProgress({ categoryIds: [categoryId] })).categories[0]!.state, "stale");
  await worker.close();
  worker = undefined;
  assert.equal(await ensureReferences([categoryId]), 1);
  assert.equal((await referenceProgress({ categoryIds: [categoryId] })).counts.queued, 1);
});

test("npm run categories:prepare queues a set, works it with --run and prints its progress", async () => {
  // The category is queued again (end of the test above); a cheap profile for this run.
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/prepare-categories.ts", "--set", SET, "--run"], {
      env: { ...process.env, REFERENCE_PROFILE: "preview" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
  assert.equal(out.code, 0, out.stdout + out.stderr);
  const lines = out.stdout.split("\n");
  assert.ok(lines.some((l) => /^1 category; [01] queued for preparation with preview\(8spp,256px\)/.test(l)), out.stdout);
  assert.ok(lines.some((l) => l.startsWith("references: 0/1 prepared")), out.stdout);
  assert.equal(lines.filter((l) => l.startsWith("references: ")).at(-1), "references: 1/1 prepared, 0 rendering, 0 queued, 0 failed, 0 stale, 0 not prepared");
  const cat = await db().category.findUniqueOrThrow({ where: { id: categoryId } });
  assert.equal(cat.referenceProfile, "preview(8spp,256px)");

  // Hostile arguments: an unknown flag or category is refused with a readable message, exit 2 / 1.
  const bad = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/prepare-categories.ts", "Nope_seed0"], { env: process.env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^Unknown categories: Nope_seed0 \(import them first/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace");
});

function pngDims(bytes: Uint8Array | null): [number, number] {
  assert.ok(bytes);
  const h = pngHeader(bytes);
  return [h.width, h.height];
}
