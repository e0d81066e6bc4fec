/**
 * Leaderboard read model: the latest rating snapshot of a scope (its boards, rated entries with
 * rank confidence, and the models it does not rate yet), joined with live automated metrics (exec
 * rate, mean Chamfer, cost per query) over the same track and category group.
 *
 * No `import "server-only"` (like vote-export.ts): the integration tests read boards through this
 * from plain Node, where that marker throws. Pages and routes use lib/leaderboard/leaderboard.ts.
 */
import { penalisedFromAggregates } from "@/lib/metrics/chamfer";
import { db, Prisma } from "@/lib/db";
import type { LeaderboardBoard, LeaderboardEntry, LeaderboardResponse, UnratedEntry } from "@/lib/contracts";
import { MIN_BOARD_VOTES } from "@/lib/ratings/board";
import { missingText, notEnoughDataText } from "@/lib/ratings/explain";
import { describeScope, isMaintained, scopeKey, type RatingScope } from "@/lib/ratings/scope";
import { ApiError } from "@/lib/api/errors";
import { snapshotParams } from "@/lib/ratings/snapshot-params";
import { leaderboardMetrics, metricCorrelations, metricScoreCells } from "@/lib/leaderboard/metric-columns";

/**
 * Below this many votes a model is "provisional": with ~30 votes against similar models a 95%
 * interval is still about ±130 Elo wide, so its rank is not yet settled.
 */
export const PROVISIONAL_VOTES = 30;

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
  /** Penalised and conditional means (lib/metrics/chamfer.ts), at 0 degrees and over the benchmark's rotation search. */
  chamfer: number | null;
  chamferConditional: number | null;
  chamferRotMin: number | null;
  chamferRotMinConditional: number | null;
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
    db().generation.groupBy({
      by: ["contestantId"],
      where,
      _avg: { chamfer: true, chamferRotMin: true, costUsd: true },
      _max: { chamfer: true, chamferRotMin: true },
      _count: { _all: true, chamfer: true, chamferRotMin: true },
    }),
  ]);
  const out = new Map<string, GenerationMetrics>();
  for (const m of means) {
    const rows = byStatus.filter((r) => r.contestantId === m.contestantId);
    const total = rows.reduce((n, r) => n + r._count._all, 0);
    const ok = rows.filter((r) => r.execStatus === "OK").reduce((n, r) => n + r._count._all, 0);
    out.set(m.contestantId, {
      execRate: total ? ok / total : null,
      chamfer: penalisedFromAggregates(m._count._all, m._count.chamfer, m._avg.chamfer, m._max.chamfer),
      chamferConditional: m._avg.chamfer ?? null,
      chamferRotMin: penalisedFromAggregates(m._count._all, m._count.chamferRotMin, m._avg.chamferRotMin, m._max.chamferRotMin),
      chamferRotMinConditional: m._avg.chamferRotMin ?? null,
      costPerQuery: m._avg.costUsd ?? null,
    });
  }
  return out;
}

/** 422 for a scope the ratings worker does not maintain (it has no ratings). */
export function assertMaintained(scope: RatingScope): void {
  if (!isMaintained(scope)) {
    throw new ApiError(
      "unprocessable",
      "Choose at most one of tag, voters, flagged and style at a time: other combinations have no ratings.",
    );
  }
}

export function boardLabel(index: number): string {
  return index === 0 ? "Main board" : `Group ${index + 1}`;
}

