/**
 * The pipeline suite (tests/integration/pipeline.test.ts) a second time, with every asset in the
 * real S3-compatible server `npm test` starts (SeaweedFS): import -> sweep -> generate -> execute
 * -> score -> ready on ASSET_STORE=s3. Then what only this run can show: every key the sweep wrote
 * is an object in the bucket and nothing in the local asset folder, and the web routes serve from
 * the bucket (a battle's GLB with its Content-Length, a public reference view with ETag, 304 and a
 * byte range), called as route handlers with a NextRequest.
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
const { encodeVoterCookie, VOTER_COOKIE } = await import("@/lib/battles/voter");
const battleRoute = await import("@/app/api/battles/[id]/[file]/route");
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

test("s3: the battle GLB route serves the bucket's model with its Content-Length", async () => {
  const sweep = await db().sweep.findFirstOrThrow({ where: { name: "pipeline-test" } });
  const [a, b] = await db().generation.findMany({ where: { sweepId: sweep.id, track: "text", status: "ready", displayGlbKey: { not: null } }, take: 2 });
  assert.ok(a && b);
  const voter = await db().user.create({ data: { anonymous: true } });
  const battle = await db().battle.create({
    data: { track: "text", categoryId: a.categoryId, generationAId: a.id, generationBId: b.id, voterId: voter.id, tokenHash: `pipeline-s3-${voter.id}`, expiresAt: new Date(Date.now() + 60_000) },
  });
  try {
    const req = new NextRequest(`http://localhost/api/battles/${battle.id}/a.glb`, { headers: { cookie: `${VOTER_COOKIE}=${encodeVoterCookie(voter.id)}` } });
    const res = await battleRoute.GET(req, { params: Promise.resolve({ id: battle.id, file: "a.glb" }) });
    assert.equal(res.status, 200);
    const bytes = await bodyBytes(res);
    assert.equal(res.headers.get("content-length"), String(bytes.length));
    assert.equal(bytes.subarray(0, 4).toString("latin1"), "glTF");
    // Opaque: no validator that would link the battle to the stored object.
    assert.equal(res.headers.get("etag"), null);
    const stored = (await assets().stat(a.displayGlbKey!))!;
    assert.ok(bytes.length >= stored.size, "the stored model, padded per battle");
  } finally {
    await db().battle.delete({ where: { id: battle.id } });
    await db().user.delete({ where: { id: voter.id } });
  }
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
