/**
 * Leaderboard read model: the latest rating snapshot for a scope, joined with live automated
 * metrics (exec rate, mean Chamfer) over the contestants' finished generations.
 */
import "server-only";
import { db, type Track } from "@/lib/db";
import type { LeaderboardEntry, LeaderboardResponse } from "@/lib/contracts";
import { scopeForTrack } from "./ratings-snapshot";

export async function getLeaderboard(track: Track | "all"): Promise<LeaderboardResponse> {
  const scope = scopeForTrack(track);
  const snapshot = await db().ratingSnapshot.findFirst({
    where: { scope },
    orderBy: { computedAt: "desc" },
    include: { entries: { include: { contestant: true } } },
  });
  if (!snapshot) return { scope, computedAt: null, votes: 0, entries: [] };

  const trackFilter = track === "all" ? {} : { track };
  const finished = await db().generation.groupBy({
    by: ["contestantId", "execStatus"],
    where: { ...trackFilter, status: { in: ["ready", "failed"] } },
    _count: { _all: true },
  });
  const chamfer = await db().generation.groupBy({
    by: ["contestantId"],
    where: { ...trackFilter, status: "ready", chamfer: { not: null } },
    _avg: { chamfer: true },
  });

  const entries: LeaderboardEntry[] = snapshot.entries
    .filter((e) => e.contestant.status !== "hidden")
    .map((e) => {
      const rows = finished.filter((f) => f.contestantId === e.contestantId);
      const total = rows.reduce((n, r) => n + r._count._all, 0);
      const ok = rows.filter((r) => r.execStatus === "OK").reduce((n, r) => n + r._count._all, 0);
      const decisive = e.wins + e.losses + e.ties + e.bothBad;
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
        winRate: decisive ? (e.wins + 0.5 * (e.ties + e.bothBad)) / decisive : null,
        execRate: total ? ok / total : null,
        chamfer: chamfer.find((c) => c.contestantId === e.contestantId)?._avg.chamfer ?? null,
      };
    })
    .sort((x, y) => y.elo - x.elo);
  return { scope, computedAt: snapshot.computedAt.toISOString(), votes: snapshot.voteCount, entries };
}
