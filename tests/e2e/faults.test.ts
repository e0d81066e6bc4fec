/**
 * Faults on the real processes (SIGSTOP / SIGCONT / SIGKILL): with Redis paused, battles and votes
 * still answer within a bounded time and are stored; with PostgreSQL paused, requests answer 503
 * `unavailable` with Retry-After instead of hanging, and once it is back every vote re-sent with
 * its token is stored exactly once; the ratings worker killed in the middle of a recompute leaves
 * a board that catches up within seconds of its restart.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { requireEnv } from "../support/env";
import { Client, launch, type Launched } from "../support/stack";

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");

const PORT = process.env.E2E_PORT_FAULTS ?? "3115";
const env = {
  PORT,
  ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
  RENDER_PROFILE: "preview",
  RATE_LIMIT_VOTES_PER_MIN: "100000",
  RATE_LIMIT_IP_VOTES_PER_MIN: "100000",
  RATE_LIMIT_IP_NEW_VOTERS_PER_MIN: "100000",
  FRAUD_IP_BURST_MAX: "100000",
  WEB_PROCESSES: "2",
  WEB_SEMI_SPACE_MB: "24",
};

let stack: Launched;
const paused = new Set<number>();

before(async () => {
  stack = launch(env);
  await stack.waitFor(/ready: open/, 15 * 60_000);
});

after(async () => {
  for (const pid of paused) resume([pid]);
  await stack?.stop();
  await disconnectDb();
});

function ppidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
}

/** The test's PostgreSQL: its postmaster (from postmaster.pid) and every backend it forked. */
function postgresPids(): number[] {
  const dataDir = path.join(requireEnv("ARENA_DATA_DIR"), "postgres");
  const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  return [postmaster, ...allPids().filter((p) => ppidOf(p) === postmaster)];
}

/** The test's redis-server (it shows its port in its title). */
function redisPids(): number[] {
  const port = new URL(requireEnv("REDIS_URL")).port;
  return allPids().filter((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
      return cmd.includes("redis-server") && cmd.includes(`:${port}`);
    } catch {
      return false;
    }
  });
}

function pause(pids: number[]): void {
  for (const p of pids) {
    process.kill(p, "SIGSTOP");
    paused.add(p);
  }
}

function resume(pids: number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, "SIGCONT");
    } catch {
      /* gone */
    }
    paused.delete(p);
  }
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

describe("a paused dependency never hangs a request", () => {
  test("the web entry forks WEB_PROCESSES processes, each with WEB_SEMI_SPACE_MB of young generation", () => {
    const cmdline = (p: number) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
      } catch {
        return [];
      }
    };
    const web = allPids().filter((p) => cmdline(p).some((a) => a.endsWith("scripts/web-server.ts")));
    const forked = web.filter((p) => web.includes(ppidOf(p) ?? -1));
    assert.equal(forked.length, 2, `web processes: ${web.map((p) => `${p}<-${ppidOf(p)}`).join(", ")}`);
    for (const p of forked) assert.ok(cmdline(p).includes("--max-semi-space-size=24"), cmdline(p).join(" "));
  });

  test("Redis paused: battles and votes answer within a second and are stored", async () => {
    const pids = redisPids();
    assert.equal(pids.length, 1, "found the test's redis-server");
    const clients = [0, 1, 2].map(() => new Client(stack.url));
    const voted: string[] = [];
    // Warm every web process first (WEB_PROCESSES share the port): a process's first requests load
    // its routes, which is not what this test measures.
    for (let k = 0; k < 8; k++) {
      const c = clients[k % clients.length]!;
      const b = await c.request("POST", "/api/battles", { track: "text" });
      assert.equal(b.status, 201, JSON.stringify(b.json));
      await c.request("POST", `/api/battles/${b.json.id}/vote`, { token: b.json.token, outcome: "a" });
      await c.request("GET", "/api/leaderboard");
    }
    pause(pids);
    try {
      const deadline = Date.now() + 4000;
      while (Date.now() < deadline) {
        for (const c of clients) {
          const battle = await timed(() => c.request("POST", "/api/battles", { track: "text" }));
          assert.equal(battle.value.status, 201, JSON.stringify(battle.value.json));
          assert.ok(battle.ms < 1500, `battle took ${battle.ms.toFixed(0)} ms with Redis paused`);
          const vote = await timed(() => c.request("POST", `/api/battles/${battle.value.json.id}/vote`, { token: battle.value.json.token, outcome: "a" }));
          assert.equal(vote.value.status, 201, JSON.stringify(vote.value.json));
          assert.ok(vote.ms < 1500, `vote took ${vote.ms.toFixed(0)} ms with Redis paused`);
          voted.push(battle.value.json.id);
        }
      }
    } finally {
      resume(pids);
    }
    assert.ok(voted.length >= 6, `${voted.length} votes while paused`);
    assert.equal(await db().vote.count({ where: { battleId: { in: voted } } }), voted.length);
  });

  test("PostgreSQL paused: 503 unavailable with Retry-After within seconds; re-sent votes are stored exactly once", async () => {
    const c = new Client(stack.url);
    const battles: { id: string; token: string }[] = [];
    for (let k = 0; k < 3; k++) battles.push((await c.request("POST", "/api/battles", { track: "image" })).json);
    const pids = postgresPids();
    assert.ok(pids.length >= 2, "postmaster and backends");
    pause(pids);
    const answers: { status: number; ms: number; retryAfter: string | null; code: string | undefined }[] = [];
    try {
      await Promise.all(
        battles.map(async (b) => {
          const r = await timed(() => c.request("POST", `/api/battles/${b.id}/vote`, { token: b.token, outcome: "b" }));
          answers.push({ status: r.value.status, ms: r.ms, retryAfter: r.value.headers.get("retry-after"), code: r.value.json?.error?.code });
        }),
      );
      const lb = await timed(() => c.request("GET", "/api/leaderboard"));
      assert.ok(lb.ms < 8000, `leaderboard took ${lb.ms.toFixed(0)} ms`);
    } finally {
      resume(pids);
    }
    for (const a of answers) {
      assert.ok(a.ms < 8000, `answered after ${a.ms.toFixed(0)} ms`);
      assert.equal(a.status, 503, JSON.stringify(a));
      assert.equal(a.code, "unavailable");
      assert.ok(Number(a.retryAfter) > 0);
    }
    // Back: the same votes again. Each may have landed after all (the INSERT waited in the paused
    // server): then the same answer comes back (200), else it is stored now (201).
    for (const b of battles) {
      const again = await c.request("POST", `/api/battles/${b.id}/vote`, { token: b.token, outcome: "b" });
      assert.ok([200, 201].includes(again.status), JSON.stringify(again.json));
      assert.ok(again.json.reveal?.a?.model, "the reveal comes back either way");
    }
    assert.equal(await db().vote.count({ where: { battleId: { in: battles.map((b) => b.id) } } }), battles.length);
  });
});

