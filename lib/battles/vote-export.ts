/**
 * Public export of anonymised votes, streamed in keyset-paginated batches so memory stays flat
 * however many votes there are. The row carries no voter, user, IP or battle-token value: only
 * whether the voter was signed in.
 *
 * No `import "server-only"` (like ratings-snapshot.ts): scripts/bench-export.ts and the tests run
 * this from plain Node, where that marker throws.
 */
import { db, Prisma } from "@/lib/db";
import { VOTE_EXPORT_COLUMNS, type Track, type VoteExportColumn, type VoteExportFormat, type VoteExportRow } from "@/lib/contracts";
import { csvHeader, csvLine } from "@/lib/battles/csv";

// The column list and the row type must name the same fields, or CSV and JSONL would disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const columnsMatchRow: Same<VoteExportColumn, keyof VoteExportRow> = true;
void columnsMatchRow;

/** ~1 MB of output per batch: big enough to amortise the round trip, small enough to stay flat. */
export const DEFAULT_BATCH_SIZE = 5000;

export interface VoteExportFilter {
  track?: Track;
  /** true: only valid votes, false: only flagged ones, undefined: all. */
  valid?: boolean;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

export interface VoteExportOptions extends VoteExportFilter {
  batchSize?: number;
  /** Called after each query with its row count (tests count batches; benches could log). */
  onBatch?: (rows: number) => void;
}

export interface VoteExportStreamOptions extends VoteExportOptions {
  /** The request's signal: a disconnect stops the queries even if the body is never cancelled. */
  signal?: AbortSignal;
}

interface Cursor {
  /** created_at exactly as exported: `::timestamp` ignores the trailing Z, and the column is UTC. */
  at: string;
  id: string;
}

/**
 * One raw query rather than a Prisma `findMany` with nested selects: that builds nested objects
 * level by level, while this is one index-ordered join returning the flat row in column order.
 * scripts/bench-export.ts measures both: about 2x the rows/s and a lower peak RSS for this one.
 * Keyset on (createdAt, id): stable under inserts, and each page is an index range, never an OFFSET.
 */
function batchQuery(f: VoteExportFilter, cursor: Cursor | null, limit: number): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (cursor) {
    // Written out rather than as a row comparison so the createdAt index bounds the scan.
    where.push(Prisma.sql`v."createdAt" >= ${cursor.at}::timestamp`);
    where.push(Prisma.sql`(v."createdAt" > ${cursor.at}::timestamp OR v.id > ${cursor.id})`);
  }
  if (f.track) where.push(Prisma.sql`b.track = ${f.track}::"Track"`);
  if (f.valid !== undefined) where.push(Prisma.sql`v.valid = ${f.valid}`);
  if (f.since) where.push(Prisma.sql`v."createdAt" >= ${f.since.toISOString()}::timestamp`);
  if (f.until) where.push(Prisma.sql`v."createdAt" < ${f.until.toISOString()}::timestamp`);
  const whereSql = where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
  // Selected in VOTE_EXPORT_COLUMNS order so each row object can be serialised as it comes.
  return Prisma.sql`
    SELECT v.id,
           to_char(v."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
           b.track::text AS track,
           c."instanceId" AS category,
           c.name AS category_name,
           ca.slug AS model_a,
           cb.slug AS model_b,
           v.outcome::text AS winner,
           CASE WHEN v."voterSignedIn" THEN 'signed_in' ELSE 'anonymous' END AS voter_kind,
           v.valid,
           v."invalidReason" AS flag_reason,
           v."decisionMs" AS decision_ms
    FROM "Vote" v
    JOIN "Battle" b ON b.id = v."battleId"
    JOIN "Category" c ON c.id = b."categoryId"
    JOIN "Generation" ga ON ga.id = b."generationAId"
    JOIN "Contestant" ca ON ca.id = ga."contestantId"
    JOIN "Generation" gb ON gb.id = b."generationBId"
    JOIN "Contestant" cb ON cb.id = gb."contestantId"
    ${whereSql}
    ORDER BY v."createdAt", v.id
    LIMIT ${limit}`;
}

/**
 * Batches of rows, oldest first. Not one snapshot: votes cast during a long export appear if they
 * sort after the cursor, which is what a reader of an append-only log expects. Stopping the
 * iteration (return/break) stops the queries.
 */
export async function* voteExportBatches(opts: VoteExportOptions = {}): AsyncGenerator<VoteExportRow[]> {
  const limit = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  let cursor: Cursor | null = null;
  for (;;) {
    const rows: VoteExportRow[] = await db().$queryRaw<VoteExportRow[]>(batchQuery(opts, cursor, limit));
    opts.onBatch?.(rows.length);
    if (rows.length) yield rows;
    if (rows.length < limit) return;
    const last: VoteExportRow = rows[rows.length - 1]!;
    cursor = { at: last.created_at, id: last.id };
  }
}

/** One text chunk per batch; CSV starts with its header, which an empty export still gets. */
export async function* voteExportChunks(format: VoteExportFormat, opts: VoteExportOptions = {}): AsyncGenerator<string> {
  let header = format === "csv" ? csvHeader(VOTE_EXPORT_COLUMNS) : "";
  for await (const rows of voteExportBatches(opts)) {
    let out = header;
    header = "";
    if (format === "csv") for (const r of rows) out += csvLine(VOTE_EXPORT_COLUMNS, r);
    else for (const r of rows) out += JSON.stringify(r) + "\n";
    yield out;
  }
  if (header) yield header;
}

/**
 * A byte stream over voteExportChunks. The first batch is read before returning, so a failing
 * database becomes an ordinary error response instead of a 200 with a broken body. After that one
 * batch is read per pull, with at most one chunk queued ahead (highWaterMark 1) so the next query
 * overlaps sending the previous chunk. Cancelling (client gone) ends the generator: no more queries.
 */
export async function openVoteExportStream(
  format: VoteExportFormat,
  opts: VoteExportStreamOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const chunks = voteExportChunks(format, opts);
  const encoder = new TextEncoder();
  let pending: IteratorResult<string> | null = await chunks.next();
  let cancelled = false;
  const stop = async () => {
    cancelled = true;
    pending = null;
    await chunks.return(undefined); // waits for an in-flight query, then runs no more
  };
  if (opts.signal?.aborted) await stop();
  else opts.signal?.addEventListener("abort", () => void stop().catch(() => undefined), { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = cancelled ? { done: true as const, value: undefined } : (pending ?? (await chunks.next()));
        pending = null;
        if (next.done) {
          try {
            controller.close();
          } catch {
            /* already closed by cancel() */
          }
        } else if (!cancelled) controller.enqueue(encoder.encode(next.value));
      },
      cancel: stop,
    },
    { highWaterMark: 1 },
  );
}

/** `3dcodearena-votes-20261124.csv`, dated in UTC. */
export function voteExportFilename(format: VoteExportFormat, now = new Date()): string {
  return `3dcodearena-votes-${now.toISOString().slice(0, 10).replace(/-/g, "")}.${format}`;
}

export const VOTE_EXPORT_CONTENT_TYPE: Record<VoteExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};
