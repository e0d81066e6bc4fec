/**
 * The database side of a ratings recompute (prints, never asserts; run by `npm run bench:ratings`,
 * or alone: npx tsx scripts/bench-ratings-db.ts [--db-votes=N]; BENCH_PG_PORT overrides 54389).
 *
 * Starts a throwaway embedded PostgreSQL in .data/bench-ratings, seeds N votes (200 models, 8
 * categories with tags, both tracks; the vote trigger off while seeding, as for a migration), then
 * measures:
 *  - counting every vote with one GROUP BY, which is what each recompute did before;
 *  - the first fold, which rebuilds the per-scope counts from the votes (once, or when tags change);
 *  - a recompute after 1 and after 1,000 new votes: fold the vote log, read the changed scopes'
 *    pair counts (output pairs for style control), fit, write the snapshots;
 *  - what the trigger adds to inserting one vote.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODELS = 200;
const CATEGORIES = 8;
const TAGS = ["furniture", "kitchen", "decor", "storage", "lighting"];
const ms = (t: number) => (t < 10 ? `${t.toFixed(1)} ms` : t < 10_000 ? `${t.toFixed(0)} ms` : `${(t / 1000).toFixed(1)} s`);

async function seed(client: pg.Client, votes: number): Promise<void> {
  await client.query(`INSERT INTO "User" (id, anonymous) VALUES ('u_anon', true), ('u_signed', false)`);
  await client.query(
    `INSERT INTO "Contestant" (id, slug, "displayName", organisation, kind, provider, "providerModelId", harness, "updatedAt")
     SELECT 'c' || lpad(n::text, 3, '0'), 'model-' || n, 'Model ' || n, 'bench', 'llm', 'bench', 'm' || n, 'single-shot', now()
     FROM generate_series(0, $1 - 1) n`,
    [MODELS],
  );
  await client.query(
    `INSERT INTO "Category" (id, "instanceId", name, "setName", description, instruction, "referenceScript", "contentHash", tags, "updatedAt")
     SELECT 'k' || n, 'Cat' || n || '_seed0', 'Cat' || n, 'bench', '', '', '', '', ARRAY[($2::text[])[n % 5 + 1], ($2::text[])[(n + 2) % 5 + 1]], now()
     FROM generate_series(0, $1 - 1) n`,
    [CATEGORIES, TAGS],
  );
  await client.query(`INSERT INTO "Sweep" (id, name, config) VALUES ('s', 'bench', '{}')`);
  await client.query(
    `INSERT INTO "Generation" (id, "contestantId", "categoryId", track, "sweepId", status, "meshStats", "updatedAt")
     SELECT 'g_' || c || '_' || k || '_' || t, 'c' || lpad(c::text, 3, '0'), 'k' || k, (ARRAY['text','image'])[t + 1]::"Track", 's', 'ready',
            jsonb_build_object('faces', 200 + (c * 7919 + k * 104729) % 50000, 'parts', 1 + (c * 31 + k * 17) % 40, 'hasMaterials', (c + k) % 3 = 0), now()
     FROM generate_series(0, $1 - 1) c, generate_series(0, $2 - 1) k, generate_series(0, 1) t`,
    [MODELS, CATEGORIES],
  );
  // Seeding is what a migration's backfill is: the trigger would only fill a log the first fold drops.
  await client.query(`ALTER TABLE "Vote" DISABLE TRIGGER USER`);
  // Model a = i % 200 against a different b; outcomes favour the lower-numbered model.
  await client.query(
    `INSERT INTO "Battle" (id, track, "categoryId", "generationAId", "generationBId", "voterId", "tokenHash", "expiresAt")
     SELECT 'b' || i, (ARRAY['text','image'])[i % 2 + 1]::"Track", 'k' || (i % $2),
            'g_' || (i % $1) || '_' || (i % $2) || '_' || (i % 2),
            'g_' || ((i % $1 + 1 + (i / $1) % ($1 - 1)) % $1) || '_' || (i % $2) || '_' || (i % 2),
            CASE WHEN i % 5 = 0 THEN 'u_signed' ELSE 'u_anon' END, md5(i::text), now()
     FROM generate_series(1, $3) i`,
    [MODELS, CATEGORIES, votes],
  );
  await client.query(
    `INSERT INTO "Vote" (id, "battleId", outcome, "voterId", "voterSignedIn", valid)
     SELECT 'v' || i, 'b' || i,
            (CASE WHEN abs(hashint4(i)) % 100 < 8 THEN 'tie' WHEN abs(hashint4(i)) % 100 < 15 THEN 'both_bad'
                  WHEN abs(hashint4(i + 1)) % 1000 < 500 + ((i % $1 + 1 + (i / $1) % ($1 - 1)) % $1 - i % $1) THEN 'a' ELSE 'b' END)::"VoteOutcome",
            CASE WHEN i % 5 = 0 THEN 'u_signed' ELSE 'u_anon' END, i % 5 = 0, i % 50 <> 0
     FROM generate_series(1, $2) i`,
    [MODELS, votes],
  );
  await client.query(`ALTER TABLE "Vote" ENABLE TRIGGER USER`);
  await client.query("ANALYZE");
}

/** What every recompute ran before: one GROUP BY over all votes (old lib/ratings/snapshot.ts). */
async function countEveryVote(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`
    SELECT b."track"::text AS "track", b."categoryId", b."generationAId" AS "genA", b."generationBId" AS "genB",
           ga."contestantId" AS "a", gb."contestantId" AS "b", v."outcome"::text AS "outcome",
           v."voterSignedIn" AS "signedIn", v."valid", count(*)::int AS "n"
    FROM "Vote" v
    JOIN "Battle" b ON b."id" = v."battleId"
    JOIN "Generation" ga ON ga."id" = b."generationAId"
    JOIN "Generation" gb ON gb."id" = b."generationBId"
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ORDER BY 1, 2, 3, 4, 7, 8, 9`);
  return rows.length;
}

