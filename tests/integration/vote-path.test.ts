/**
 * The vote path's own SQL (lib/battles/battles.ts) on real PostgreSQL, called as the web process
 * calls it: a battle is stored in one statement that re-checks both outputs, a vote in one
 * statement that lets exactly one vote per battle through. What must hold whatever the statements
 * look like: a vote stored exactly once with what the request said, the same vote again answered
 * with the stored reveal, another outcome refused with the recorded vote, a retried battle request
 * (same Idempotency-Key, even twice at once) answered with one battle, an output that stopped being
 * servable never served from a stale pool, and the token, voter and expiry checks.
 *
 * lib/battles imports `server-only`, which only resolves under `--conditions=react-server` (as
 * the web server runs, scripts/web-server.ts): without it, this file runs itself again with it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");
const underReactServer = process.execArgv.some((a) => a === "--conditions=react-server" || a === "-C=react-server");

if (!underReactServer) {
  test("the vote path, run as the web server runs it (--conditions=react-server)", () => {
    // Run as a plain script (node:test runs its tests and exits non-zero on a failure); without the
    // runner's NODE_TEST_CONTEXT, which would make it report to this process's runner instead.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "--test-reporter=spec", fileURLToPath(import.meta.url)], {
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    process.stdout.write(r.stdout);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });
} else {
  // A web process: pools and ratings state are checked against the database every 60 s only, so
  // the test can hold a stale pool on purpose.
  process.env.ARENA_WEB_TIER = "1";
  process.env.WEB_CACHE_CHECK_MS = "60000";
  process.env.PAIRING_STRATEGY = "uniform";
  const { resetEnvCache } = await import("@/lib/env");
  resetEnvCache();
  const { db, disconnectDb } = await import("@/lib/db");
  const { createBattle, castVote, revealedTo } = await import("@/lib/battles/battles");
  const { ApiError } = await import("@/lib/api/errors");
  const { closeQueues } = await import("@/lib/jobs/queue");

  const P = "vpt";
  const voter = { id: `${P}voter`, signedIn: false };
  const other = { id: `${P}other`, signedIn: false };
  const TRACK = "image" as const;

  async function cleanup(): Promise<void> {
    const voters = [voter.id, other.id];
    await db().$executeRaw`DELETE FROM "Vote" WHERE "voterId" = ANY(${voters})`;
    await db().$executeRaw`DELETE FROM "Battle" WHERE "voterId" = ANY(${voters})`;
    await db().$executeRaw`DELETE FROM "Generation" WHERE id LIKE ${`${P}%`}`;
    await db().$executeRaw`DELETE FROM "Sweep" WHERE id LIKE ${`${P}%`}`;
    await db().$executeRaw`DELETE FROM "Category" WHERE id LIKE ${`${P}%`}`;
    await db().$executeRaw`DELETE FROM "Contestant" WHERE id LIKE ${`${P}%`}`;
    await db().$executeRaw`DELETE FROM "User" WHERE id = ANY(${voters})`;
  }

  let parked: string[] = [];
  const code = (err: unknown) => (err instanceof ApiError ? err.code : `not an ApiError: ${String(err)}`);

  before(async () => {
    await cleanup();
    // Outputs of earlier test files on this track would join the pool: they leave it while this
    // file runs (nothing else runs meanwhile: one test file at a time) and come back after.
    const rows = await db().generation.findMany({ where: { track: TRACK, status: "ready", NOT: { id: { startsWith: P } } }, select: { id: true } });
    parked = rows.map((r) => r.id);
    await db().generation.updateMany({ where: { id: { in: parked } }, data: { status: "queued" } });
    await db().contestant.createMany({
      data: [0, 1, 2].map((i) => ({ id: `${P}con${i}`, slug: `${P}-m${i}`, displayName: `M${i}`, organisation: "test", kind: "baseline" as const, provider: "baseline", providerModelId: "x", harness: "baseline" })),
    });
    await db().category.create({ data: { id: `${P}cat`, instanceId: "VptMug_seed0", name: "VptMug", setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h" } });
    await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
    await db().generation.createMany({
      data: [0, 1, 2].map((i) => ({
        id: `${P}gen${i}`,
        contestantId: `${P}con${i}`,
        categoryId: `${P}cat`,
        track: TRACK,
        sweepId: `${P}sweep`,
        status: "ready" as const,
        execStatus: "OK" as const,
        displayGlbKey: `glb/${P}${i}.glb`,
        readyAt: new Date(),
        meshStats: { vertices: 100 + i, faces: 50 + i, parts: 1 },
      })),
    });
    await db().user.createMany({ data: [voter, other].map((v) => ({ id: v.id, anonymous: true })) });
  });

  after(async () => {
    await cleanup();
    await db().generation.updateMany({ where: { id: { in: parked }, status: "queued" }, data: { status: "ready" } });
    await closeQueues();
    await disconnectDb();
  });

  describe("battles", () => {
    test("a battle is stored with what it was served with, and answers with both outputs' stats", async () => {
      const t0 = Date.now();
      const b = await createBattle(TRACK, voter);
      const row = await db().battle.findUniqueOrThrow({ where: { id: b.id } });
      assert.match(b.id, /^c[0-9a-z]{24}$/);
      assert.equal(row.voterId, voter.id);
      assert.equal(row.track, TRACK);
      assert.equal(row.categoryId, `${P}cat`);
      assert.equal(row.repeatExposure, false);
      assert.equal(row.requestKey, null);
      assert.notEqual(row.generationAId, row.generationBId);
      // Stored in UTC like every Prisma write (a time-zone slip would move it by hours).
      assert.ok(Math.abs(row.expiresAt.getTime() - new Date(b.expiresAt).getTime()) < 2, `${row.expiresAt.toISOString()} vs ${b.expiresAt}`);
      assert.ok(Math.abs(row.expiresAt.getTime() - (t0 + 1800_000)) < 60_000);
      assert.ok(Math.abs(row.createdAt.getTime() - t0) < 60_000, row.createdAt.toISOString());
      const stats = (id: string) => 100 + Number(id.slice(-1));
      assert.equal(b.a.stats.vertices, stats(row.generationAId));
      assert.equal(b.b.stats.vertices, stats(row.generationBId));
      assert.equal(b.category.name, "VptMug");
    });

    test("the same Idempotency-Key twice at once gets one battle", async () => {
      const [x, y] = await Promise.all([createBattle(TRACK, voter, "vpt-key-000001"), createBattle(TRACK, voter, "vpt-key-000001")]);
      assert.equal(x.id, y.id);
      assert.notEqual(x.token, y.token, "the retry gets a fresh token");
      assert.equal(await db().battle.count({ where: { voterId: voter.id, requestKey: "vpt-key-000001" } }), 1);
      // The token written last is the battle's; the other one was never stored.
      const stored = (await db().battle.findUniqueOrThrow({ where: { id: x.id } })).tokenHash;
      const hash = (t: string) => createHash("sha256").update(t).digest("hex");
      assert.equal([hash(x.token), hash(y.token)].filter((h) => h === stored).length, 1);
    });

    test("an output that stopped being servable is never served from a stale pool", async () => {
      await createBattle(TRACK, other); // the pool is now cached for a minute
      await db().contestant.update({ where: { id: `${P}con2` }, data: { status: "hidden" } });
      try {
        for (let k = 0; k < 12; k++) {
          const b = await createBattle(TRACK, other);
          const row = await db().battle.findUniqueOrThrow({ where: { id: b.id } });
          assert.deepEqual([row.generationAId, row.generationBId].sort(), [`${P}gen0`, `${P}gen1`]);
        }
      } finally {
        await db().contestant.update({ where: { id: `${P}con2` }, data: { status: "active" } });
      }
    });
  });

  describe("votes", () => {
    test("stored exactly once with what the request said; the same vote again gets the same answer", async () => {
      const b = await createBattle(TRACK, voter);
      const vote = { battleId: b.id, token: b.token, outcome: "a" as const, decisionMs: 4321, bothLoaded: true, interacted: false, voter, ipHash: "vpt-ip" };
      const answers = await Promise.all([castVote(vote), castVote(vote), castVote(vote)]);
      assert.equal(answers.filter((a) => !a.replayed).length, 1, "exactly one stores it");
      for (const a of answers) assert.deepEqual(a.response, answers[0]!.response);
      const rows = await db().vote.findMany({ where: { battleId: b.id } });
      assert.equal(rows.length, 1);
      const v = rows[0]!;
      assert.match(v.id, /^c[0-9a-z]{24}$/);
      assert.equal(v.outcome, "a");
      assert.equal(v.voterId, voter.id);
      assert.equal(v.voterSignedIn, false);
      assert.equal(v.clientDecisionMs, 4321);
      assert.equal(v.bothLoaded, true);
      assert.equal(v.interacted, false);
      assert.equal(v.bothFetched, false);
      assert.equal(v.ipHash, "vpt-ip");
      assert.equal(v.valid, true);
      assert.equal(v.tooFast, true, "voted within MIN_VIEW_MS of being served");
      assert.equal(answers[0]!.response.tooFast, true);
      assert.ok(v.decisionMs !== null && v.decisionMs >= 0 && v.decisionMs < 60_000);
      assert.deepEqual(v.reveal, answers[0]!.response);
      assert.equal(answers[0]!.response.reveal.a.model.startsWith(`${P}-m`), true);
      // Later, the stored answer comes back unchanged.
      assert.deepEqual((await castVote(vote)).response, answers[0]!.response);
    });

    test("another outcome is refused with the recorded vote; nothing changes", async () => {
      const b = await createBattle(TRACK, voter);
      await castVote({ battleId: b.id, token: b.token, outcome: "tie", voter, ipHash: null });
      await assert.rejects(castVote({ battleId: b.id, token: b.token, outcome: "b", voter, ipHash: null }), (err: unknown) => {
        assert.equal(code(err), "already_voted");
        assert.equal((err as InstanceType<typeof ApiError>).status, 409);
        assert.equal(((err as InstanceType<typeof ApiError>).extra as { recorded: { outcome: string } }).recorded.outcome, "tie");
        return true;
      });
      const rows = await db().vote.findMany({ where: { battleId: b.id } });
      assert.deepEqual(
        rows.map((r) => [r.outcome, r.ipHash, r.clientDecisionMs, r.bothLoaded]),
        [["tie", null, null, null]],
      );
    });

    test("a wrong token, another voter, an unknown battle and an expired one store nothing", async () => {
      const b = await createBattle(TRACK, voter);
      const base = { battleId: b.id, token: b.token, outcome: "a" as const, voter, ipHash: null };
      await assert.rejects(castVote({ ...base, token: "x".repeat(32) }), (e) => code(e) === "bad_token");
      await assert.rejects(castVote({ ...base, voter: other }), (e) => code(e) === "foreign_battle");
      await assert.rejects(castVote({ ...base, voter: null }), (e) => code(e) === "foreign_battle");
      await assert.rejects(castVote({ ...base, battleId: "cnonexistent00000000000000" }), (e) => code(e) === "not_found");
      await db().battle.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await assert.rejects(castVote(base), (e) => code(e) === "battle_expired");
      assert.equal(await db().vote.count({ where: { battleId: b.id } }), 0);
    });

    test("the outputs revealed to a voter are exactly those of the battles they voted on", async () => {
      const fresh = { id: `${P}fresh`, signedIn: false };
      await db().user.create({ data: { id: fresh.id, anonymous: true } });
      try {
        assert.deepEqual(await revealedTo(fresh), new Set(), "no votes: nothing revealed");
        const b = await createBattle(TRACK, fresh);
        assert.deepEqual(await revealedTo(fresh), new Set(), "served but not voted: still blind");
        await castVote({ battleId: b.id, token: b.token, outcome: "b", voter: fresh, ipHash: null });
        const row = await db().battle.findUniqueOrThrow({ where: { id: b.id } });
        assert.deepEqual(await revealedTo(fresh), new Set([row.generationAId, row.generationBId]));
        // Another voter's votes are not this one's.
        assert.ok(![...(await revealedTo(fresh))].some((id) => !id.startsWith(`${P}gen`)));
        assert.deepEqual(await revealedTo({ id: `${P}nobody`, signedIn: false }), new Set());
      } finally {
        await db().vote.deleteMany({ where: { voterId: fresh.id } });
        await db().battle.deleteMany({ where: { voterId: fresh.id } });
        await db().user.delete({ where: { id: fresh.id } });
      }
    });
  });
}
