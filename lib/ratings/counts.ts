/**
 * Rating counts, kept incrementally: the "Vote" trigger appends a signed row to VoteCountDelta for
 * every change to what a vote counts for, in the vote's own transaction; `foldVoteCounts` (the
 * ratings worker, one at a time) consumes the log and adds it to per-scope counts:
 *   ScopePairCount    (scope, model pair)  -> outcomes: the input of every plain fit
 *   ScopeOutputCount  (scope, output pair) -> outcomes: the input of the style-controlled fits
 * so a recompute reads the votes cast since the last one plus O(models^2) rows per changed scope,
 * never every vote. The scopes a vote counts in depend on its category's tags; when the tags (or
 * the scope definitions, SCOPES_VERSION) change, the counts are rebuilt from the votes once.
 *
 * Consistency: the fold runs REPEATABLE READ, so the log rows it deletes and (on a rebuild) the
 * votes it groups are one snapshot; a vote committed meanwhile leaves its row for the next fold.
 */
import { createHash } from "node:crypto";
import { db, Prisma } from "@/lib/db";
import type { Outcome } from "@/lib/contracts";
import { pairCountsFromRows, type PairCountRow, type PairCounts } from "@/lib/ratings/pair-counts";
import { maintainedScopes, scopeKey, type RatingScope } from "@/lib/ratings/scope";
import type { StyleFeatures, StyledVote } from "@/lib/ratings/style-control";

/** Bump when maintainedScopes or the membership rule below changes: the counts are then rebuilt. */
export const SCOPES_VERSION = 1;
const STATE_ID = "counts";
/** Serialises folds across processes (arbitrary constant). */
const FOLD_LOCK = 72707411;
const BATCH = 5000;

interface ChangeRow {
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

type Tx = Prisma.TransactionClient;

function inScope(row: ChangeRow, scope: RatingScope, tagsOf: Map<string, string[]>): boolean {
  if (scope.track !== "all" && row.track !== scope.track) return false;
  if (scope.voters === "signed-in" && !row.signedIn) return false;
  if (scope.flagged === "exclude" && !row.valid) return false;
  if (scope.tag !== null && !(tagsOf.get(row.categoryId) ?? []).includes(scope.tag)) return false;
  return true;
}

/** [winsLo, winsHi, ties, bothBad] */
type Tally = [number, number, number, number];

function addOutcome(t: Tally, outcome: Outcome, aIsLo: boolean, n: number): void {
  if (outcome === "a") t[aIsLo ? 0 : 1] += n;
  else if (outcome === "b") t[aIsLo ? 1 : 0] += n;
  else if (outcome === "tie") t[2] += n;
  else t[3] += n;
}

export interface FoldResult {
  /** Scope keys whose counts changed since their last snapshot: by this fold, or by an earlier one whose recompute did not publish. */
  changed: Set<string>;
  /** Log rows consumed (or votes grouped, on a rebuild). */
  rows: number;
  rebuilt: boolean;
}

export async function foldVoteCounts(): Promise<FoldResult> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FOLD_LOCK})`;
      const categories = await tx.category.findMany({ select: { id: true, tags: true }, orderBy: { id: "asc" } });
      const tagsOf = new Map(categories.map((c) => [c.id, c.tags.map((t) => t.toLowerCase())]));
      const tags = [...new Set([...tagsOf.values()].flat())].sort();
      const scopes = maintainedScopes(tags);
      const digest = createHash("sha256")
        .update(`v${SCOPES_VERSION}\n`)
        .update(categories.map((c) => `${c.id}:${[...tagsOf.get(c.id)!].sort().join(",")}`).join("\n"))
        .digest("hex");
      const state = await tx.ratingCountState.findUnique({ where: { id: STATE_ID } });
      const rebuilt = state?.digest !== digest;
      let rows: ChangeRow[];
      if (rebuilt) {
        await tx.$executeRaw`DELETE FROM "VoteCountDelta"`;
        await tx.$executeRaw`DELETE FROM "ScopePairCount"`;
        await tx.$executeRaw`DELETE FROM "ScopeOutputCount"`;
        rows = await tx.$queryRaw<ChangeRow[]>`
          SELECT b."track"::text AS "track", b."categoryId", b."generationAId" AS "genA", b."generationBId" AS "genB",
                 ga."contestantId" AS "a", gb."contestantId" AS "b", v."outcome"::text AS "outcome",
                 v."voterSignedIn" AS "signedIn", v."valid", count(*)::int AS "n"
          FROM "Vote" v
          JOIN "Battle" b ON b."id" = v."battleId"
          JOIN "Generation" ga ON ga."id" = b."generationAId"
          JOIN "Generation" gb ON gb."id" = b."generationBId"
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
      } else {
        rows = await tx.$queryRaw<ChangeRow[]>`
          WITH consumed AS (DELETE FROM "VoteCountDelta" RETURNING *)
          SELECT "track"::text AS "track", "categoryId", "generationAId" AS "genA", "generationBId" AS "genB",
                 "contestantAId" AS "a", "contestantBId" AS "b", "outcome"::text AS "outcome", "signedIn", "valid",
                 sum("delta")::int AS "n"
          FROM consumed GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
      }
      const changed = await applyChanges(tx, rows, scopes, tagsOf, rebuilt);
      if (rebuilt) {
        for (const s of scopes) changed.add(scopeKey(s));
        await tx.ratingCountState.upsert({ where: { id: STATE_ID }, create: { id: STATE_ID, digest }, update: { digest } });
      }
      // Marked in the transaction that consumed the log: until a snapshot clears the mark, every
      // recompute sees the scope as changed, even if the one that folded it died before publishing.
      if (changed.size > 0) {
        await tx.$executeRaw`INSERT INTO "RatingDirtyScope" ("scope") SELECT unnest(${[...changed]}::text[]) ON CONFLICT DO NOTHING`;
      }
      const marked = await tx.$queryRaw<{ scope: string }[]>`SELECT "scope" FROM "RatingDirtyScope"`;
      for (const m of marked) changed.add(m.scope);
      return { changed, rows: rows.length, rebuilt };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 30 * 60_000, maxWait: 60_000 },
  );
}

/** Clears the marks of scopes whose snapshot is now current (after it is published). */
export async function clearDirtyScopes(scopes: string[]): Promise<void> {
  if (scopes.length === 0) return;
  await db().$executeRaw`DELETE FROM "RatingDirtyScope" WHERE "scope" = ANY(${scopes}::text[])`;
}

/** Whether a recompute has anything to do: votes not folded yet, or scopes not yet published. */
export async function ratingsWorkPending(): Promise<boolean> {
  const [row] = await db().$queryRaw<{ pending: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "VoteCountDelta") OR EXISTS (SELECT 1 FROM "RatingDirtyScope") AS "pending"`;
  return row?.pending ?? false;
}

