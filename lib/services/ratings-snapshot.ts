/**
 * Recomputes the Bradley-Terry ratings of every maintained scope (lib/ratings/scope.ts) and stores
 * one snapshot per scope whose votes changed since its last snapshot.
 *
 * Votes are counted in SQL (one row per generation pair, outcome and voter kind), so a recompute
 * reads a table whose size is bounded by the outputs, not by the number of votes; the fit and the
 * bootstrap already work on counts.
 */
import { createHash } from "node:crypto";
import { db, Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { computeRatings, type Vote } from "@/lib/ratings";
import { aggregateVotes } from "@/lib/ratings/pair-counts";
import { maintainedScopes, scopeKey, type RatingScope } from "@/lib/ratings/scope";
import { computeStyleControlled, type StyleFeatures, type StyledVote } from "@/lib/ratings/style-control";
import type { Outcome, StyleEffectEntry } from "@/lib/contracts";
import type { MeshStats } from "@/blender-runner/client/types";

/** Fixed seed so a snapshot is reproducible from the stored votes. */
export const BOOTSTRAP_SEED = 20261124;

/** Snapshots older than this are thinned to the last one per hour (the Elo-over-time chart). */
const FULL_HISTORY_MS = 60 * 60 * 1000;

/** Kept in RatingSnapshot.params; the leaderboard reads the pair table for its heatmaps. */
export interface SnapshotParams {
  method: "bradley-terry-mle" | "bradley-terry-style-control";
  scale: "elo-400";
  center: number;
  bootstrapRounds: number;
  seed: number;
  ci: 0.95;
  /** sha256 of the counted votes: an unchanged digest means an unchanged snapshot. */
  digest: string;
  ridge: number;
  /** Outcome counts per model pair (contestant ids), a before b in id order. */
  pairs: { a: string; b: string; winsA: number; winsB: number; ties: number; bothBad: number }[];
  /** Style control only: fitted presentation effects in Elo per unit. */
  effects?: StyleEffectEntry[];
}

interface CountRow {
  track: "text" | "image";
  categoryId: string;
  genA: string;
  genB: string;
  a: string;
  b: string;
  outcome: Outcome;
  signedIn: boolean;
  valid: boolean;
  n: number;
}

async function countVotes(): Promise<CountRow[]> {
  return db().$queryRaw<CountRow[]>(Prisma.sql`
    SELECT b."track"::text AS "track", b."categoryId", b."generationAId" AS "genA", b."generationBId" AS "genB",
           ga."contestantId" AS "a", gb."contestantId" AS "b", v."outcome"::text AS "outcome",
           v."voterSignedIn" AS "signedIn", v."valid", count(*)::int AS "n"
    FROM "Vote" v
    JOIN "Battle" b ON b."id" = v."battleId"
    JOIN "Generation" ga ON ga."id" = b."generationAId"
    JOIN "Generation" gb ON gb."id" = b."generationBId"
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ORDER BY 1, 2, 3, 4, 7, 8, 9`);
}

function inScope(row: CountRow, scope: RatingScope, tagsOf: Map<string, string[]>): boolean {
  if (scope.track !== "all" && row.track !== scope.track) return false;
  if (scope.voters === "signed-in" && !row.signedIn) return false;
  if (scope.flagged === "exclude" && !row.valid) return false;
  if (scope.tag !== null && !(tagsOf.get(row.categoryId) ?? []).includes(scope.tag)) return false;
  return true;
}

/**
 * Digest of what the fit sees: counts per (output pair, outcome), merged over voter kind and flag
 * state, so flagging a vote changes only the scopes that stop counting it.
 */
function digestOf(rows: CountRow[], style: boolean): string {
  const merged = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.genA} ${r.genB} ${r.a} ${r.b} ${r.outcome}`;
    merged.set(key, (merged.get(key) ?? 0) + r.n);
  }
  const h = createHash("sha256").update(style ? "style\n" : "plain\n");
  for (const key of [...merged.keys()].sort()) h.update(`${key} ${merged.get(key)}\n`);
  return h.digest("hex");
}

function featuresOf(stats: Prisma.JsonValue | undefined): StyleFeatures {
  const s = (stats ?? {}) as Partial<MeshStats>;
  return { faces: s.faces ?? 0, parts: s.parts ?? 0, hasMaterials: s.hasMaterials ?? false };
}

export interface RecomputeSummary {
  scope: string;
  votes: number;
  /** false when the scope's votes were unchanged and no snapshot was written. */
  written: boolean;
}

export async function recomputeRatings(): Promise<RecomputeSummary[]> {
  const [rows, categories] = await Promise.all([countVotes(), db().category.findMany({ select: { id: true, tags: true } })]);
  const tagsOf = new Map(categories.map((c) => [c.id, c.tags.map((t) => t.toLowerCase())]));
  const tags = [...new Set(categories.flatMap((c) => c.tags.map((t) => t.toLowerCase())))].sort();
  const genIds = [...new Set(rows.flatMap((r) => [r.genA, r.genB]))];
  const stats = new Map(
    (await db().generation.findMany({ where: { id: { in: genIds } }, select: { id: true, meshStats: true } })).map((g) => [
      g.id,
      featuresOf(g.meshStats),
    ]),
  );
  const latest = await latestDigests();
  const env = getEnv();
  const out: RecomputeSummary[] = [];
  const writes: Prisma.RatingSnapshotCreateInput[] = [];
  // Style-controlled fits cost the most (they grow with outputs, not models): they go last so a
  // vote reaches the plain leaderboards first.
  const scopes = maintainedScopes(tags).sort((x, y) => Number(x.style) - Number(y.style));

  for (const scope of scopes) {
    // Plain scopes are published together before the slower style fits start.
    if (scope.style && writes.length > 0 && !writes.at(-1)!.scope.includes("style:")) await publish(writes.splice(0));
    const rounds = scope.style ? env.RATINGS_STYLE_BOOTSTRAP_ROUNDS : env.RATINGS_BOOTSTRAP_ROUNDS;
    const key = scopeKey(scope);
    const subset = rows.filter((r) => inScope(r, scope, tagsOf));
    const digest = digestOf(subset, scope.style);
    const votes = subset.reduce((n, r) => n + r.n, 0);
    if (latest.get(key) === digest) {
      out.push({ scope: key, votes, written: false });
      continue;
    }
    const plain: Vote[] = subset.map((r) => ({ a: r.a, b: r.b, outcome: r.outcome, count: r.n }));
    const counts = aggregateVotes(plain);
    const pairs = counts.pairs.map((p) => ({
      a: counts.ids[p.i]!,
      b: counts.ids[p.j]!,
      winsA: p.winsI,
      winsB: p.winsJ,
      ties: p.ties,
      bothBad: p.bothBad,
    }));
    const tally = new Map(counts.tallies.map((t) => [t.id, t]));
    const base = { scale: "elo-400", center: 1000, bootstrapRounds: rounds, seed: BOOTSTRAP_SEED, ci: 0.95, digest, pairs } as const;

    let params: SnapshotParams;
    let entries: { contestantId: string; elo: number; ciLow: number; ciHigh: number; rank: number }[];
    if (scope.style) {
      const styled: StyledVote[] = subset.map((r) => ({
        a: r.a,
        b: r.b,
        outcome: r.outcome,
        count: r.n,
        fa: stats.get(r.genA) ?? featuresOf(undefined),
        fb: stats.get(r.genB) ?? featuresOf(undefined),
      }));
      const res = computeStyleControlled(styled, { rounds, seed: BOOTSTRAP_SEED });
      params = { ...base, method: "bradley-terry-style-control", ridge: res.params.ridge, effects: res.effects };
      entries = res.models.map((m) => ({ contestantId: m.id, elo: m.elo, ciLow: m.ciLow, ciHigh: m.ciHigh, rank: m.rank }));
    } else {
      const res = computeRatings(plain, { rounds, seed: BOOTSTRAP_SEED });
      params = { ...base, method: "bradley-terry-mle", ridge: res.params.ridge };
      entries = res.models.map((m) => ({ contestantId: m.id, elo: m.elo, ciLow: m.ciLow, ciHigh: m.ciHigh, rank: m.rank }));
    }

    writes.push({
      scope: key,
      voteCount: votes,
      params: params as unknown as Prisma.InputJsonValue,
      entries: {
        create: entries.map((e) => {
          const t = tally.get(e.contestantId)!;
          return { ...e, votes: t.votes, wins: t.wins, losses: t.losses, ties: t.ties, bothBad: t.bothBad };
        }),
      },
    });
    out.push({ scope: key, votes, written: true });
  }
  await publish(writes);
  await thinHistory();
  return out;
}

/** One transaction, so readers never see one scope updated and another not (tracks add up to "all"). */
async function publish(writes: Prisma.RatingSnapshotCreateInput[]): Promise<void> {
  if (writes.length > 0) await db().$transaction(writes.map((data) => db().ratingSnapshot.create({ data })));
}

/** The digest of the newest snapshot of every scope. */
async function latestDigests(): Promise<Map<string, string>> {
  const rows = await db().$queryRaw<{ scope: string; digest: string | null }[]>(Prisma.sql`
    SELECT DISTINCT ON ("scope") "scope", "params"->>'digest' AS "digest"
    FROM "RatingSnapshot" ORDER BY "scope", "computedAt" DESC`);
  return new Map(rows.filter((r) => r.digest !== null).map((r) => [r.scope, r.digest!]));
}

/**
 * Keeps every snapshot of the last hour and, before that, the last one of each hour, so history
 * stays small under constant voting while the Elo-over-time chart keeps its shape.
 */
async function thinHistory(): Promise<void> {
  const cutoff = new Date(Date.now() - FULL_HISTORY_MS);
  await db().$executeRaw(Prisma.sql`
    DELETE FROM "RatingSnapshot" s
    WHERE s."computedAt" < ${cutoff}
      AND EXISTS (
        SELECT 1 FROM "RatingSnapshot" t
        WHERE t."scope" = s."scope"
          AND date_trunc('hour', t."computedAt") = date_trunc('hour', s."computedAt")
          AND t."computedAt" > s."computedAt")`);
}
