/**
 * The AssetStore contract, run against both implementations: local disk (a temp folder) and the
 * real S3-compatible server `npm test` starts (S3Proxy by default, ASSET_S3_ENDPOINT). Each case uses its
 * own key prefix, so runs never see each other's objects.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";

requireEnv("ASSET_S3_ENDPOINT");

const { LocalAssetStore } = await import("@/lib/storage/local");
const { S3AssetStore } = await import("@/lib/storage/s3");
const { InvalidAssetKeyError, withLocalCopies } = await import("@/lib/storage");
type AssetStore = import("@/lib/storage").AssetStore;

const localRoot = mkdtempSync(path.join(tmpdir(), "arena-asset-store-"));
const s3 = new S3AssetStore({
  bucket: requireEnv("ASSET_S3_BUCKET"),
  region: requireEnv("ASSET_S3_REGION"),
  endpoint: requireEnv("ASSET_S3_ENDPOINT"),
  forcePathStyle: true,
  accessKeyId: requireEnv("ASSET_S3_ACCESS_KEY_ID"),
  secretAccessKey: requireEnv("ASSET_S3_SECRET_ACCESS_KEY"),
  timeoutMs: 30_000,
});
const stores: [string, AssetStore][] = [
  ["local", new LocalAssetStore(path.join(localRoot, "assets"))],
  ["s3", s3],
];

after(() => {
  rmSync(localRoot, { recursive: true, force: true });
  s3.client.destroy();
});

async function text(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function keysUnder(store: AssetStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const a of store.list(prefix)) out.push(a.key);
  return out.sort();
}

const HOSTILE = [
  "",
  "/etc/passwd",
  "../escape.glb",
  "a/../../escape.glb",
  "a/./b.glb",
  "a//b.glb",
  "a/b/",
  "a\\..\\b.glb",
  "%2e%2e/escape.glb",
  "a\u0000b.glb",
  "spaces are not keys.glb",
  "ünïcode.glb",
  "x".repeat(600),
  "a/b.glb~tmp-1-2",
];

for (const [name, store] of stores) {
  describe(`${name} asset store`, () => {
    const prefix = `contract-${randomUUID()}`;

    test("put, get, stat and stream return exactly what was stored", async () => {
      const bytes = new Uint8Array(randomBytes(70_000));
      await store.putBytes(`${prefix}/g/display.glb`, bytes);
      assert.deepEqual(await store.get(`${prefix}/g/display.glb`), bytes);
      const st = await store.stat(`${prefix}/g/display.glb`);
      assert.ok(st);
      assert.equal(st.size, bytes.length);
      assert.match(st.etag, /^"[^"]+"$/, "a quoted strong validator");
      assert.ok(st.mtime instanceof Date && Math.abs(st.mtime.getTime() - Date.now()) < 120_000, String(st.mtime));
      const s = await store.stream(`${prefix}/g/display.glb`);
      assert.ok(s);
      assert.equal(s.stat.size, bytes.length);
      assert.equal(s.stat.etag, st.etag);
      assert.deepEqual(new Uint8Array(await text(s.body)), bytes);

      await store.putBytes(`${prefix}/g/meta.json`, '{"ok":true}');
      assert.equal(Buffer.from((await store.get(`${prefix}/g/meta.json`))!).toString(), '{"ok":true}');

      const src = path.join(localRoot, `${name}-source.png`);
      writeFileSync(src, bytes.subarray(0, 1234));
      await store.putFile(`${prefix}/g/renders/Image_005.png`, src);
      assert.deepEqual(await store.get(`${prefix}/g/renders/Image_005.png`), bytes.subarray(0, 1234));
      assert.deepEqual(await keysUnder(store, prefix), [`${prefix}/g/display.glb`, `${prefix}/g/meta.json`, `${prefix}/g/renders/Image_005.png`]);
    });

    test("a byte range streams exactly those bytes and reports the whole size", async () => {
      const bytes = new Uint8Array(randomBytes(10_000));
      await store.putBytes(`${prefix}/range.glb`, bytes);
      const r = await store.stream(`${prefix}/range.glb`, { start: 100, end: 4195 });
      assert.ok(r);
      assert.equal(r.stat.size, 10_000);
      assert.deepEqual(new Uint8Array(await text(r.body)), bytes.subarray(100, 4196));
      const last = await store.stream(`${prefix}/range.glb`, { start: 9_999, end: 9_999 });
      assert.deepEqual([...(await text(last!.body))], [bytes[9_999]]);
    });

    test("a missing key is null everywhere, never an error", async () => {
      // A key below an existing object (display.glb/...) is a plain 404 on S3, but S3Proxy's
      // filesystem backend (the test server) answers 500 there: checked on local disk only
      // (docs/storage.md, "Tests"). Our keys are never nested under an object's key.
      const below = name === "local" ? [`${prefix}/g/display.glb/deeper.glb`] : [];
      for (const key of [`${prefix}/missing.glb`, `${prefix}/g`, ...below]) {
        assert.equal(await store.stat(key), null, key);
        assert.equal(await store.get(key), null, key);
        assert.equal(await store.stream(key), null, key);
      }
      await store.delete(`${prefix}/never-there.glb`);
    });

    test("overwrites are atomic: concurrent readers see the old bytes or the new, whole", async () => {
      const key = `${prefix}/atomic.glb`;
      const versions = [0xaa, 0xbb, 0xcc, 0xdd].map((b) => new Uint8Array(3 * 1024 * 1024).fill(b));
      await store.putBytes(key, versions[0]!);
      const before = (await store.stat(key))!.etag;
      let reads = 0;
      let writing = true;
      const readers = [0, 1].map(async () => {
        while (writing) {
          const got = await store.get(key);
          assert.ok(got, "never missing while being replaced");
          assert.equal(got.length, versions[0]!.length, "never partial");
          assert.ok(got.every((b) => b === got[0]), "never a mix of two versions");
          reads++;
        }
      });
      for (const v of [...versions.slice(1), versions[0]!, versions[2]!]) await store.putBytes(key, v);
      writing = false;
      await Promise.all(readers);
      assert.ok(reads > 0);
      assert.deepEqual(await store.get(key), versions[2]);
      assert.notEqual((await store.stat(key))!.etag, before, "the validator changes with the bytes");
    });

    test("storing the same bytes twice is harmless (idempotent retries)", async () => {
      const bytes = new Uint8Array(randomBytes(5000));
      await store.putBytes(`${prefix}/again/metric.glb`, bytes);
      await store.putBytes(`${prefix}/again/metric.glb`, bytes);
      assert.deepEqual(await keysUnder(store, `${prefix}/again`), [`${prefix}/again/metric.glb`]);
      assert.deepEqual(await store.get(`${prefix}/again/metric.glb`), bytes);
      await store.delete(`${prefix}/again/metric.glb`);
      assert.equal(await store.get(`${prefix}/again/metric.glb`), null);
    });

    test("hostile keys are refused by every method before anything is touched", async () => {
      for (const key of HOSTILE) {
        const label = JSON.stringify(key.slice(0, 40));
        await assert.rejects(store.putBytes(key, "x"), InvalidAssetKeyError, `putBytes ${label}`);
        await assert.rejects(store.get(key), InvalidAssetKeyError, `get ${label}`);
        await assert.rejects(store.stat(key), InvalidAssetKeyError, `stat ${label}`);
        await assert.rejects(store.stream(key), InvalidAssetKeyError, `stream ${label}`);
        await assert.rejects(store.delete(key), InvalidAssetKeyError, `delete ${label}`);
      }
      assert.ok(!existsSync(path.join(localRoot, "escape.glb")) && !existsSync("/tmp/escape.glb"));
    });

    test("withLocalCopies hands over private copies and removes them afterwards", async () => {
      const a = new Uint8Array(randomBytes(300));
      await store.putBytes(`${prefix}/views/Image_005.png`, a);
      await store.putBytes(`${prefix}/other/Image_005.png`, a.subarray(0, 10));
      let seen: string[] = [];
      const sizes = await withLocalCopies(store, [`${prefix}/views/Image_005.png`, `${prefix}/nope.png`, `${prefix}/other/Image_005.png`], async (paths) => {
        seen = paths;
        assert.deepEqual(paths.map((p) => path.basename(p)), ["Image_005.png", "Image_005.png"], "file names kept, missing keys left out");
        return paths.map((p) => readdirSync(path.dirname(p)).length);
      });
      assert.deepEqual(sizes, [1, 1]);
      assert.ok(seen.every((p) => !existsSync(p)), "removed after the call");
      await assert.rejects(
        withLocalCopies(store, [`${prefix}/views/Image_005.png`], async (paths) => {
          seen = paths;
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.ok(seen.every((p) => !existsSync(path.dirname(p))), "removed after a failure too");
    });
  });
}

test("local store: a temporary file left by a crashed writer is never listed nor served", async () => {
  const root = path.join(localRoot, "crash");
  const store = new LocalAssetStore(root);
  await store.putBytes("g/display.glb", "whole");
  mkdirSync(path.join(root, "g"), { recursive: true });
  writeFileSync(path.join(root, "g", "display.glb~tmp-123-abc"), "partial");
  assert.deepEqual(await keysUnder(store, ""), ["g/display.glb"]);
  await assert.rejects(store.get("g/display.glb~tmp-123-abc"), InvalidAssetKeyError);
});