export async function readLeaderboard(scope: RatingScope): Promise<LeaderboardResponse> {
  const key = scopeKey(scope);
  const [snapshot, tags, metricList] = await Promise.all([
    db().ratingSnapshot.findFirst({
      where: { scope: key },
      orderBy: { computedAt: "desc" },
      include: { entries: { include: { contestant: true } } },
    }),
    availableTags(),
    leaderboardMetrics(),
  ]);
  const common = {
    scope: key,
    scopeLabel: describeScope(scope),
    provisionalVotes: PROVISIONAL_VOTES,
    tags,
    minBoardVotes: MIN_BOARD_VOTES,
    metrics: metricList,
  };
  const method = scope.style ? ("bradley-terry-style-control" as const) : ("bradley-terry-mle" as const);
  const params = snapshot ? snapshotParams(snapshot.params) : null;
  // Snapshots from before boards existed are not shown: the worker replaces them on its next run.
  if (!snapshot || !params?.boards) {
    return { ...common, method, computedAt: null, votes: 0, entries: [], boards: [], unrated: [], notEnoughData: null, correlations: metricCorrelations([], metricList) };
  }
  const unratedParams = params.unrated ?? [];
  const ids = [...new Set(unratedParams.flatMap((u) => [u.contestantId, ...u.opponents]))];
  const [metrics, others, cells] = await Promise.all([
    generationMetrics(scope),
    db().contestant.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true, displayName: true, organisation: true, kind: true, status: true } }),
    categoryFilter(scope.tag).then((categories) => metricScoreCells(metricList, { track: scope.track, categories })),
  ]);
  const people = new Map([...others, ...snapshot.entries.map((e) => e.contestant)].map((c) => [c.id, c]));
  const visible = (id: string) => {
    const c = people.get(id);
    return c !== undefined && c.status !== "hidden";
  };

  const ordered = snapshot.entries.filter((e) => e.contestant.status !== "hidden").sort((x, y) => x.board - y.board || y.elo - x.elo);
  const entries: LeaderboardEntry[] = ordered.map((e, k) => {
    const m = metrics.get(e.contestantId);
    const below = ordered[k + 1];
    const sameBoard = below !== undefined && below.board === e.board;
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
      chamferConditional: m?.chamferConditional ?? null,
      chamferRotMin: m?.chamferRotMin ?? null,
      chamferRotMinConditional: m?.chamferRotMinConditional ?? null,
      wins: e.wins,
      losses: e.losses,
      ties: e.ties,
      bothBad: e.bothBad,
      costPerQuery: m?.costPerQuery ?? null,
      provisional: e.votes < PROVISIONAL_VOTES,
      board: e.board,
      boardVotes: e.boardVotes,
      // A hidden model in between: its neighbour's confidence was against it, so none is shown.
      order:
        e.orderProbability !== null && sameBoard && snapshot.entries.some((x) => x.contestantId === below.contestantId)
          ? { below: below.contestant.slug, probability: e.orderProbability, votesToSettle: e.votesToSettle }
          : null,
      metricScores: cells.get(e.contestantId) ?? {},
    };
  });
  const boards: LeaderboardBoard[] = params.boards.map((b) => ({
    index: b.index,
    label: boardLabel(b.index),
    models: b.models,
    votes: b.votes,
    intervalMethod: b.method,
    comparable: b.index === 0,
    anchor: b.anchor && people.get(b.anchor.id) ? { model: people.get(b.anchor.id)!.slug, elo: b.anchor.elo } : null,
    ...(b.styleControlled !== undefined ? { styleControlled: b.styleControlled } : {}),
  }));
  const unrated: UnratedEntry[] = unratedParams
    .filter((u) => visible(u.contestantId))
    .map((u) => {
      const c = people.get(u.contestantId)!;
      const opponents = u.opponents.filter(visible).map((o) => ({ model: people.get(o)!.slug, displayName: people.get(o)!.displayName }));
      return {
        model: c.slug,
        displayName: c.displayName,
        organisation: c.organisation,
        kind: c.kind,
        votes: u.votes,
        wins: u.wins,
        losses: u.losses,
        ties: u.ties,
        bothBad: u.bothBad,
        reason: u.reason,
        missing: missingText({ reason: u.reason, votes: u.votes, opponents: opponents.map((o) => o.displayName), minVotes: params.minBoardVotes ?? MIN_BOARD_VOTES }),
        opponents,
        bound: u.bound,
      };
    });
  return {
    ...common,
    method: params.method ?? method,
    computedAt: snapshot.computedAt.toISOString(),
    votes: snapshot.voteCount,
    entries,
    boards,
    unrated,
    // Elo is comparable within a board only: correlations are over the main board.
    correlations: metricCorrelations(entries.filter((e) => e.board === 0), metricList),
    notEnoughData: entries.length === 0 && snapshot.voteCount > 0 ? notEnoughDataText(snapshot.voteCount, params.minBoardVotes ?? MIN_BOARD_VOTES) : null,
    ...(params.effects ? { effects: params.effects } : {}),
    ...(params.styleControlled !== undefined ? { styleControlled: params.styleControlled } : {}),
  };
}