async function applyChanges(tx: Tx, rows: ChangeRow[], scopes: RatingScope[], tagsOf: Map<string, string[]>, rebuilt: boolean): Promise<Set<string>> {
  const keys = scopes.map(scopeKey);
  const pairs = new Map<string, Tally>();
  const outputs = new Map<string, { tally: Tally; lo: string; hi: string }>();
  for (const row of rows) {
    if (row.n === 0 || row.a === row.b) continue;
    const aIsLo = row.a < row.b;
    const [lo, hi] = aIsLo ? [row.a, row.b] : [row.b, row.a];
    const [genLo, genHi] = aIsLo ? [row.genA, row.genB] : [row.genB, row.genA];
    scopes.forEach((scope, k) => {
      if (!inScope(row, scope, tagsOf)) return;
      if (scope.style) {
        const key = `${keys[k]}\u0000${genLo}\u0000${genHi}`;
        let o = outputs.get(key);
        if (!o) outputs.set(key, (o = { tally: [0, 0, 0, 0], lo, hi }));
        addOutcome(o.tally, row.outcome, aIsLo, row.n);
      } else {
        const key = `${keys[k]}\u0000${lo}\u0000${hi}`;
        let t = pairs.get(key);
        if (!t) pairs.set(key, (t = [0, 0, 0, 0]));
        addOutcome(t, row.outcome, aIsLo, row.n);
      }
    });
  }
  const changed = new Set<string>();
  const nonZero = (t: Tally) => t.some((x) => x !== 0);
  const pairRows = [...pairs].filter(([, t]) => nonZero(t)).map(([key, t]) => [...key.split("\u0000"), ...t] as const);
  const outputRows = [...outputs].filter(([, o]) => nonZero(o.tally)).map(([key, o]) => [...key.split("\u0000"), o.lo, o.hi, ...o.tally] as const);
  for (const r of [...pairRows, ...outputRows]) changed.add(String(r[0]));

  for (let k = 0; k < pairRows.length; k += BATCH) {
    const chunk = pairRows.slice(k, k + BATCH);
    const col = (c: number) => chunk.map((r) => r[c]);
    await tx.$executeRaw`
      INSERT INTO "ScopePairCount" AS t ("scope", "contestantLoId", "contestantHiId", "winsLo", "winsHi", "ties", "bothBad")
      SELECT * FROM unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::int[], ${col(4)}::int[], ${col(5)}::int[], ${col(6)}::int[])
      ON CONFLICT ("scope", "contestantLoId", "contestantHiId") DO UPDATE SET
        "winsLo" = t."winsLo" + EXCLUDED."winsLo", "winsHi" = t."winsHi" + EXCLUDED."winsHi",
        "ties" = t."ties" + EXCLUDED."ties", "bothBad" = t."bothBad" + EXCLUDED."bothBad"`;
  }
  for (let k = 0; k < outputRows.length; k += BATCH) {
    const chunk = outputRows.slice(k, k + BATCH);
    const col = (c: number) => chunk.map((r) => r[c]);
    await tx.$executeRaw`
      INSERT INTO "ScopeOutputCount" AS t ("scope", "generationLoId", "generationHiId", "contestantLoId", "contestantHiId", "winsLo", "winsHi", "ties", "bothBad")
      SELECT * FROM unnest(${col(0)}::text[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[],
                           ${col(5)}::int[], ${col(6)}::int[], ${col(7)}::int[], ${col(8)}::int[])
      ON CONFLICT ("scope", "generationLoId", "generationHiId") DO UPDATE SET
        "winsLo" = t."winsLo" + EXCLUDED."winsLo", "winsHi" = t."winsHi" + EXCLUDED."winsHi",
        "ties" = t."ties" + EXCLUDED."ties", "bothBad" = t."bothBad" + EXCLUDED."bothBad"`;
  }
  if (!rebuilt && changed.size > 0) {
    // A pair whose votes were all flagged (or deleted) leaves no row behind.
    const touched = [...changed];
    await tx.$executeRaw`DELETE FROM "ScopePairCount" WHERE "scope" = ANY(${touched}::text[]) AND "winsLo" = 0 AND "winsHi" = 0 AND "ties" = 0 AND "bothBad" = 0`;
    await tx.$executeRaw`DELETE FROM "ScopeOutputCount" WHERE "scope" = ANY(${touched}::text[]) AND "winsLo" = 0 AND "winsHi" = 0 AND "ties" = 0 AND "bothBad" = 0`;
  }
  return changed;
}

