/**
 * The pipeline suite (tests/integration/pipeline.test.ts) a second time, with every asset in the
 * real S3-compatible server `npm test` starts (S3Proxy by default): import -> sweep -> generate -> execute
 * -> score -> ready on ASSET_STORE=s3. Then what only this run can show: every key the sweep wrote
 * is an object in the bucket and nothing in the local asset folder, and the web routes serve from
 * the bucket: a display GLB through the asset responder (Content-Length, the store's ETag, 304), and
 * a reference view through the public asset route handler called with a NextRequest (ETag, 304,
 * a byte range, 416, 404). The battle GLB route is server-only (it cannot be imported here); it
 * reads through the same store (assets().get).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { requireEnv } from "../support/env";

requireEnv("ASSET_S3_ENDPOINT");
// Before any module reads the environment: this process stores on S3 only.
process.env.ASSET_STORE = "s3";

await import("./pipeline.test");

const { db } = await import("@/lib/db");
const { getEnv } = await import("@/lib/env");
const { assets } = await import("@/lib/storage");
const { assetResponse } = await import("@/lib/storage/respond");
const assetRoute = await import("@/app/api/assets/[...key]/route");

async function bodyBytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

test("s3: every asset the sweep wrote is in the bucket, none on local disk", async () => {
  assert.equal(assets().kind, "s3");
  const sweep = await db().sweep.findFirstOrThrow({ where: { name: "pipeline-test" } });
  const gens = await db().generation.findMany({ where: { sweepId: sweep.id }, include: { category: true } });
  const keys = new Set<string>();
  for (const g of gens) {
    for (const k of [g.displayGlbKey, g.metricGlbKey, ...g.renderKeys, g.category.referenceGlbKey, ...g.category.referenceImageKeys]) if (k) keys.add(k);
  }
  assert.ok(keys.size >= 10, `${keys.size} keys`);
  const localRoot = getEnv().assetDir;
  for (const key of keys) {
    const st = await assets().stat(key);
    assert.ok(st && st.size > 0, `${key} in the bucket`);
    assert.ok(!existsSync(path.join(localRoot, ...key.split("/"))), `${key} not on local disk`);
  }
});

test("s3: a GLB is served from the bucket with Content-Length and the store's ETag (the staff asset route's responder)", async () => {
  const sweep = await db().sweep.findFirstOrThrow({ where: { name: "pipeline-test" } });
  const g = await db().generation.findFirstOrThrow({ where: { sweepId: sweep.id, status: "ready", displayGlbKey: { not: null } } });
  const key = g.displayGlbKey!;
  const st = (await assets().stat(key))!;
  const res = await assetResponse(key, "private, max-age=3600");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "model/gltf-binary");
  assert.equal(res.headers.get("content-length"), String(st.size));
  assert.equal(res.headers.get("etag"), st.etag);
  const bytes = await bodyBytes(res);
  assert.equal(bytes.subarray(0, 4).toString("latin1"), "glTF");
  assert.deepEqual(new Uint8Array(bytes), await assets().get(key));
  assert.equal((await assetResponse(key, "private, max-age=3600", new Headers({ "if-none-match": st.etag }))).status, 304);
});

test("s3: the public asset route streams a reference view with ETag, 304 and a byte range", async () => {
  const cat = await db().category.findFirstOrThrow({ where: { setName: "pipeline-test", referenceImageKeys: { isEmpty: false } } });
  const key = cat.referenceImageKeys[0]!;
  const stored = (await assets().get(key))!;
  const st = (await assets().stat(key))!;
  const call = (headers: Record<string, string> = {}) =>
    assetRoute.GET(new NextRequest(`http://localhost/api/assets/${key}`, { headers }), { params: Promise.resolve({ key: key.split("/") }) });

  const res = await call();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.equal(res.headers.get("content-length"), String(stored.length));
  assert.equal(res.headers.get("etag"), st.etag);
  assert.deepEqual(new Uint8Array(await bodyBytes(res)), stored);

  const again = await call({ "if-none-match": st.etag });
  assert.equal(again.status, 304);

  const part = await call({ range: "bytes=8-23" });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 8-23/${stored.length}`);
  assert.deepEqual(new Uint8Array(await bodyBytes(part)), stored.subarray(8, 24));

  assert.equal((await call({ range: `bytes=${stored.length}-` })).status, 416);
  const missing = await assetRoute.GET(new NextRequest(`http://localhost/api/assets/categories/nope/reference/Image_005.png`), {
    params: Promise.resolve({ key: ["categories", "nope", "reference", "Image_005.png"] }),
  });
  assert.equal(missing.status, 404);
});