let next = 0;
async function castVotes(client: pg.Client, count: number): Promise<void> {
  for (let k = 0; k < count; k++, next++) {
    const a = next % MODELS;
    const b = (a + 1 + (next % 7)) % MODELS;
    const cat = next % CATEGORIES;
    await client.query(
      `INSERT INTO "Battle" (id, track, "categoryId", "generationAId", "generationBId", "voterId", "tokenHash", "expiresAt")
       VALUES ($1, 'text', $2, $3, $4, 'u_anon', $1, now())`,
      [`new${next}`, `k${cat}`, `g_${a}_${cat}_0`, `g_${b}_${cat}_0`],
    );
    await client.query(`INSERT INTO "Vote" (id, "battleId", outcome, "voterId") VALUES ($1, $2, $3, 'u_anon')`, [`nv${next}`, `new${next}`, next % 3 ? "a" : "b"]);
  }
}

async function main(): Promise<void> {
  const votes = Number(process.argv.find((a) => a.startsWith("--db-votes="))?.slice("--db-votes=".length) ?? 10_000_000);
  const { startEmbeddedPostgres } = await import("@/scripts/launcher/postgres");
  const { migrate } = await import("@/lib/db/migrate");
  const dataDir = path.join(root, ".data/bench-ratings");
  const port = Number(process.env.BENCH_PG_PORT ?? 54389);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port, database: "arena_bench", log: () => undefined });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  const client = new pg.Client({ connectionString: server.url });
  try {
    await migrate(server.url, path.join(root, "prisma/migrations"));
    await client.connect();
    let t0 = performance.now();
    await seed(client, votes);
    console.log(`\nDatabase: ${votes.toLocaleString("en-US")} votes, ${MODELS} models, ${CATEGORIES} categories x 2 tracks, seeded in ${ms(performance.now() - t0)} (PostgreSQL on port ${port})`);

    t0 = performance.now();
    const groups = await countEveryVote(client);
    console.log(`  before: counting every vote (GROUP BY, ${groups.toLocaleString("en-US")} rows) ${ms(performance.now() - t0)}, on every recompute`);

    process.env.DATABASE_URL = server.url;
    process.env.REDIS_URL ??= "redis://127.0.0.1:1";
    process.env.AUTH_SECRET ??= "bench-ratings-not-a-secret-0123456789abcdef";
    process.env.LOG_LEVEL ??= "warn";
    const { foldVoteCounts } = await import("@/lib/ratings/counts");
    const { recomputeRatingsReport } = await import("@/lib/ratings/snapshot");
    const { db, disconnectDb } = await import("@/lib/db");
    t0 = performance.now();
    const rebuild = await foldVoteCounts();
    const rebuildMs = performance.now() - t0;
    t0 = performance.now();
    const first = (await recomputeRatingsReport()).scopes;
    console.log(`  now, once: rebuilding the per-scope counts from the votes ${ms(rebuildMs)} (rebuilt: ${rebuild.rebuilt}); first snapshots of ${first.length} scopes ${ms(performance.now() - t0)}`);
    const rows = await db().scopePairCount.count();
    const outputs = await db().scopeOutputCount.count();
    console.log(`  counts kept: ${rows.toLocaleString("en-US")} scope x model-pair rows, ${outputs.toLocaleString("en-US")} scope x output-pair rows (style control)`);

    for (const batch of [1, 1, 1, 1000]) {
      await castVotes(client, batch);
      t0 = performance.now();
      const { scopes, fold, writeMs, thinMs } = await recomputeRatingsReport();
      const total = performance.now() - t0;
      const written = scopes.filter((r) => r.written);
      const plain = written.filter((r) => !r.scope.includes("style"));
      const style = written.filter((r) => r.scope.includes("style"));
      const sum = (xs: typeof written) => xs.reduce((s, r) => s + r.ms, 0);
      console.log(
        `  now, after ${batch} new vote${batch === 1 ? "" : "s"}: recompute ${ms(total)} = fold ${ms(fold.ms)} (${fold.rows} log rows, ${fold.changed} scopes changed) + ` +
          `${plain.length} plain scopes ${ms(sum(plain))} (max ${ms(Math.max(0, ...plain.map((r) => r.ms)))}) + ${style.length} style scopes ${ms(sum(style))} + writing ${written.length} snapshots ${ms(writeMs)} + thinning history ${ms(thinMs)}`,
      );
    }

    // The reveal: both models' ratings after a vote, computed in the vote request.
    const { revealAfterVote } = await import("@/lib/ratings/after-vote");
    const [ca, cb] = await Promise.all(["c000", "c001"].map((id) => db().contestant.findUniqueOrThrow({ where: { id } })));
    const reveals: number[] = [];
    for (let k = 0; k < 5; k++) {
      t0 = performance.now();
      await revealAfterVote("text", ca!, cb!, "a");
      reveals.push(performance.now() - t0);
    }
    reveals.sort((x, y) => x - y);
    console.log(`  the reveal's after-vote ratings (read the track's pair counts, Newton on its board of ${MODELS}): median ${ms(reveals[2]!)}`);

    // The trigger's cost per vote: the same single-row inserts with it and without it.
    const timeInserts = async (n: number) => {
      const t = performance.now();
      await castVotes(client, n);
      return (performance.now() - t) / n;
    };
    const withTrigger = await timeInserts(500);
    await client.query(`ALTER TABLE "Vote" DISABLE TRIGGER USER`);
    const without = await timeInserts(500);
    await client.query(`ALTER TABLE "Vote" ENABLE TRIGGER USER`);
    console.log(`  casting one vote (battle + vote insert): ${ms(withTrigger)} with the trigger, ${ms(without)} without`);
    await disconnectDb();
  } finally {
    await client.end().catch(() => undefined);
    await stop();
  }
}

await main();