/** The stack's ratings worker: node running workers/ratings.ts with this stack's PORT. */
function ratingsWorkerPid(): number | null {
  for (const p of allPids()) {
    try {
      if (!readFileSync(`/proc/${p}/cmdline`, "utf8").includes("workers/ratings.ts")) continue;
      if (readFileSync(`/proc/${p}/environ`, "utf8").split("\0").includes(`PORT=${PORT}`)) return p;
    } catch {
      /* gone */
    }
  }
  return null;
}

async function until<T>(what: string, timeoutMs: number, f: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a crashed ratings worker", () => {
  test("killed mid-recompute (votes folded, snapshot not written): the board has every vote within 10 s of the restart", async (t) => {
    const c = new Client(stack.url);
    const board = async () => (await c.request("GET", "/api/leaderboard?track=all")).json as { votes: number };
    const battles: string[] = [];
    const vote = async (outcome: string) => {
      const b = (await c.request("POST", "/api/battles", { track: "text" })).json as { id: string; token: string };
      assert.equal((await c.request("POST", `/api/battles/${b.id}/vote`, { token: b.token, outcome })).status, 201);
      battles.push(b.id);
    };
    await vote("a");
    await vote("b");
    // Settled: the board counts every valid vote so far.
    const valid = () => db().vote.count({ where: { valid: true } });
    const settled = await until("the board to settle", 60_000, async () => {
      const [n, lb] = await Promise.all([valid(), board()]);
      return lb.votes === n && n;
    });

    // Hold back snapshot writes (reads go on): the next recompute folds the new votes and then
    // waits on its INSERT, which is where it gets killed.
    const blocker = new pg.Client({ connectionString: requireEnv("DATABASE_URL") });
    await blocker.connect();
    let killed: number;
    try {
      await blocker.query('BEGIN; LOCK TABLE "RatingSnapshot" IN EXCLUSIVE MODE');
      for (const o of ["a", "tie", "b"]) await vote(o);
      await until("a recompute waiting to publish", 60_000, async () => {
        const r = await blocker.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = '"RatingSnapshot"'::regclass AND mode = 'RowExclusiveLock' AND NOT granted`);
        return r.rows[0].n > 0;
      });
      killed = ratingsWorkerPid()!;
      assert.ok(killed, "found the stack's ratings worker");
      process.kill(killed, "SIGKILL");
    } finally {
      await blocker.query("ROLLBACK").catch(() => undefined);
      await blocker.end();
    }
    // Votes while it is down queue a recompute behind the dead, still "active" job.
    for (const o of ["both_bad", "a", "b"]) await vote(o);
    const restartedAt = await until("the supervisor to restart the worker", 30_000, async () => {
      const p = ratingsWorkerPid();
      return p !== null && p !== killed && Date.now();
    });
    const mine = await db().vote.findMany({ where: { battleId: { in: battles } }, select: { valid: true, invalidReason: true } });
    assert.ok((await valid()) > settled, `the new votes count: ${JSON.stringify(mine)}; settled at ${settled}, now ${await valid()}`);
    // Compared with the valid votes of the moment (the fraud audit may still flag some).
    const caughtUp = await until("the board to catch up", 30_000, async () => (await board()).votes === (await valid()) && Date.now());
    assert.ok(caughtUp - restartedAt < 10_000, `the board caught up ${caughtUp - restartedAt} ms after the restart`);
    t.diagnostic(`board caught up ${caughtUp - restartedAt} ms after the restart`);
  });
});