/** The scope's pair counts and a digest of them (an unchanged digest means an unchanged fit; "" unless asked for). */
export async function readPairCounts(scope: string, withDigest = true): Promise<{ counts: PairCounts; digest: string }> {
  const rows = await db().$queryRaw<{ lo: string; hi: string; winsLo: number; winsHi: number; ties: number; bothBad: number }[]>`
    SELECT "contestantLoId" AS "lo", "contestantHiId" AS "hi", "winsLo", "winsHi", "ties", "bothBad"
    FROM "ScopePairCount" WHERE "scope" = ${scope} ORDER BY "contestantLoId", "contestantHiId"`;
  if (!withDigest) return { counts: pairCountsFromRows(rows), digest: "" };
  const h = createHash("sha256").update("plain\n");
  for (const r of rows) h.update(`${r.lo} ${r.hi} ${r.winsLo} ${r.winsHi} ${r.ties} ${r.bothBad}\n`);
  return { counts: pairCountsFromRows(rows), digest: h.digest("hex") };
}

/** A style scope's counts per output pair as pre-counted votes with the outputs' features. */
export async function readStyledVotes(scope: string): Promise<{ votes: StyledVote[]; digest: string }> {
  const rows = await db().$queryRaw<
    (PairCountRow & {
      gLo: string;
      gHi: string;
      facesLo: number | null;
      partsLo: number | null;
      matLo: boolean | null;
      facesHi: number | null;
      partsHi: number | null;
      matHi: boolean | null;
    })[]
  >`
    SELECT o."generationLoId" AS "gLo", o."generationHiId" AS "gHi", o."contestantLoId" AS "lo", o."contestantHiId" AS "hi",
           o."winsLo", o."winsHi", o."ties", o."bothBad",
           (gl."meshStats"->>'faces')::float8 AS "facesLo", (gl."meshStats"->>'parts')::float8 AS "partsLo",
           (gl."meshStats"->>'hasMaterials')::boolean AS "matLo",
           (gh."meshStats"->>'faces')::float8 AS "facesHi", (gh."meshStats"->>'parts')::float8 AS "partsHi",
           (gh."meshStats"->>'hasMaterials')::boolean AS "matHi"
    FROM "ScopeOutputCount" o
    JOIN "Generation" gl ON gl."id" = o."generationLoId"
    JOIN "Generation" gh ON gh."id" = o."generationHiId"
    WHERE o."scope" = ${scope}
    ORDER BY o."generationLoId", o."generationHiId"`;
  const h = createHash("sha256").update("style\n");
  const votes: StyledVote[] = [];
  for (const r of rows) {
    h.update(`${r.gLo} ${r.gHi} ${r.lo} ${r.hi} ${r.winsLo} ${r.winsHi} ${r.ties} ${r.bothBad}\n`);
    const fa: StyleFeatures = { faces: r.facesLo ?? 0, parts: r.partsLo ?? 0, hasMaterials: r.matLo ?? false };
    const fb: StyleFeatures = { faces: r.facesHi ?? 0, parts: r.partsHi ?? 0, hasMaterials: r.matHi ?? false };
    const outcomes: [Outcome, number][] = [["a", r.winsLo], ["b", r.winsHi], ["tie", r.ties], ["both_bad", r.bothBad]];
    for (const [outcome, count] of outcomes) if (count > 0) votes.push({ a: r.lo, b: r.hi, outcome, count, fa, fb });
  }
  return { votes, digest: h.digest("hex") };
}
