/**
 * The leaderboard the web tier keeps between snapshots (lib/leaderboard/cache.ts), on real
 * PostgreSQL, as a web process runs it (ARENA_WEB_TIER=1): a new snapshot is served within
 * WEB_CACHE_CHECK_MS (plus a query); each scope gets its own board, `?tag=X` and `?tag=x` the same
 * one; a refused scope answers 422 and is never kept. Snapshots of this file's own tag scopes
 * (wct-*), removed afterwards.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { requireEnv } from "@/tests/support/env";

requireEnv("DATABASE_URL");
const CHECK_MS = 300;
process.env.ARENA_WEB_TIER = "1";
process.env.WEB_CACHE_CHECK_MS = String(CHECK_MS);
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();

const { db, disconnectDb } = await import("@/lib/db");
const { leaderboardJson } = await import("@/lib/leaderboard/cache");
const { DEFAULT_SCOPE } = await import("@/lib/ratings/scope");

const P = "wct";
const scopeOf = (tag: string) => ({ ...DEFAULT_SCOPE, tag });

async function snapshot(tag: string, votes: number): Promise<void> {
  await db().ratingSnapshot.create({ data: { scope: `tag:${tag}`, voteCount: votes, params: { boards: [], minBoardVotes: 5 } } });
}

async function cleanup(): Promise<void> {
  await db().ratingSnapshot.deleteMany({ where: { scope: { startsWith: `tag:${P}-` } } });
}

before(async () => {
  await cleanup();
  await snapshot(`${P}-a`, 3);
  await snapshot(`${P}-b`, 7);
});

after(async () => {
  await cleanup();
  await disconnectDb();
});

const read = async (tag: string) => {
  const r = await leaderboardJson(scopeOf(tag));
  return { ...r, json: JSON.parse(r.body) as { scope: string; votes: number } };
};

test("a new snapshot is served within WEB_CACHE_CHECK_MS", async () => {
  const first = await read(`${P}-a`);
  assert.equal(first.json.votes, 3);
  // Newer by computedAt: what the ratings worker's next publish looks like.
  await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  await snapshot(`${P}-a`, 4);
  let now = first;
  while (now.json.votes !== 4 && performance.now() - t0 < 5000) {
    await new Promise((r) => setTimeout(r, 20));
    now = await read(`${P}-a`);
  }
  const ms = performance.now() - t0;
  assert.equal(now.json.votes, 4);
  // The bound, with room for one version query and one rebuild on a busy machine.
  assert.ok(ms < CHECK_MS + 700, `new snapshot served after ${ms.toFixed(0)} ms`);
  assert.notEqual(now.etag, first.etag, "new bytes, new ETag");
  const again = await read(`${P}-a`);
  assert.equal(again.etag, now.etag, "unchanged board, same ETag");
});

test("every scope gets its own board; a tag's spelling does not make another", async () => {
  const [a, b, upper] = await Promise.all([read(`${P}-a`), read(`${P}-b`), read(`${P.toUpperCase()}-A`)]);
  assert.equal(a.json.scope, `tag:${P}-a`);
  assert.equal(b.json.scope, `tag:${P}-b`);
  assert.equal(b.json.votes, 7);
  assert.notEqual(a.etag, b.etag);
  assert.equal(upper.json.scope, `tag:${P}-a`);
  assert.equal(upper.body, a.body, "?tag=WCT-A is the wct-a board");
  const all = await leaderboardJson(DEFAULT_SCOPE);
  assert.equal((JSON.parse(all.body) as { scope: string }).scope, "all");
});

test("a scope without ratings (two variants at once) is refused, not kept", async () => {
  await assert.rejects(leaderboardJson({ ...scopeOf(`${P}-a`), voters: "signed-in" }), (err: Error & { code?: string }) => err.code === "unprocessable");
});
