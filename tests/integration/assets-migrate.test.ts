/**
 * `npm run assets:migrate` as an operator runs it (the script in a child process, env only), on a
 * small instance: local disk -> the real S3-compatible server (a bucket of its own) and back, with
 * progress lines, a summary, skipping of identical objects, resumption after a partial copy, and
 * byte-for-byte results.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";

requireEnv("ASSET_S3_ENDPOINT");
const { createBucket } = await import("@/scripts/launcher/s3proxy");
const { S3AssetStore } = await import("@/lib/storage/s3");

const ROOT = path.resolve(import.meta.dirname, "../..");
const bucket = `migrate-${randomUUID().slice(0, 8)}`;
const s3env = {
  ASSET_S3_ENDPOINT: requireEnv("ASSET_S3_ENDPOINT"),
  ASSET_S3_REGION: requireEnv("ASSET_S3_REGION"),
  ASSET_S3_ACCESS_KEY_ID: requireEnv("ASSET_S3_ACCESS_KEY_ID"),
  ASSET_S3_SECRET_ACCESS_KEY: requireEnv("ASSET_S3_SECRET_ACCESS_KEY"),
  ASSET_S3_FORCE_PATH_STYLE: "true",
  ASSET_S3_BUCKET: bucket,
};
const s3 = new S3AssetStore({
  bucket,
  region: s3env.ASSET_S3_REGION,
  endpoint: s3env.ASSET_S3_ENDPOINT,
  forcePathStyle: true,
  accessKeyId: s3env.ASSET_S3_ACCESS_KEY_ID,
  secretAccessKey: s3env.ASSET_S3_SECRET_ACCESS_KEY,
  timeoutMs: 30_000,
});

let work: string;
const files: Record<string, Buffer> = {
  "generations/g1/display.glb": randomBytes(200_000),
  "generations/g1/metric.glb": randomBytes(50_000),
  "generations/g1/renders/Image_005.png": randomBytes(3000),
  "categories/Mug_seed0/reference/Image_015.png": randomBytes(4000),
  "runs/r-1/empty.json": Buffer.alloc(0),
};

function migrate(dataDir: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/assets-migrate.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // Only what the tool needs: no database, no Redis.
    env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, ARENA_ROOT: ROOT, ARENA_DATA_DIR: dataDir, ...s3env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

function writeAssets(dataDir: string): void {
  for (const [key, bytes] of Object.entries(files)) {
    const p = path.join(dataDir, "assets", ...key.split("/"));
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, bytes);
  }
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), "arena-migrate-"));
  await createBucket({ endpoint: s3env.ASSET_S3_ENDPOINT, region: s3env.ASSET_S3_REGION, bucket, accessKeyId: s3env.ASSET_S3_ACCESS_KEY_ID, secretAccessKey: s3env.ASSET_S3_SECRET_ACCESS_KEY });
});

after(() => {
  rmSync(work, { recursive: true, force: true });
  s3.client.destroy();
});

test("local -> s3 copies every asset with progress, verifies it, and a second run copies nothing", async () => {
  const a = path.join(work, "a");
  writeAssets(a);
  // A crashed writer's temporary file is not an asset and is not migrated.
  writeFileSync(path.join(a, "assets/generations/g1/display.glb~tmp-1-x"), "partial");
  const first = migrate(a, "--to", "s3");
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /5 assets to copy from .*assets to s3:\/\//);
  assert.match(first.out, /copy 5\/5: 5 copied/);
  assert.match(first.out, /verify 5\/5: 5 identical/);
  assert.match(first.out, /summary: 5 assets, 5 copied \(0\.3 MB\), 0 already identical, 5 verified, 0 failed/);
  const listed: string[] = [];
  for await (const o of s3.list()) listed.push(o.key);
  assert.deepEqual(listed.sort(), Object.keys(files).sort());
  for (const [key, bytes] of Object.entries(files)) assert.deepEqual(Buffer.from((await s3.get(key))!), bytes, key);

  const second = migrate(a, "--to", "s3");
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /summary: 5 assets, 0 copied \(0\.0 MB\), 5 already identical, 5 verified, 0 failed/);
});

test("an interrupted or stale copy is resumed: only missing and changed objects are copied", async () => {
  const a = path.join(work, "a");
  await s3.delete("generations/g1/metric.glb");
  await s3.delete("runs/r-1/empty.json");
  files["generations/g1/renders/Image_005.png"] = randomBytes(3000);
  writeAssets(a);
  const r = migrate(a, "--to", "s3");
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /summary: 5 assets, 3 copied .* 2 already identical, 5 verified, 0 failed/);
  assert.deepEqual(Buffer.from((await s3.get("generations/g1/renders/Image_005.png"))!), files["generations/g1/renders/Image_005.png"]);
});

test("s3 -> local restores the same bytes into an empty data folder", () => {
  const b = path.join(work, "b");
  const r = migrate(b, "--to", "local");
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /summary: 5 assets, 5 copied .* 5 verified, 0 failed/);
  for (const [key, bytes] of Object.entries(files)) assert.deepEqual(readFileSync(path.join(b, "assets", ...key.split("/"))), bytes, key);
});

test("a wrong invocation or configuration says what is wrong, without a stack trace", () => {
  const usage = migrate(path.join(work, "c"), "--to", "gcs");
  assert.equal(usage.code, 2);
  assert.match(usage.out, /usage: npm run assets:migrate -- --to s3\|local/);
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/assets-migrate.ts", "--to", "s3"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, ARENA_ROOT: ROOT, ARENA_DATA_DIR: path.join(work, "c") },
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ASSET_S3_BUCKET must be set/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
