/**
 * RatingSnapshot.params, the part of a snapshot that is not a row per model: boards, models not
 * rated yet, head-to-head counts, style effects. Written by lib/ratings/snapshot.ts and read only
 * through snapshotParams(), never by casting the JSON. Snapshots of an older RATINGS_VERSION (no
 * boards) read as null: they are replaced at the next recompute and show as "not computed yet".
 */
import { z } from "zod";
import type { Prisma } from "@/lib/db";

const ZAnchor = z.object({ id: z.string(), elo: z.number() });

const ZSnapshotBoard = z.object({
  index: z.number().int(),
  models: z.number().int(),
  votes: z.number().int(),
  method: z.enum(["bootstrap", "sandwich"]),
  /** Anchor contestant id and its Elo when the anchor is on this board. */
  anchor: ZAnchor.nullable(),
  rounds: z.number().int(),
  degenerateRounds: z.number().int(),
  /** Style scopes: whether this board is style-controlled (false: plain ratings). */
  styleControlled: z.boolean().optional(),
});

const ZSnapshotUnrated = z.object({
  contestantId: z.string(),
  wins: z.number().int(),
  losses: z.number().int(),
  ties: z.number().int(),
  bothBad: z.number().int(),
  votes: z.number().int(),
  reason: z.enum(["no-loss", "no-win", "one-way", "few-votes", "no-interval"]),
  /** Contestant ids it has met. */
  opponents: z.array(z.string()),
  bound: z
    .object({ side: z.enum(["above", "below"]), elo: z.number(), winProbability: z.number(), confidence: z.number() })
    .nullable(),
});

const ZStyleEffectEntry = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  elo: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  estimable: z.boolean(),
  status: z.string().optional(),
  varyingVotes: z.number().optional(),
  designSe: z.number().nullable().optional(),
});

export const ZSnapshotParams = z.object({
  version: z.number().int(),
  method: z.enum(["bradley-terry-mle", "bradley-terry-style-control"]),
  scale: z.literal("elo-400"),
  center: z.number(),
  bootstrapRounds: z.number().int(),
  seed: z.number().int(),
  ci: z.literal(0.95),
  /** sha256 of the counts and the configuration: an unchanged digest means an unchanged snapshot. */
  digest: z.string(),
  /** Configuration the numbers depend on besides the votes (version, anchor, rounds). */
  config: z.string(),
  minBoardVotes: z.number().int(),
  boards: z.array(ZSnapshotBoard),
  unrated: z.array(ZSnapshotUnrated),
  /** Outcome counts per model pair (contestant ids), a before b in id order; only up to HEATMAP_MAX_MODELS models. */
  pairs: z.array(z.object({ a: z.string(), b: z.string(), winsA: z.number(), winsB: z.number(), ties: z.number(), bothBad: z.number() })).optional(),
  /** Style control only: fitted presentation effects in Elo per unit. */
  effects: z.array(ZStyleEffectEntry).optional(),
  /** Style control only: false when the scope shows the plain ratings (nothing estimable yet). */
  styleControlled: z.boolean().optional(),
});

export type SnapshotParams = z.infer<typeof ZSnapshotParams>;
export type SnapshotBoard = z.infer<typeof ZSnapshotBoard>;
export type SnapshotUnrated = z.infer<typeof ZSnapshotUnrated>;

/**
 * What a reader needs: the boards and the models not rated yet. The provenance fields (version,
 * method, digest, ...) are optional here, so a row that lacks one (written by hand, or by a test
 * that stores only what the leaderboard reads) still reads; the writer's type above keeps them all.
 */
const ZStoredSnapshotParams = ZSnapshotParams.partial().extend({
  boards: z.array(ZSnapshotBoard),
  unrated: z.array(ZSnapshotUnrated).default([]),
});
export type StoredSnapshotParams = z.infer<typeof ZStoredSnapshotParams>;

/** A snapshot's params, or null for one written by an older version (no boards yet). */
export function snapshotParams(json: Prisma.JsonValue | undefined): StoredSnapshotParams | null {
  if (json === undefined || json === null || typeof json !== "object" || !("boards" in json)) return null;
  const parsed = ZStoredSnapshotParams.safeParse(json);
  if (!parsed.success) throw new Error(`Invalid rating snapshot params: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** The `unrated` list alone (read without the rest of the params): null when absent (an older version). */
export function parseUnrated(json: Prisma.JsonValue | null): SnapshotUnrated[] | null {
  if (json === null) return null;
  const parsed = z.array(ZSnapshotUnrated).safeParse(json);
  if (!parsed.success) throw new Error(`Invalid rating snapshot unrated list: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
