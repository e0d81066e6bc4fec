/**
 * Throughput and memory of the vote export (prints, never asserts). Starts its own throwaway
 * embedded PostgreSQL (no Redis: the export does not need it) in .data/bench-export, seeds 1M votes
 * with generate_series, then streams the export through lib/battles/vote-export into a
 * byte-counting sink. Each run is its own child process so that its peak RSS is its own:
 *  - "idle" is the fixed cost (Node, tsx, Prisma client and its query compiler after one query);
 *  - the 100k-row run shows that peak memory does not grow with the row count;
 *  - the run with a 64 MB old-space cap shows the live working set is small: the default-flag peak
 *    above idle is garbage V8 chooses not to collect yet, not data held by the export;
 *  - findMany is the Prisma-query alternative the service does not use, for comparison.
 * Usage: npm run bench:export [-- <votes>]   (BENCH_PG_PORT overrides port 54349)
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { VoteExportFormat } from "@/lib/contracts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface RunSpec {
  /** "service": the real export; "findMany": the Prisma-query alternative; "idle": one tiny query. */
  via: "service" | "findMany" | "idle";
  format: VoteExportFormat;
  /** Stop (cancel the stream) after this many rows; 0 = all. */
  maxRows: number;
  /** Extra node flags for this child. */
  flags?: string[];
  /** Rows in the database: peak RSS is also sampled after 10 % and 50 % of them. */
  total: number;
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

// ---------------------------------------------------------------------------------------------
// Child: one measured export.

async function child(url: string, spec: RunSpec): Promise<void> {
  // db() validates the whole app environment; the export itself only needs the database.
  process.env.DATABASE_URL = url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:1";
  process.env.AUTH_SECRET ??= "bench-export-not-a-secret-0123456789abcdef";
  const { db, disconnectDb } = await import("@/lib/db");
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  const samples: string[] = [];
  if (spec.via === "idle") {
    await db().$queryRaw`SELECT 1`;
  } else if (spec.via === "service") {
    const { openVoteExportStream } = await import("@/lib/battles/vote-export");
    // One chunk per non-empty batch; counted when read, not when fetched (one batch is read ahead).
    const batchRows: number[] = [];
    const stream = await openVoteExportStream(spec.format, { onBatch: (n) => n && batchRows.push(n) });
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.byteLength;
      const before = rows;
      rows += batchRows.shift() ?? 0;
      for (const f of [0.1, 0.5]) if (before < f * spec.total && rows >= f * spec.total) samples.push(`${peakMb()}`);
      if (spec.maxRows && rows >= spec.maxRows) {
        await reader.cancel();
        break;
      }
    }
  } else {
    for await (const chunk of findManyExport()) {
      bytes += Buffer.byteLength(chunk.text);
      rows += chunk.rows;
      if (spec.maxRows && rows >= spec.maxRows) break;
    }
  }
  const s = (performance.now() - t0) / 1000;
  // Peak after 10 % / 50 % / all rows: the same figure at each point means memory does not grow with rows.
  const rss = `peak RSS ${[...samples, peakMb()].join(" / ")} MB`;
  await disconnectDb();
  if (spec.via === "idle") {
    console.log(`${"idle (Prisma, one query)".padEnd(34)} ${"".padEnd(56)} ${rss}`);
    return;
  }
  const label =
    (spec.via === "service" ? spec.format : "jsonl via findMany") +
    (spec.maxRows ? ` first ${spec.maxRows.toLocaleString("en-US")}` : "") +
    (spec.flags?.length ? ` ${spec.flags.join(" ").replace("--max-old-space-size=", "old-space ")} MB` : "");
  console.log(
    `${label.padEnd(34)} ${rows.toLocaleString("en-US").padStart(9)} rows  ${mb(bytes).padStart(7)} MB  ${s.toFixed(2).padStart(6)} s  ` +
      `${Math.round(rows / s).toLocaleString("en-US").padStart(8)} rows/s  ${rss}`,
  );
}

