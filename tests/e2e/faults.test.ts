/**
 * Faults on the real processes (SIGSTOP / SIGCONT): with Redis paused, battles and votes still
 * answer within a bounded time and are stored; with PostgreSQL paused, requests answer 503
 * `unavailable` with Retry-After instead of hanging, and once it is back every vote re-sent with
 * its token is stored exactly once.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
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
  test("Redis paused: battles and votes answer within a second and are stored", async () => {
    const pids = redisPids();
    assert.equal(pids.length, 1, "found the test's redis-server");
    const clients = [0, 1, 2].map(() => new Client(stack.url));
    const voted: string[] = [];
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
