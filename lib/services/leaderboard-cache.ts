/**
 * The leaderboard as the API serves it: rendered JSON per scope, kept in this process between
 * snapshots (versioned-cache.ts), with a strong ETag over the bytes. The board is a precomputed
 * snapshot, yet every read used to re-run the snapshot, metrics and tag queries and serialise the
 * result (500 readers got 344 req/s, issue 12).
 *
 * Version: the scope's newest snapshot, and the latest contestant and category change (a hidden
 * model leaves the board, a new tag appears, within WEB_CACHE_CHECK_MS). The automated metrics
 * (exec rate, Chamfer, cost) are aggregates that move slowly and are not part of the version: they
 * are re-read at least every METRICS_MAX_AGE_MS.
 */
import "server-only";
import { db, Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { scopeKey, type RatingScope } from "@/lib/ratings/scope";
import { renderJson, type RenderedJson } from "@/lib/api/conditional";
import { assertMaintained, getLeaderboard } from "./leaderboard";
import { versionedCache, type VersionedCache } from "./versioned-cache";

const METRICS_MAX_AGE_MS = 5_000;

async function leaderboardVersion(scope: string): Promise<unknown> {
  const [row] = await db().$queryRaw<{ snapshot: string | null; contestants: Date | null; categories: Date | null }[]>(Prisma.sql`
    SELECT (SELECT "id" FROM "RatingSnapshot" WHERE "scope" = ${scope} ORDER BY "computedAt" DESC LIMIT 1) AS "snapshot",
           (SELECT max("updatedAt") FROM "Contestant") AS "contestants",
           (SELECT max("updatedAt") FROM "Category") AS "categories"`);
  return [row?.snapshot ?? null, row?.contestants?.getTime() ?? null, row?.categories?.getTime() ?? null];
}

// Keys are scope keys the worker maintains (getLeaderboard refuses others before anything is kept).
const caches = new Map<string, VersionedCache<RenderedJson>>();

/** The scope's leaderboard, rendered; throws like getLeaderboard for a scope that has no ratings. */
export async function leaderboardJson(scope: RatingScope): Promise<RenderedJson> {
  const key = scopeKey(scope);
  let cache = caches.get(key);
  if (!cache) {
    // A refused scope (422) never gets a cache of its own.
    assertMaintained(scope);
    cache = versionedCache({
      version: () => leaderboardVersion(key),
      load: async () => renderJson(await getLeaderboard(scope)),
      checkMs: getEnv().WEB_CACHE_CHECK_MS,
      maxAgeMs: METRICS_MAX_AGE_MS,
    });
    caches.set(key, cache);
  }
  return cache.get();
}
