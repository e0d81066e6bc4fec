/**
 * Recomputes the ratings of every maintained scope (lib/ratings/scope.ts) whose counts changed and
 * stores one snapshot per scope whose result changed.
 *
 * Counts are kept incrementally (rating-counts.ts): a recompute folds the votes cast or flagged
 * since the last one, then reads O(models^2) pair counts per changed scope (per output pair for
 * style control), never every vote. A snapshot records what the fit saw (a digest of the counts and
 * of the configuration), its boards, its entries with rank confidence, and the models it does not
 * rate yet with what is missing.
 */
import { createHash, randomUUID } from "node:crypto";
import { db, Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ratePairCounts, type Anchor, type RatingsResult } from "@/lib/ratings";
import { MIN_BOARD_VOTES } from "@/lib/ratings/board";
import { pairRows } from "@/lib/ratings/pair-counts";
import { maintainedScopes, scopeKey, type RatingScope } from "@/lib/ratings/scope";
import { computeStyleControlled } from "@/lib/ratings/style-control";
import type { StyleEffectEntry } from "@/lib/contracts";
import { clearDirtyScopes, foldVoteCounts, readPairCounts, readStyledVotes } from "@/lib/ratings/counts";

/** Fixed seed so a snapshot is reproducible from the stored votes. */
export const BOOTSTRAP_SEED = 20261124;
/** Bump when the published numbers change for the same votes: every scope is then recomputed. */
export const RATINGS_VERSION = 2;
/** Snapshots older than this are thinned to the last one per hour (the Elo-over-time chart). */
const FULL_HISTORY_MS = 60 * 60 * 1000;
/** The head-to-head heatmaps need every pair; beyond this many models they are not drawn or stored. */
export const HEATMAP_MAX_MODELS = 60;

import type { SnapshotParams } from "@/lib/ratings/snapshot-params";
export type { SnapshotBoard, SnapshotParams, SnapshotUnrated } from "@/lib/ratings/snapshot-params";

export interface RecomputeSummary {
  scope: string;
  votes: number;
  /** false when the scope's counts were unchanged and no snapshot was written. */
  written: boolean;
  /** Time to read the counts and fit (0 when skipped). */
  ms: number;
}

/** RATINGS_ANCHOR=<slug>:<elo>, resolved to a contestant id; null when unset or unknown. */
async function resolveAnchor(): Promise<Anchor | null> {
  const spec = getEnv().RATINGS_ANCHOR;
  if (!spec) return null;
  const contestant = await db().contestant.findUnique({ where: { slug: spec.slug }, select: { id: true } });
  return contestant ? { id: contestant.id, elo: spec.elo } : null;
}

function snapshotOf(
  key: string,
  scope: RatingScope,
  res: RatingsResult & { effects?: StyleEffectEntry[]; controlled?: boolean },
  base: Omit<SnapshotParams, "method" | "boards" | "unrated" | "pairs" | "effects">,
  counts: Awaited<ReturnType<typeof readPairCounts>>["counts"],
): SnapshotWrite {
  const params: SnapshotParams = {
    ...base,
    method: scope.style ? "bradley-terry-style-control" : "bradley-terry-mle",
    boards: res.boards.map((b, index) => ({
      index,
      models: b.models.length,
      votes: b.votes,
      method: b.method,
      anchor: b.anchor,
      rounds: b.rounds,
      degenerateRounds: b.degenerateRounds,
      ...(b.styleControlled !== undefined ? { styleControlled: b.styleControlled } : {}),
    })),
    unrated: res.unrated.map((u) => ({
      contestantId: u.id,
      wins: u.wins,
      losses: u.losses,
      ties: u.ties,
      bothBad: u.bothBad,
      votes: u.votes,
      reason: u.reason,
      opponents: u.opponents,
      bound: u.bound,
    })),
    ...(counts.ids.length <= HEATMAP_MAX_MODELS
      ? {
          pairs: pairRows(counts).map((r) => ({ a: r.lo, b: r.hi, winsA: r.winsLo, winsB: r.winsHi, ties: r.ties, bothBad: r.bothBad })),
        }
      : {}),
    ...(res.effects ? { effects: res.effects, styleControlled: res.controlled ?? false } : {}),
  };
  return {
    scope: key,
    voteCount: counts.voteCount,
    params,
    entries: res.models.map((m) => ({
      contestantId: m.id,
      elo: m.elo,
      ciLow: m.ciLow,
      ciHigh: m.ciHigh,
      rank: m.rank,
      votes: m.votes,
      wins: m.wins,
      losses: m.losses,
      ties: m.ties,
      bothBad: m.bothBad,
      board: m.board,
      boardVotes: m.boardVotes,
      orderProbability: m.next?.probability ?? null,
      votesToSettle: m.next?.votesToSettle ?? null,
    })),
  };
}

