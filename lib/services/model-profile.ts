/**
 * A model's public page: its ratings in every scope the worker maintains, a summary of its
 * automated metrics per track, and a gallery of its outputs.
 */
import "server-only";
import { db } from "@/lib/db";
import type { ExecStatus, Track } from "@/lib/db";
import { galleryImageUrl, galleryViewer } from "./gallery";
import type { Voter } from "./voter";
import { parseScopeKey, type RatingScope } from "@/lib/ratings/scope";
import type { MeshStats } from "@/blender-runner/client/types";
import { PROVISIONAL_VOTES } from "./leaderboard";

/** The newest outputs shown; the rest are summarised by the metric table. */
const GALLERY_SIZE = 48;
/** Same threshold as the battle viewer's "parts float apart" warning. */
const FLOAT_APART_RATIO = 0.02;

export interface ScopeRating {
  scope: RatingScope;
  elo: number;
  ciLow: number;
  ciHigh: number;
  rank: number;
  /** Models rated in that scope. */
  of: number;
  votes: number;
  provisional: boolean;
}

export interface TrackMetrics {
  track: Track;
  generations: number;
  execRate: number | null;
  chamfer: number | null;
  meanFaces: number | null;
  meanParts: number | null;
  /** Share of executed outputs whose parts float apart. */
  floatApart: number | null;
  costPerQuery: number | null;
  tokensPerQuery: number | null;
  statuses: { status: ExecStatus | "pending"; count: number }[];
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
  metrics: TrackMetrics[];
  gallery: GalleryItem[];
  /** Finished outputs left out of the gallery because voters may still meet them in a battle. */
  blindOutputs: number;
}

/** `viewer`: the visitor, whose own revealed outputs the gallery may show (lib/services/gallery.ts). */
export async function getModelProfile(slug: string, viewer: Voter | null = null): Promise<ModelProfile | null> {
  const contestant = await db().contestant.findUnique({ where: { slug } });
  if (!contestant || contestant.status === "hidden") return null;

  const [ratings, generations] = await Promise.all([latestRatings(contestant.id), db().generation.findMany({
    where: { contestantId: contestant.id, status: { not: "hidden" } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      track: true,
      status: true,
      execStatus: true,
      chamfer: true,
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
      chamfer: mean(ok.flatMap((g) => (g.chamfer === null ? [] : [g.chamfer]))),
      meanFaces: mean(stats.map((s) => s.faces ?? 0)),
      meanParts: mean(stats.map((s) => s.parts ?? 0)),
      floatApart: stats.length ? stats.filter((s) => (s.parts ?? 0) > 1 && (s.maxPartGapRatio ?? 0) > FLOAT_APART_RATIO).length / stats.length : null,
      costPerQuery: mean(finished.map((g) => g.costUsd)),
      tokensPerQuery: mean(finished.map((g) => g.inputTokens + g.outputTokens + g.thinkingTokens)),
      statuses: [...counts].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count),
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
    metrics,
    gallery,
    blindOutputs: finished.length - shown.length,
  };
}

/** The contestant's entry in the newest snapshot of every scope that rates it. */
async function latestRatings(contestantId: string): Promise<ScopeRating[]> {
  const snapshots = await db().ratingSnapshot.findMany({
    distinct: ["scope"],
    orderBy: [{ scope: "asc" }, { computedAt: "desc" }],
    select: { scope: true, _count: { select: { entries: true } }, entries: { where: { contestantId } } },
  });
  return snapshots.flatMap((s) => {
    const e = s.entries[0];
    const scope = safeParseScope(s.scope);
    if (!e || !scope) return [];
    return [
      {
        scope,
        elo: e.elo,
        ciLow: e.ciLow,
        ciHigh: e.ciHigh,
        rank: e.rank,
        of: s._count.entries,
        votes: e.votes,
        provisional: e.votes < PROVISIONAL_VOTES,
      },
    ];
  });
}

/** Snapshots from an older scheme stay in the table; they are simply not shown. */
function safeParseScope(key: string): RatingScope | null {
  try {
    return parseScopeKey(key);
  } catch {
    return null;
  }
}