interface VoteWithBattle {
  id: string;
  createdAt: Date;
  outcome: string;
  voterSignedIn: boolean;
  valid: boolean;
  invalidReason: string | null;
  decisionMs: number | null;
  battle: {
    track: string;
    category: { instanceId: string; name: string };
    generationA: { contestant: { slug: string } };
    generationB: { contestant: { slug: string } };
  };
}

/** The same keyset pagination and rows through Prisma queries with nested selects. */
async function* findManyExport(): AsyncGenerator<{ text: string; rows: number }> {
  const { db } = await import("@/lib/db");
  let cursor: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const votes: VoteWithBattle[] = await db().vote.findMany({
      where: cursor
        ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] }
        : {},
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 5000,
      select: {
        id: true,
        createdAt: true,
        outcome: true,
        voterSignedIn: true,
        valid: true,
        invalidReason: true,
        decisionMs: true,
        battle: {
          select: {
            track: true,
            category: { select: { instanceId: true, name: true } },
            generationA: { select: { contestant: { select: { slug: true } } } },
            generationB: { select: { contestant: { select: { slug: true } } } },
          },
        },
      },
    });
    let text = "";
    for (const v of votes) {
      text +=
        JSON.stringify({
          id: v.id,
          created_at: v.createdAt.toISOString(),
          track: v.battle.track,
          category: v.battle.category.instanceId,
          category_name: v.battle.category.name,
          model_a: v.battle.generationA.contestant.slug,
          model_b: v.battle.generationB.contestant.slug,
          winner: v.outcome,
          voter_kind: v.voterSignedIn ? "signed_in" : "anonymous",
          valid: v.valid,
          flag_reason: v.invalidReason,
          decision_ms: v.decisionMs,
        }) + "\n";
    }
    if (votes.length) yield { text, rows: votes.length };
    if (votes.length < 5000) return;
    const last: VoteWithBattle = votes[votes.length - 1]!;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
}

// ---------------------------------------------------------------------------------------------
// Parent: services, seed, one child per run.

const MODELS = 30;
const CATEGORIES = 212;