interface SnapshotWrite {
  scope: string;
  voteCount: number;
  params: SnapshotParams;
  entries: Omit<Prisma.RatingEntryCreateManyInput, "id" | "snapshotId">[];
}

export async function recomputeRatings(): Promise<RecomputeSummary[]> {
  return (await recomputeRatingsReport()).scopes;
}

export interface RecomputeReport {
  scopes: RecomputeSummary[];
  fold: { ms: number; rows: number; changed: number; rebuilt: boolean };
  /** Writing the snapshots, and thinning history. */
  writeMs: number;
  thinMs: number;
}

/** Serialises recomputes across processes (arbitrary constant); see recomputeRatingsReport. */
const RECOMPUTE_LOCK = 72707412;

/**
 * One recompute at a time across processes: two running side by side could publish in the wrong
 * order, or one could clear a scope's mark that the other set after folding newer votes. The lock
 * is held by a transaction that lasts as long as the recompute, so a process that dies (kill -9)
 * releases it with its connection.
 */
export async function recomputeRatingsReport(): Promise<RecomputeReport> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECOMPUTE_LOCK})`;
      return recomputeUnlocked();
    },
    { timeout: 24 * 3600_000, maxWait: 60_000 },
  );
}

async function recomputeUnlocked(): Promise<RecomputeReport> {
  const t0 = performance.now();
  const fold = await foldVoteCounts();
  const foldMs = performance.now() - t0;
  let writeMs = 0;
  const categories = await db().category.findMany({ select: { tags: true } });
  const tags = [...new Set(categories.flatMap((c) => c.tags.map((t) => t.toLowerCase())))].sort();
  const env = getEnv();
  const anchor = await resolveAnchor();
  const rounds = env.RATINGS_BOOTSTRAP_ROUNDS;
  const config = `v${RATINGS_VERSION};anchor=${anchor ? `${anchor.id}:${anchor.elo}` : "-"};rounds=${rounds};seed=${BOOTSTRAP_SEED};min=${MIN_BOARD_VOTES}`;
  const latest = await latestSnapshots();
  const out: RecomputeSummary[] = [];
  const writes: SnapshotWrite[] = [];
  // Style-controlled fits cost the most (they grow with outputs, not models): they go last, and
  // the plain scopes are published together before they start.
  const scopes = maintainedScopes(tags).sort((x, y) => Number(x.style) - Number(y.style));
  // Plain results of this recompute, reused by the style scope of the same votes.
  const plainResults = new Map<string, RatingsResult>();

  const timedPublish = async (batch: SnapshotWrite[]) => {
    const t = performance.now();
    await publish(batch);
    writeMs += performance.now() - t;
  };
  for (const scope of scopes) {
    if (scope.style && writes.length > 0 && !writes.at(-1)!.scope.includes("style:")) await timedPublish(writes.splice(0));
    const key = scopeKey(scope);
    const prior = latest.get(key);
    if (prior && prior.config === config && !fold.changed.has(key)) {
      out.push({ scope: key, votes: prior.votes, written: false, ms: 0 });
      continue;
    }
    const t0 = performance.now();
    const plain = scope.style ? null : await readPairCounts(key);
    const styled = scope.style ? await readStyledVotes(key) : null;
    const digest = createHash("sha256").update(config).update(plain?.digest ?? styled!.digest).digest("hex");
    if (prior?.digest === digest) {
      out.push({ scope: key, votes: prior.votes, written: false, ms: performance.now() - t0 });
      continue;
    }
    const opts = { rounds, seed: BOOTSTRAP_SEED, ...(anchor ? { anchor } : {}) };
    const res = styled
      ? computeStyleControlled(styled.votes, { ...opts, plain: plainResults.get(scopeKey({ ...scope, style: false })) })
      : ratePairCounts(plain!.counts, opts);
    if (!styled) plainResults.set(key, res);
    const counts = plain?.counts ?? (await readPairCounts(scopeKey({ ...scope, style: false }))).counts;
    const base = { version: RATINGS_VERSION, scale: "elo-400", center: 1000, bootstrapRounds: rounds, seed: BOOTSTRAP_SEED, ci: 0.95, digest, config, minBoardVotes: MIN_BOARD_VOTES } as const;
    writes.push(snapshotOf(key, scope, res, base, counts));
    out.push({ scope: key, votes: res.voteCount, written: true, ms: performance.now() - t0 });
  }
  await timedPublish(writes);
  // Every maintained scope is now current (written, or unchanged by its digest); marks of scopes no
  // longer maintained (a tag removed) go too.
  await clearDirtyScopes([...fold.changed]);
  const t1 = performance.now();
  await thinHistory();
  const thinMs = performance.now() - t1;
  return { scopes: out, fold: { ms: foldMs, rows: fold.rows, changed: fold.changed.size, rebuilt: fold.rebuilt }, writeMs, thinMs };
}

/**
 * One transaction, so readers never see one scope updated and another not (tracks add up to "all").
 * Entries go in with one INSERT per snapshot (unnest): Prisma's nested writes cost ~0.4 ms a row.
 */
async function publish(writes: SnapshotWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const now = new Date();
  await db().$transaction(async (tx) => {
    for (const w of writes) {
      const id = randomUUID();
      await tx.$executeRaw`
        INSERT INTO "RatingSnapshot" ("id", "scope", "computedAt", "voteCount", "params")
        VALUES (${id}, ${w.scope}, ${now}, ${w.voteCount}, ${JSON.stringify(w.params)}::jsonb)`;
      if (w.entries.length === 0) continue;
      const col = <K extends keyof SnapshotWrite["entries"][number]>(k: K) => w.entries.map((e) => e[k]);
      await tx.$executeRaw`
        INSERT INTO "RatingEntry" ("id", "snapshotId", "contestantId", "elo", "ciLow", "ciHigh", "rank", "votes", "wins", "losses",
                                   "ties", "bothBad", "board", "boardVotes", "orderProbability", "votesToSettle")
        SELECT gen_random_uuid()::text, ${id}, * FROM unnest(
          ${col("contestantId")}::text[], ${col("elo")}::float8[], ${col("ciLow")}::float8[], ${col("ciHigh")}::float8[],
          ${col("rank")}::int[], ${col("votes")}::int[], ${col("wins")}::int[], ${col("losses")}::int[], ${col("ties")}::int[],
          ${col("bothBad")}::int[], ${col("board")}::int[], ${col("boardVotes")}::int[], ${col("orderProbability")}::float8[],
          ${col("votesToSettle")}::int[])`;
    }
  });
}

/** Digest, configuration and vote count of the newest snapshot of every scope. */
async function latestSnapshots(): Promise<Map<string, { digest: string | null; config: string | null; votes: number }>> {
  const rows = await db().$queryRaw<{ scope: string; digest: string | null; config: string | null; votes: number }[]>(Prisma.sql`
    SELECT DISTINCT ON ("scope") "scope", "params"->>'digest' AS "digest", "params"->>'config' AS "config", "voteCount" AS "votes"
    FROM "RatingSnapshot" ORDER BY "scope", "computedAt" DESC`);
  return new Map(rows.map((r) => [r.scope, { digest: r.digest, config: r.config, votes: r.votes }]));
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
