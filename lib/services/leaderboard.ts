/**
 * Leaderboard read model: the latest rating snapshot of a scope, joined with live automated
 * metrics (exec rate, mean Chamfer, cost per query) over the same track and category group.
 */
import "server-only";
import { db, Prisma } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { LeaderboardEntry, LeaderboardResponse } from "@/lib/contracts";
import { describeScope, isMaintained, scopeKey, type RatingScope } from "@/lib/ratings/scope";
import type { SnapshotParams } from "./ratings-snapshot";

/**
 * Below this many votes a model is "provisional": with ~30 votes against similar models a 95%
 * interval is still about ±130 Elo wide, so its rank is not yet settled.
 */
export const PROVISIONAL_VOTES = 30;

export function assertMaintained(scope: RatingScope): void {
  if (!isMaintained(scope)) {
    throw new ApiError(
      "unprocessable",
      "Choose at most one of tag, voters, flagged and style at a time: other combinations have no ratings.",
    );
  }
}

/** Categories tagged `tag` (lower-case), or null for every category. */
async function categoryFilter(tag: string | null): Promise<string[] | null> {
  if (tag === null) return null;
  const rows = await db().$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT "id" FROM "Category" WHERE EXISTS (SELECT 1 FROM unnest("tags") t WHERE lower(t) = ${tag})`,
  );
  return rows.map((r) => r.id);
}

export async function availableTags(): Promise<string[]> {
  const rows = await db().category.findMany({ select: { tags: true } });
  return [...new Set(rows.flatMap((r) => r.tags.map((t) => t.toLowerCase())))].sort();
}

export interface GenerationMetrics {
  execRate: number | null;
  chamfer: number | null;
  costPerQuery: number | null;
}

/** Per-contestant automated metrics over finished generations of a track and category group. */
export async function generationMetrics(scope: Pick<RatingScope, "track" | "tag">): Promise<Map<string, GenerationMetrics>> {
  const categories = await categoryFilter(scope.tag);
  const where: Prisma.GenerationWhereInput = {
    ...(scope.track === "all" ? {} : { track: scope.track }),
    ...(categories ? { categoryId: { in: categories } } : {}),
    status: { in: ["ready", "failed"] },
  };
  const [byStatus, means] = await Promise.all([
    db().generation.groupBy({ by: ["contestantId", "execStatus"], where, _count: { _all: true } }),
    db().generation.groupBy({ by: ["contestantId"], where, _avg: { chamfer: true, costUsd: true } }),
  ]);
  const out = new Map<string, GenerationMetrics>();
  for (const m of means) {
    const rows = byStatus.filter((r) => r.contestantId === m.contestantId);
    const total = rows.reduce((n, r) => n + r._count._all, 0);
    const ok = rows.filter((r) => r.execStatus === "OK").reduce((n, r) => n + r._count._all, 0);
    out.set(m.contestantId, {
      execRate: total ? ok / total : null,
      chamfer: m._avg.chamfer ?? null,
      costPerQuery: m._avg.costUsd ?? null,
    });
  }
  return out;
}

export async function getLeaderboard(scope: RatingScope): Promise<LeaderboardResponse> {
  assertMaintained(scope);
  const key = scopeKey(scope);
  const [snapshot, tags] = await Promise.all([
    db().ratingSnapshot.findFirst({
      where: { scope: key },
      orderBy: { computedAt: "desc" },
      include: { entries: { include: { contestant: true } } },
    }),
    availableTags(),
  ]);
  const common = { scope: key, scopeLabel: describeScope(scope), provisionalVotes: PROVISIONAL_VOTES, tags };
  if (!snapshot) {
    return { ...common, method: scope.style ? "bradley-terry-style-control" : "bradley-terry-mle", computedAt: null, votes: 0, entries: [] };
  }
  const params = snapshot.params as unknown as SnapshotParams;
  const metrics = await generationMetrics(scope);

  const entries: LeaderboardEntry[] = snapshot.entries
    .filter((e) => e.contestant.status !== "hidden")
    .map((e) => {
      const m = metrics.get(e.contestantId);
      return {
        rank: e.rank,
        model: e.contestant.slug,
        displayName: e.contestant.displayName,
        organisation: e.contestant.organisation,
        kind: e.contestant.kind,
        elo: e.elo,
        ciLow: e.ciLow,
        ciHigh: e.ciHigh,
        votes: e.votes,
        // Ties and both-bad count half, as in the fit.
        winRate: e.votes ? (e.wins + 0.5 * (e.ties + e.bothBad)) / e.votes : null,
        execRate: m?.execRate ?? null,
        chamfer: m?.chamfer ?? null,
        wins: e.wins,
        losses: e.losses,
        ties: e.ties,
        bothBad: e.bothBad,
        costPerQuery: m?.costPerQuery ?? null,
        provisional: e.votes < PROVISIONAL_VOTES,
      };
    })
    .sort((x, y) => y.elo - x.elo);
  return {
    ...common,
    method: params.method ?? "bradley-terry-mle",
    computedAt: snapshot.computedAt.toISOString(),
    votes: snapshot.voteCount,
    entries,
    ...(params.effects ? { effects: params.effects } : {}),
  };
}
