/**
 * A model's public page: its ratings in every scope the worker maintains, a summary of its
 * automated metrics per track, and a gallery of its outputs.
 */
import { conditionalMean, penalisedMean } from "@/lib/metrics/chamfer";
import "server-only";
import { db, Prisma } from "@/lib/db";
import type { ExecStatus, Track } from "@/lib/db";
import { galleryImageUrl, galleryViewer } from "@/lib/leaderboard/gallery";
import type { Voter } from "@/lib/battles/voter";
import { parseScopeKey, type RatingScope } from "@/lib/ratings/scope";
import type { MeshStats } from "@/blender-runner/client/types";
import { PROVISIONAL_VOTES } from "@/lib/leaderboard/leaderboard";
import { missingText } from "@/lib/ratings/explain";
import type { SnapshotUnrated } from "@/lib/ratings/snapshot";
import { parseUnrated } from "@/lib/ratings/snapshot-params";
import type { LeaderboardMetric, MetricScoreCell } from "@/lib/contracts";
import { leaderboardMetrics, metricScoreCells } from "@/lib/leaderboard/metric-columns";

/** The newest outputs shown; the rest are summarised by the metric table. */
const GALLERY_SIZE = 48;
/** Same threshold as the battle viewer's "parts float apart" warning. */
const FLOAT_APART_RATIO = 0.02;

/** Rank confidence against a neighbour on the board: the probability that the upper one is really stronger. */
export interface NeighbourOrder {
  model: string;
  displayName: string;
  probability: number;
  /** Further votes at the current pairing to reach 95%: 0 = settled, null = not reachable (a near tie). */
  votesToSettle: number | null;
}

export interface ScopeRating {
  scope: RatingScope;
  elo: number;
  ciLow: number;
  ciHigh: number;
  rank: number;
  /** Models rated on its board in that scope. */
  of: number;
  votes: number;
  provisional: boolean;
  /** 0 = the main board; 1, 2, ... = groups not yet compared with it. */
  board: number;
  /** The model just above it on its board, and how sure the order is. */
  above: NeighbourOrder | null;
  /** The model just below it on its board, and how sure the order is. */
  below: NeighbourOrder | null;
}

/** A scope where the model has votes but no rating yet. */
export interface ScopeUnrated {
  scope: RatingScope;
  votes: number;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  missing: string;
  bound: SnapshotUnrated["bound"];
}

export interface TrackMetrics {
  track: Track;
  generations: number;
  execRate: number | null;
  /** Penalised mean over finished generations (a failure = 1.5 x the worst scored CD) and conditional mean over scored ones. */
  chamfer: number | null;
  chamferConditional: number | null;
  /** The same over the benchmark's rotation search (cd_yawmin). */
  chamferRotMin: number | null;
  chamferRotMinConditional: number | null;
  /** Conditional mean of the search about the vertical (ours, not the benchmark's). */
  chamferRotMinVertical: number | null;
  meanFaces: number | null;
  meanParts: number | null;
  /** Share of executed outputs whose parts float apart. */
  floatApart: number | null;
  costPerQuery: number | null;
  tokensPerQuery: number | null;
  statuses: { status: ExecStatus | "pending"; count: number }[];
  /** Registry metric means of this model on this track, by column `<metric>/<key>` (issue 16). */
  registry: Record<string, MetricScoreCell>;
}

export interface GalleryItem {
  id: string;
  track: Track;
  category: string;
  execStatus: ExecStatus | null;
  imageUrl: string | null;
  chamfer: number | null;
  faces: number | null;
  parts: number | null;
}

export interface ModelProfile {
  slug: string;
  displayName: string;
  organisation: string;
  kind: string;
  description: string;
  harness: string;
  providerModelId: string;
  ratings: ScopeRating[];
  /** Scopes with votes for it but no identified rating yet. */
  unrated: ScopeUnrated[];
  metrics: TrackMetrics[];
  /** Every registry metric, available or with the reason it is not. */
  registryMetrics: LeaderboardMetric[];
  gallery: GalleryItem[];
  /** Finished outputs left out of the gallery because voters may still meet them in a battle. */
  blindOutputs: number;
}

