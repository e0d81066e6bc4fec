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
 *
 * No `import "server-only"` (like leaderboard-read.ts): integration tests call it from plain Node.
 */
import { db, Prisma } from "@/lib/db";
import { parseScopeKey, scopeKey, type RatingScope } from "@/lib/ratings/scope";
import { renderJson, type RenderedJson } from "@/lib/api/conditional";
import { assertMaintained, readLeaderboard } from "@/lib/leaderboard/read";
import { cacheCheckMs, versionedCache, type VersionedCache } from "@/lib/web/versioned-cache";

const METRICS_MAX_AGE_MS = 5_000;

async function leaderboardVersion(scope: string): Promise<unknown> {
  const [row] = await db().$queryRaw<{ snapshot: string | null; contestants: Date | null; categories: Date | null }[]>(Prisma.sql`
    SELECT (SELECT "id" FROM "RatingSnapshot" WHERE "scope" = ${scope} ORDER BY "computedAt" DESC LIMIT 1) AS "snapshot",
           (SELECT max("updatedAt") FROM "Contestant") AS "contestants",
           (SELECT max("updatedAt") FROM "Category") AS "categories"`);
  return [row?.snapshot ?? null, row?.contestants?.getTime() ?? null, row?.categories?.getTime() ?? null];
}

/**
 * One cache per scope key. Any tag can be asked for, so the number kept is capped: past it, the
 * oldest goes (the keys the site links to are a few dozen).
 */
const MAX_SCOPES = 256;
const caches = new Map<string, VersionedCache<RenderedJson>>();

/** The scope's leaderboard, rendered; 422 (ApiError) for a scope that has no ratings. */
export async function leaderboardJson(scope: RatingScope): Promise<RenderedJson> {
  // A refused scope (422) never gets a cache of its own.
  assertMaintained(scope);
  const key = scopeKey(scope);
  let cache = caches.get(key);
  if (!cache) {
    // Built from the key, not the request: `?tag=Decor` and `?tag=decor` are one scope and one board.
    const canonical = parseScopeKey(key);
    cache = versionedCache({
      version: () => leaderboardVersion(key),
      load: async () => renderJson(await readLeaderboard(canonical)),
      checkMs: cacheCheckMs(),
      maxAgeMs: METRICS_MAX_AGE_MS,
    });
    if (caches.size >= MAX_SCOPES) caches.delete(caches.keys().next().value!);
    caches.set(key, cache);
  }
  return cache.get();
}
