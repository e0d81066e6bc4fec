/**
 * What battles and votes read from the ratings, per track, kept between snapshots
 * (versioned-cache.ts): the track's newest snapshot (entries of every board, boards' anchors), its
 * pair counts, and contestants' display names. Pairing (battles.ts) and the reveal after a vote
 * (reveal.ts) used to read all of it per request: two snapshot queries and two O(models^2) count
 * reads per battle+vote.
 *
 * Version: the id of the scope's newest snapshot and the latest contestant change. The counts are
 * read with the snapshot they belong to: the worker folds counts and then publishes a snapshot of
 * every scope whose counts changed, so a new count is followed by a new snapshot id.
 *
 * No `import "server-only"` (like reveal.ts): integration tests call it from plain Node.
 */
import { db, Prisma } from "@/lib/db";
import type { Track } from "@/lib/contracts";
import type { Anchor } from "@/lib/ratings/board";
import type { PairCounts } from "@/lib/ratings/pair-counts";
import { DEFAULT_SCOPE, scopeKey } from "@/lib/ratings/scope";
import { readPairCounts } from "@/lib/ratings/counts";
import { snapshotParams } from "@/lib/ratings/snapshot-params";
import { cacheCheckMs, keyedCache, versionedCache } from "@/lib/web/versioned-cache";

export interface RatingsState {
  /** Whether the snapshot has boards (older snapshots are ignored, as on the leaderboard). */
  current: boolean;
  entries: { contestantId: string; elo: number; ciLow: number; ciHigh: number; votes: number; board: number }[];
  anchors: Map<number, Anchor | null>;
  minBoardVotes: number | undefined;
  counts: PairCounts;
  displayNames: Map<string, string>;
}

/** The newest snapshot of a scope and the latest contestant change: one indexed row and a max over a small table. */
export async function ratingsVersion(scope: string): Promise<{ snapshot: string | null; contestants: string | null }> {
  const [row] = await db().$queryRaw<{ snapshot: string | null; contestants: Date | null }[]>(Prisma.sql`
    SELECT (SELECT "id" FROM "RatingSnapshot" WHERE "scope" = ${scope} ORDER BY "computedAt" DESC LIMIT 1) AS "snapshot",
           (SELECT max("updatedAt") FROM "Contestant") AS "contestants"`);
  return { snapshot: row?.snapshot ?? null, contestants: row?.contestants?.toISOString() ?? null };
}

async function loadState(scope: string, snapshotId: string | null): Promise<RatingsState> {
  const [snapshot, { counts }, contestants] = await Promise.all([
    snapshotId
      ? db().ratingSnapshot.findUnique({
          where: { id: snapshotId },
          select: { params: true, entries: { select: { contestantId: true, elo: true, ciLow: true, ciHigh: true, votes: true, board: true } } },
        })
      : null,
    readPairCounts(scope, false),
    db().contestant.findMany({ select: { id: true, displayName: true } }),
  ]);
  const params = snapshotParams(snapshot?.params);
  return {
    current: params !== null,
    entries: snapshot?.entries ?? [],
    anchors: new Map((params?.boards ?? []).map((b) => [b.index, b.anchor])),
    minBoardVotes: params?.minBoardVotes,
    counts,
    displayNames: new Map(contestants.map((c) => [c.id, c.displayName])),
  };
}

const cacheOf = keyedCache((scope) =>
  versionedCache({
    version: () => ratingsVersion(scope),
    load: (v) => loadState(scope, v.snapshot),
    checkMs: cacheCheckMs(),
  }),
);

/** The ratings state of a track's main scope (all voters, flagged votes excluded, no tag, no style). */
export function trackRatingsState(track: Track): Promise<RatingsState> {
  return cacheOf(scopeKey({ ...DEFAULT_SCOPE, track })).get();
}