/** `viewer`: the visitor, whose own revealed outputs the gallery may show (lib/leaderboard/gallery.ts). */
export async function getModelProfile(slug: string, viewer: Voter | null = null): Promise<ModelProfile | null> {
  const contestant = await db().contestant.findUnique({ where: { slug } });
  if (!contestant || contestant.status === "hidden") return null;

  const [{ ratings, unrated }, generations] = await Promise.all([latestRatings(contestant.id), db().generation.findMany({
    where: { contestantId: contestant.id, status: { not: "hidden" } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      track: true,
      status: true,
      execStatus: true,
      chamfer: true,
      chamferRotMin: true,
      chamferRotMinVertical: true,
      costUsd: true,
      inputTokens: true,
      outputTokens: true,
      thinkingTokens: true,
      meshStats: true,
      renderKeys: true,
      displayGlbKey: true,
      category: { select: { instanceId: true } },
    },
  })]);

  const registryMetrics = await leaderboardMetrics();
  const registryCells = new Map(
    await Promise.all(
      (["text", "image"] as const).map(
        async (track) => [track, (await metricScoreCells(registryMetrics, { track, categories: null, contestantId: contestant.id })).get(contestant.id) ?? {}] as const,
      ),
    ),
  );
  const metrics: TrackMetrics[] = (["text", "image"] as const).map((track) => {
    const gens = generations.filter((g) => g.track === track);
    const finished = gens.filter((g) => g.status === "ready" || g.status === "failed");
    const ok = finished.filter((g) => g.execStatus === "OK");
    const stats = ok.map((g) => (g.meshStats ?? {}) as Partial<MeshStats>);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
    const counts = new Map<ExecStatus | "pending", number>();
    for (const g of gens) counts.set(g.execStatus ?? "pending", (counts.get(g.execStatus ?? "pending") ?? 0) + 1);
    return {
      track,
      generations: gens.length,
      execRate: finished.length ? ok.length / finished.length : null,
      chamfer: penalisedMean(finished.map((g) => g.chamfer)),
      chamferConditional: conditionalMean(finished.map((g) => g.chamfer)),
      chamferRotMin: penalisedMean(finished.map((g) => g.chamferRotMin)),
      chamferRotMinConditional: conditionalMean(finished.map((g) => g.chamferRotMin)),
      chamferRotMinVertical: conditionalMean(finished.map((g) => g.chamferRotMinVertical)),
      meanFaces: mean(stats.map((s) => s.faces ?? 0)),
      meanParts: mean(stats.map((s) => s.parts ?? 0)),
      floatApart: stats.length ? stats.filter((s) => (s.parts ?? 0) > 1 && (s.maxPartGapRatio ?? 0) > FLOAT_APART_RATIO).length / stats.length : null,
      costPerQuery: mean(finished.map((g) => g.costUsd)),
      tokensPerQuery: mean(finished.map((g) => g.inputTokens + g.outputTokens + g.thinkingTokens)),
      statuses: [...counts].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count),
      registry: registryCells.get(track) ?? {},
    };
  });

  const visible = await galleryViewer(viewer);
  const finished = generations.filter((g) => g.status === "ready" || g.status === "failed");
  const shown = finished.filter((g) => visible({ ...g, contestantStatus: contestant.status }));
  const gallery: GalleryItem[] = shown
    .slice(0, GALLERY_SIZE)
    .map((g) => {
      const s = (g.meshStats ?? null) as Partial<MeshStats> | null;
      return {
        id: g.id,
        track: g.track,
        category: g.category.instanceId,
        execStatus: g.execStatus,
        imageUrl: g.renderKeys[0] ? galleryImageUrl(g.id) : null,
        chamfer: g.chamfer,
        faces: s?.faces ?? null,
        parts: s?.parts ?? null,
      };
    });

  return {
    slug: contestant.slug,
    displayName: contestant.displayName,
    organisation: contestant.organisation,
    kind: contestant.kind,
    description: contestant.description,
    harness: contestant.harness,
    providerModelId: contestant.providerModelId,
    ratings,
    unrated,
    metrics,
    registryMetrics,
    gallery,
    blindOutputs: finished.length - shown.length,
  };
}