/** Everything a vote row needs, then the votes, each table in one generate_series INSERT. */
async function seed(url: string, votes: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO "User" (id, anonymous) VALUES ('u_anon', true), ('u_signed', false)`);
    await client.query(
      `INSERT INTO "Contestant" (id, slug, "displayName", organisation, kind, provider, "providerModelId", harness, "updatedAt")
       SELECT 'c' || n, 'model-' || n, 'Model ' || n, 'bench', 'llm', 'bench', 'm' || n, 'single-shot', now()
       FROM generate_series(0, $1 - 1) n`,
      [MODELS],
    );
    // Every tenth name needs CSV quoting, so the bench pays for it as real data would.
    await client.query(
      `INSERT INTO "Category" (id, "instanceId", name, "setName", description, instruction, "referenceScript", "contentHash", "updatedAt")
       SELECT 'k' || n, 'Cat' || n || '_seed0', 'Cat' || n || CASE WHEN n % 10 = 0 THEN ', "big"' ELSE '' END,
              'bench', '', '', '', '', now()
       FROM generate_series(0, $1 - 1) n`,
      [CATEGORIES],
    );
    await client.query(`INSERT INTO "Sweep" (id, name, config) VALUES ('s', 'bench', '{}')`);
    await client.query(
      `INSERT INTO "Generation" (id, "contestantId", "categoryId", track, "sweepId", status, "updatedAt")
       SELECT 'g_' || c || '_' || k || '_' || t, 'c' || c, 'k' || k, (ARRAY['text','image'])[t + 1]::"Track", 's', 'ready', now()
       FROM generate_series(0, $1 - 1) c, generate_series(0, $2 - 1) k, generate_series(0, 1) t`,
      [MODELS, CATEGORIES],
    );
    // Battle i: category i % 212, track i % 2, two different contestants. Two votes per 40 ms tick,
    // so the keyset's id tie-break is exercised.
    await client.query(
      `INSERT INTO "Battle" (id, track, "categoryId", "generationAId", "generationBId", "voterId", "tokenHash", "expiresAt", "createdAt")
       SELECT 'b' || i, (ARRAY['text','image'])[i % 2 + 1]::"Track", 'k' || (i % $2),
              'g_' || (i % $1) || '_' || (i % $2) || '_' || (i % 2),
              'g_' || ((i % $1 + 1 + (i / $1) % ($1 - 1)) % $1) || '_' || (i % $2) || '_' || (i % 2),
              CASE WHEN i % 5 = 0 THEN 'u_signed' ELSE 'u_anon' END, md5(i::text),
              timestamp '2026-01-01' + (i / 2) * interval '40 milliseconds',
              timestamp '2026-01-01' + (i / 2) * interval '40 milliseconds'
       FROM generate_series(1, $3) i`,
      [MODELS, CATEGORIES, votes],
    );
    await client.query(
      `INSERT INTO "Vote" (id, "battleId", outcome, "voterId", "voterSignedIn", "decisionMs", "ipHash", valid, "invalidReason", "createdAt")
       SELECT 'v' || md5('v' || i), 'b' || i, (ARRAY['a','b','tie','both_bad'])[i % 4 + 1]::"VoteOutcome",
              CASE WHEN i % 5 = 0 THEN 'u_signed' ELSE 'u_anon' END, i % 5 = 0,
              CASE WHEN i % 7 = 0 THEN NULL ELSE 800 + i % 20000 END, md5('ip' || i),
              i % 50 <> 0, CASE WHEN i % 50 = 0 THEN 'rate_limit' END,
              timestamp '2026-01-01' + (i / 2) * interval '40 milliseconds'
       FROM generate_series(1, $1) i`,
      [votes],
    );
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

async function parent(votes: number): Promise<void> {
  const { startEmbeddedPostgres } = await import("@/scripts/launcher/postgres");
  const { migrate } = await import("@/lib/db/migrate");
  const dataDir = path.join(root, ".data/bench-export");
  const port = Number(process.env.BENCH_PG_PORT ?? 54349);
  rmSync(dataDir, { recursive: true, force: true });
  const say = (l: string) => console.log(`› ${l}`);
  const pgServer = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port, database: "arena_bench", log: say });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await pgServer.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    await migrate(pgServer.url, path.join(root, "prisma/migrations"));
    const t0 = performance.now();
    await seed(pgServer.url, votes);
    say(`seeded ${votes.toLocaleString("en-US")} votes in ${((performance.now() - t0) / 1000).toFixed(1)} s (PostgreSQL on port ${port}, Node ${process.version})`);
    const some = Math.min(100_000, votes);
    const runs: RunSpec[] = [
      { via: "idle", format: "jsonl", maxRows: 0, total: votes },
      { via: "service", format: "jsonl", maxRows: 0, total: votes },
      { via: "service", format: "csv", maxRows: 0, total: votes },
      { via: "service", format: "jsonl", maxRows: some, total: votes },
      { via: "service", format: "jsonl", maxRows: 0, flags: ["--max-old-space-size=64"], total: votes },
      { via: "findMany", format: "jsonl", maxRows: some, total: votes },
    ];
    for (const run of runs) {
      const argv = [...process.execArgv, ...(run.flags ?? []), fileURLToPath(import.meta.url), "--child", pgServer.url, JSON.stringify(run)];
      const res = spawnSync(process.execPath, argv, { stdio: "inherit" });
      if (res.status !== 0) throw new Error(`run ${JSON.stringify(run)} failed (exit ${res.status})`);
    }
  } finally {
    await stop();
  }
}

const args = process.argv.slice(2);
if (args[0] === "--child") await child(args[1]!, JSON.parse(args[2]!) as RunSpec);
else await parent(Number(args[0] ?? 1_000_000));
