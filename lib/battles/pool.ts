/**
 * The outputs battles are drawn from, per track, kept between changes (versioned-cache.ts): the
 * latest ready generation per (category, contestant) from active contestants, and the categories'
 * prompts. Reading them per battle cost one row per ready output (thousands at 3DCodeBench's 212
 * categories) and the category's whole row, reference script included.
 *
 * Version: how many outputs of the track are ready and the newest readyAt (a new output, a hidden
 * one, a re-run), the latest contestant and category change. A stale pool can only offer an output
 * that stopped being servable a moment ago; createBattle checks the two it picked against the
 * database before storing the battle (and rebuilds the pool when one fell out), so it never serves
 * one. MAX_AGE_MS rebuilds anyway, for changes the version does not see (e.g. a new display file).
 */
import "server-only";
import { db, Prisma, type Track } from "@/lib/db";
import { cacheCheckMs, keyedCache, versionedCache, type VersionedCache } from "@/lib/web/versioned-cache";

const MAX_AGE_MS = 30_000;

export interface PoolCategory {
  instanceId: string;
  name: string;
  description: string;
  instruction: string;
  referenceImageKeys: string[];
  displayImageKeys: string[] | null;
}

export interface BattlePool {
  /** categoryId -> contestantId -> that contestant's latest ready output there */
  byCategory: Map<string, Map<string, { id: string; glb: string }>>;
  categories: Map<string, PoolCategory>;
}

async function poolVersion(track: Track): Promise<unknown> {
  const [row] = await db().$queryRaw<{ n: number; at: Date | null; contestants: Date | null; categories: Date | null }[]>(Prisma.sql`
    SELECT g."n", g."at", (SELECT max("updatedAt") FROM "Contestant") AS "contestants", (SELECT max("updatedAt") FROM "Category") AS "categories"
    FROM (SELECT count(*)::int AS "n", max("readyAt") AS "at" FROM "Generation" WHERE "status" = 'ready' AND "track" = ${track}::"Track") g`);
  return [row?.n, row?.at?.getTime(), row?.contestants?.getTime(), row?.categories?.getTime()];
}

async function loadPool(track: Track): Promise<BattlePool> {
  const ready = await db().generation.findMany({
    where: { track, status: "ready", execStatus: "OK", displayGlbKey: { not: null }, contestant: { status: "active" } },
    select: { id: true, categoryId: true, contestantId: true, displayGlbKey: true },
    orderBy: { readyAt: "desc" },
  });
  const byCategory: BattlePool["byCategory"] = new Map();
  for (const g of ready) {
    const m = byCategory.get(g.categoryId) ?? new Map<string, { id: string; glb: string }>();
    if (!m.has(g.contestantId)) m.set(g.contestantId, { id: g.id, glb: g.displayGlbKey! });
    byCategory.set(g.categoryId, m);
  }
  const rows = await db().category.findMany({
    where: { id: { in: [...byCategory.keys()] } },
    select: { id: true, instanceId: true, name: true, description: true, instruction: true, referenceImageKeys: true, displayImageKeys: true },
  });
  return { byCategory, categories: new Map(rows.map(({ id, ...c }) => [id, c])) };
}

const cacheOf = keyedCache((track) =>
  versionedCache({
    version: () => poolVersion(track as Track),
    load: () => loadPool(track as Track),
    checkMs: cacheCheckMs(),
    maxAgeMs: MAX_AGE_MS,
  }),
);

export function battlePool(track: Track): VersionedCache<BattlePool> {
  return cacheOf(track);
}