/** The contestant's entry (or its "needs more votes" record) in the newest snapshot of every scope. */
async function latestRatings(contestantId: string): Promise<{ ratings: ScopeRating[]; unrated: ScopeUnrated[] }> {
  const rows = await db().$queryRaw<{ id: string; scope: string; unrated: Prisma.JsonValue | null; min: number | null }[]>(Prisma.sql`
    SELECT DISTINCT ON ("scope") "id", "scope", "params"->'unrated' AS "unrated", ("params"->>'minBoardVotes')::int AS "min"
    FROM "RatingSnapshot" ORDER BY "scope", "computedAt" DESC`);
  const current = rows.map((s) => ({ ...s, unrated: parseUnrated(s.unrated) })).filter((s) => s.unrated !== null);
  const mine = await db().ratingEntry.findMany({ where: { contestantId, snapshotId: { in: current.map((s) => s.id) } } });
  // Neighbours on the same board of the snapshots that rate this model.
  const boards = await db().ratingEntry.findMany({
    where: { OR: mine.map((e) => ({ snapshotId: e.snapshotId, board: e.board })) },
    select: { snapshotId: true, contestantId: true, elo: true, board: true, orderProbability: true, votesToSettle: true, contestant: { select: { slug: true, displayName: true, status: true } } },
  });
  const ratings: ScopeRating[] = [];
  for (const e of mine) {
    const s = current.find((x) => x.id === e.snapshotId)!;
    const scope = safeParseScope(s.scope);
    if (!scope) continue;
    const board = boards.filter((x) => x.snapshotId === e.snapshotId && x.contestant.status !== "hidden").sort((x, y) => y.elo - x.elo);
    const at = board.findIndex((x) => x.contestantId === contestantId);
    const up = board[at - 1];
    const down = board[at + 1];
    ratings.push({
      scope,
      elo: e.elo,
      ciLow: e.ciLow,
      ciHigh: e.ciHigh,
      rank: e.rank,
      of: board.length,
      votes: e.votes,
      provisional: e.votes < PROVISIONAL_VOTES,
      board: e.board,
      above:
        up && up.orderProbability !== null
          ? { model: up.contestant.slug, displayName: up.contestant.displayName, probability: up.orderProbability, votesToSettle: up.votesToSettle }
          : null,
      below:
        down && e.orderProbability !== null
          ? { model: down.contestant.slug, displayName: down.contestant.displayName, probability: e.orderProbability, votesToSettle: e.votesToSettle }
          : null,
    });
  }
  const opponentIds = [...new Set(current.flatMap((s) => (s.unrated ?? []).filter((u) => u.contestantId === contestantId).flatMap((u) => u.opponents)))];
  const names = new Map((await db().contestant.findMany({ where: { id: { in: opponentIds } }, select: { id: true, displayName: true } })).map((c) => [c.id, c.displayName]));
  const unrated: ScopeUnrated[] = current.flatMap((s) => {
    const u = (s.unrated ?? []).find((x) => x.contestantId === contestantId);
    const scope = safeParseScope(s.scope);
    if (!u || !scope) return [];
    const missing = missingText({ reason: u.reason, votes: u.votes, opponents: u.opponents.map((o) => names.get(o) ?? o), minVotes: s.min ?? 5 });
    return [{ scope, votes: u.votes, wins: u.wins, losses: u.losses, ties: u.ties, bothBad: u.bothBad, missing, bound: u.bound }];
  });
  return { ratings, unrated };
}

/** Snapshots from an older scheme stay in the table; they are simply not shown. */
function safeParseScope(key: string): RatingScope | null {
  try {
    return parseScopeKey(key);
  } catch {
    return null;
  }
}
