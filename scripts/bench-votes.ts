/**
 * `npm run bench:votes`: the vote path under load (prints, never asserts).
 *
 * Starts a fresh stack like `npm run up` (throwaway PostgreSQL and Redis in .data/bench-votes, the
 * launcher with a two-category baseline sweep), then, on loopback, from this process:
 *  1. N voters for T seconds, each looping "get a battle, vote on it" (with its own cookie);
 *  2. R leaderboard readers for T seconds, each looping GET /api/leaderboard (a closed loop: each
 *     sends its next request as soon as the last answer arrives);
 *  3. the same R readers at a fixed offered rate (--read-rate, default 2,000 reads/s in total: each
 *     reader sends every R / rate seconds, staggered), an open loop as polling clients are.
 *
 * Why both: with a closed loop of R connections the mean latency is R / throughput by Little's
 * law, so at 500 readers a latency target is really a throughput target (p99 < 100 ms would need
 * well over 5,000 reads/s at any server speed). Real readers poll (the leaderboard page asks
 * /api/leaderboard/version every 5 s); the open loop offers the target rate and measures the
 * latency each read gets, from when it was due (a reader still waiting for its last answer sends
 * late, and that wait counts), so a server that falls behind cannot hide it.
 * Prints accepted votes/s, battles/s and p50/p95/p99 per endpoint, the CPU each kind of process
 * used per phase (and per request) with the load average, how fresh the leaderboard stayed while
 * the voters ran, then checks through the public vote export and the database that every accepted
 * vote is stored exactly once.
 *
 *   npm run bench:votes [-- --voters 50 --readers 500 --read-rate 2000 --seconds 20 --warmup 5 --url http://localhost:3000]
 *   (--read-rate 0 leaves the open-loop phase out; --port, --pg-port, --redis-port move the stack)
 *
 * With --url it measures a running stack instead (its rate limits then apply as configured).
 *
 * With --profile <dir> the web processes sample their CPU as `node --cpu-prof` does (a preload,
 * scripts/bench-cpu-profile.mjs; profiles in <dir>), and their samples inside each measured phase
 * are summarised at the end (scripts/bench-profile.ts). Profiling costs CPU itself: its figures are not comparable with a
 * run without it.
 *
 * With --pg-stats PostgreSQL runs with pg_stat_statements (planning tracked too), and each phase
 * prints the statements that took most of its server time: calls per request, mean planning and
 * execution time, and the share of the phase's statement time (statements run by triggers and
 * functions included, commits and connection handling not).
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import http from "node:http";
import path from "node:path";
import { freshBenchStack } from "@/scripts/bench-stack";
import { formatSummary, summariseProfiles } from "@/scripts/bench-profile";

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const urlArg = (() => {
  const i = process.argv.indexOf("--url");
  return i > 0 ? process.argv[i + 1]! : null;
})();
const VOTERS = arg("voters", 50);
const READERS = arg("readers", 500);
const SECONDS = arg("seconds", 20);
const PORT = arg("port", 3190);
const WARMUP = arg("warmup", 5);
const READ_RATE = arg("read-rate", 2000);
const PG_STATS = process.argv.includes("--pg-stats");
const PROFILE_DIR = (() => {
  const i = process.argv.indexOf("--profile");
  if (i < 0) return null;
  const dir = path.resolve(process.argv[i + 1]!);
  // Made here: the web processes write their profiles into it and would fail silently without it.
  mkdirSync(dir, { recursive: true });
  return dir;
})();

// ---------------------------------------------------------------------------------------------
// A minimal keep-alive HTTP client: the load generator shares the 2 cores with the stack, so it
// must cost as little as possible per request.

const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(VOTERS, READERS) + 8 });

interface Answer {
  status: number;
  body: string;
  setCookie: string[];
  /** The request went out on a connection it had to open (not a kept-alive one). */
  newConnection: boolean;
}

function send(base: URL, method: string, pathName: string, body: unknown, cookie: string | null, retried = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        // A re-send goes on a connection of its own (the pool may hold more that are closing).
        agent: retried ? false : agent,
        host: base.hostname,
        port: base.port,
        method,
        path: pathName,
        headers: {
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), setCookie: res.headers["set-cookie"] ?? [], newConnection: !req.reusedSocket }));
        res.on("error", reject);
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed (idle past its keep-alive timeout) just as this
      // request went out on it: a race of the client, not an answer. Node's advice is to send again,
      // which is safe for a read (never for a vote, whose answers are counted).
      if (method === "GET" && !retried && req.reusedSocket && err.code === "ECONNRESET") {
        send(base, method, pathName, body, cookie, true).then(resolve, reject);
        return;
      }
      reject(err);
    });
    if (payload) req.write(payload);
    req.end();
  });
}

class Latencies {
  readonly ms: number[] = [];
  readonly statuses = new Map<number, number>();
  /** Latencies of the requests that opened their connection. */
  readonly connecting: number[] = [];
  add(ms: number, status: number, newConnection = false): void {
    this.ms.push(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (newConnection) this.connecting.push(ms);
  }
  connections(): string {
    const c = [...this.connecting].sort((a, b) => a - b);
    return c.length ? `  (${c.length} opened a connection: p50 ${c[Math.floor(c.length / 2)]!.toFixed(1)} ms, max ${c.at(-1)!.toFixed(1)} ms)` : "";
  }
  summary(label: string, seconds: number): string {
    const sorted = [...this.ms].sort((a, b) => a - b);
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1) : "-");
    const statuses = [...this.statuses].map(([s, n]) => `${s}x${n}`).join(" ");
    return `${label.padEnd(22)} ${String(sorted.length).padStart(7)} req  ${(sorted.length / seconds).toFixed(1).padStart(8)}/s  p50 ${q(0.5).padStart(7)} ms  p95 ${q(0.95).padStart(7)} ms  p99 ${q(0.99).padStart(7)} ms  [${statuses}]`;
  }
}

// ---------------------------------------------------------------------------------------------
// Where the CPU went (Linux /proc): this process and every descendant (the launcher, the web and
// worker processes, PostgreSQL, Redis), by kind. On a shared machine the rates depend on what else
// runs; CPU per request does much less, so both are printed, with the load average.

/** CPU seconds by kind, and the kernel's part of them under "<kind> (kernel)". */
type CpuByKind = Map<string, number>;
const KERNEL = " (kernel)";

/** This process and its descendants, by pid: CPU seconds so far, and their kind. */
function ourProcesses(): Map<number, { cpu: number; sys: number; kind: string }> {
  const procs = new Map<number, { ppid: number; cpu: number; sys: number; cmd: string }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
      procs.set(Number(name), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100, sys: Number(f[12]) / 100, cmd });
    } catch {
      /* gone */
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, k = 0; p > 1 && k < 50; p = procs.get(p)?.ppid ?? 0, k++) if (p === process.pid) return true;
    return false;
  };
  const out = new Map<number, { cpu: number; sys: number; kind: string }>();
  for (const [pid, p] of procs) {
    if (!mine(pid)) continue;
    const kind = pid === process.pid ? "load generator" : /web-server/.test(p.cmd) ? "web" : /postgres/.test(p.cmd) ? "PostgreSQL" : /redis-server/.test(p.cmd) ? "Redis" : /workers\//.test(p.cmd) ? "workers" : "other";
    out.set(pid, { cpu: p.cpu, sys: p.sys, kind });
  }
  return out;
}

function cpuByKind(): CpuByKind {
  const out: CpuByKind = new Map();
  for (const p of ourProcesses().values()) {
    out.set(p.kind, (out.get(p.kind) ?? 0) + p.cpu);
    out.set(p.kind + KERNEL, (out.get(p.kind + KERNEL) ?? 0) + p.sys);
  }
  return out;
}

/** Process ids of the stack's web processes (for --profile: their profile files carry the pid). */
function webPids(): number[] {
  return [...ourProcesses()].filter(([, p]) => p.kind === "web").map(([pid]) => pid);
}

/** CLOCK_MONOTONIC in microseconds, the clock of V8's profile timestamps. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function cpuSummary(before: CpuByKind, after: CpuByKind, seconds: number, requests: number): string {
  const spent = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  const kinds = [...after.keys()].filter((k) => !k.endsWith(KERNEL)).sort();
  const used = kinds.map((k) => [k, spent(k)] as const).filter(([, s]) => s > 0.05);
  const total = used.reduce((n, [, s]) => n + s, 0);
  const kernel = used.reduce((n, [k]) => n + spent(k + KERNEL), 0);
  const parts = used.map(([k, s]) => `${k} ${(s / seconds).toFixed(2)}`).join(", ");
  // The kernel's share (system time: sockets on loopback, scheduling) next to the processes' own.
  const kernelParts = used.map(([k, s]) => `${k} ${Math.round((100 * spent(k + KERNEL)) / s)}%`).join(", ");
  return (
    `CPU (cores busy): ${parts}; total ${(total / seconds).toFixed(2)}; ${((1000 * total) / Math.max(1, requests)).toFixed(2)} ms CPU per request; load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}\n` +
    `  of it in the kernel: ${Math.round((100 * kernel) / Math.max(total, 1e-9))}% (${kernelParts})`
  );
}

/** The kernel's count of connections refused or dropped at a full listen queue (this host, all sockets). */
function listenCounters(): { overflows: number; drops: number } {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8").split("\n").filter((l) => l.startsWith("TcpExt:"));
    const names = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/).map(Number);
    return { overflows: values[names.indexOf("ListenOverflows")] ?? 0, drops: values[names.indexOf("ListenDrops")] ?? 0 };
  } catch {
    return { overflows: 0, drops: 0 };
  }
}

function listenSummary(before: { overflows: number; drops: number }, after: { overflows: number; drops: number }): string {
  return `listen queue: ${after.overflows - before.overflows} overflows, ${after.drops - before.drops} drops (a dropped connection waits 1 s or more to retry)`;
}

async function voters(base: URL, seconds = SECONDS): Promise<{ accepted: { battleId: string; outcome: string }[]; battles: Latencies; votes: Latencies; seconds: number }> {
  const battles = new Latencies();
  const votes = new Latencies();
  const accepted: { battleId: string; outcome: string }[] = [];
  const outcomes = ["a", "b", "tie", "both_bad"];
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: VOTERS }, async (_, v) => {
      let cookie: string | null = null;
      for (let k = 0; performance.now() < until; k++) {
        let t = performance.now();
        const b = await send(base, "POST", "/api/battles", { track: (v + k) % 2 ? "image" : "text" }, cookie);
        battles.add(performance.now() - t, b.status, b.newConnection);
        const c = b.setCookie.find((x) => x.startsWith("arena_voter="));
        if (c) cookie = c.split(";")[0]!;
        if (b.status !== 201) continue;
        const battle = JSON.parse(b.body) as { id: string; token: string };
        const outcome = outcomes[(v + k) % 4]!;
        t = performance.now();
        const r = await send(base, "POST", `/api/battles/${battle.id}/vote`, { token: battle.token, outcome }, cookie);
        votes.add(performance.now() - t, r.status);
        if (r.status === 201) accepted.push({ battleId: battle.id, outcome });
      }
    }),
  );
  return { accepted, battles, votes, seconds: (performance.now() - t0) / 1000 };
}

async function readers(base: URL, seconds = SECONDS): Promise<{ reads: Latencies; seconds: number }> {
  const reads = new Latencies();
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const r = await send(base, "GET", "/api/leaderboard", undefined, null);
        reads.add(performance.now() - t, r.status, r.newConnection);
      }
    }),
  );
  return { reads, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Open loop: each reader sends GET /api/leaderboard every READERS / rate seconds (staggered
 * start), and a read's latency runs from when it was due. `late`: reads sent after their time
 * because the reader's previous answer had not arrived.
 */
async function pollingReaders(base: URL, rate: number, seconds = SECONDS): Promise<{ reads: Latencies; late: number; seconds: number }> {
  const reads = new Latencies();
  let late = 0;
  const period = (1000 * READERS) / rate;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: READERS }, async (_, k) => {
      for (let due = t0 + (period * k) / READERS; due < until; due += period) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        else if (wait < -1) late++;
        // From when it was due (a late send's wait counts), or from when it was sent if a timer
        // fired early (they work in whole milliseconds): negative latencies were printed before.
        const from = Math.min(due, performance.now());
        // A read that fails (the connection dropped twice) is counted as status 0, not fatal.
        const r = await send(base, "GET", "/api/leaderboard", undefined, null).catch(() => ({ status: 0, newConnection: false }));
        reads.add(performance.now() - from, r.status, r.newConnection);
      }
    }),
  );
  return { reads, late, seconds: (performance.now() - t0) / 1000 };
}

/** Every accepted vote is in the export and in the database exactly once. */
async function verify(base: URL, accepted: { battleId: string; outcome: string }[], since: Date, databaseUrl: string | null): Promise<string> {
  const exported = await send(base, "GET", `/api/votes/export?format=jsonl&since=${encodeURIComponent(since.toISOString())}`, undefined, null);
  const rows = exported.body.split("\n").filter(Boolean);
  const lines = [`export since the start: ${rows.length} votes; accepted by the API: ${accepted.length}`];
  if (!databaseUrl) return lines.join("\n");
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = accepted.map((a) => a.battleId);
    const res = await client.query<{ battleId: string; outcome: string; n: string }>(
      `SELECT "battleId", "outcome"::text AS outcome, count(*) OVER (PARTITION BY "battleId") AS n FROM "Vote" WHERE "battleId" = ANY($1)`,
      [ids],
    );
    const byBattle = new Map(res.rows.map((r) => [r.battleId, r]));
    const lost = accepted.filter((a) => !byBattle.has(a.battleId)).length;
    const duplicated = res.rows.filter((r) => Number(r.n) > 1).length;
    const altered = accepted.filter((a) => byBattle.get(a.battleId) && byBattle.get(a.battleId)!.outcome !== a.outcome).length;
    lines.push(`${lost} lost, ${duplicated} duplicated, ${altered} altered (of ${accepted.length} accepted votes)`);
    if (rows.length !== accepted.length) lines.push(`WARNING: the export holds ${rows.length} votes since the start, the API accepted ${accepted.length}`);
  } finally {
    await client.end();
  }
  return lines.join("\n");
}

function freshStack() {
  return freshBenchStack({
    name: "bench-votes",
    port: PORT,
    pgPort: arg("pg-port", 54399),
    redisPort: arg("redis-port", 6459),
    // One machine plays every voter: the per-voter and per-IP limits and the burst rule would
    // measure themselves, not the vote path.
    env: {
      RATE_LIMIT_VOTES_PER_MIN: "100000000",
      RATE_LIMIT_IP_VOTES_PER_MIN: "100000000",
      RATE_LIMIT_IP_NEW_VOTERS_PER_MIN: "100000000",
      FRAUD_IP_BURST_MAX: "100000000",
      ...(PROFILE_DIR
        ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${path.join(import.meta.dirname, "bench-cpu-profile.mjs")}`.trim(), BENCH_CPU_PROFILE_DIR: PROFILE_DIR }
        : {}),
    },
    pgSettings: PG_STATS ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all", "pg_stat_statements.track_planning": "on" } : undefined,
  });
}

/**
 * How fresh the leaderboard stayed while the voters ran: the ratings snapshots of the whole board
 * ("all") published in the window and the longest time without a new one (the window's edges count).
 */
async function boardFreshness(databaseUrl: string | null, from: Date, to: Date): Promise<string> {
  if (!databaseUrl) return "board freshness: not measured (no database address)";
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench-votes" });
  await client.connect();
  try {
    // Stored as UTC without a zone (as Prisma stores timestamps): compared and read as UTC, so the
    // machine's own time zone cannot shift the window.
    const { rows } = await client.query<{ at: number }>(
      `SELECT (extract(epoch FROM "computedAt" AT TIME ZONE 'UTC') * 1000)::float8 AS at FROM "RatingSnapshot"
       WHERE "scope" = 'all' AND "computedAt" AT TIME ZONE 'UTC' BETWEEN $1::timestamptz AND $2::timestamptz ORDER BY 1`,
      [from.toISOString(), to.toISOString()],
    );
    const times = [from.getTime(), ...rows.map((r) => r.at), to.getTime()];
    const gap = Math.max(...times.slice(1).map((t, i) => t - times[i]!));
    return `board freshness: ${rows.length} new snapshots of the leaderboard in ${((to.getTime() - from.getTime()) / 1000).toFixed(0)} s, at most ${(gap / 1000).toFixed(1)} s without one`;
  } finally {
    await client.end();
  }
}

/** --pg-stats: statement statistics since the last reset (scripts' own queries left out). */
async function pgStatements(databaseUrl: string | null) {
  if (!PG_STATS || !databaseUrl) return null;
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench-votes" });
  await client.connect();
  await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  return {
    reset: () => client.query("SELECT pg_stat_statements_reset()"),
    async summary(requests: number, top = 8): Promise<string> {
      const { rows } = await client.query<{ query: string; calls: string; plan: number; exec: number }>(
        `SELECT query, calls, total_plan_time AS plan, total_exec_time AS exec FROM pg_stat_statements
         WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_plan_time + total_exec_time DESC`,
      );
      const total = rows.reduce((t, r) => t + r.plan + r.exec, 0);
      const lines = [`PostgreSQL statement time: ${(total / Math.max(1, requests)).toFixed(3)} ms per request (planning ${((rows.reduce((t, r) => t + r.plan, 0) / Math.max(1, total)) * 100).toFixed(0)}%); top statements:`];
      for (const r of rows.slice(0, top)) {
        const calls = Number(r.calls);
        const text = r.query.replace(/\s+/g, " ").trim();
        lines.push(
          `  ${(((r.plan + r.exec) / Math.max(1, total)) * 100).toFixed(1).padStart(5)}%  ${(calls / Math.max(1, requests)).toFixed(2).padStart(6)} calls/req  plan ${(r.plan / Math.max(1, calls)).toFixed(3)} ms  exec ${(r.exec / Math.max(1, calls)).toFixed(3)} ms  ${text.length > 150 ? `${text.slice(0, 150)}…` : text}`,
        );
      }
      return lines.join("\n");
    },
    end: () => client.end(),
  };
}

async function main(): Promise<void> {
  let profile: { windows: { label: string; from: number; to: number }[]; pids: Set<number> } | null = null;
  let stats: Awaited<ReturnType<typeof pgStatements>> = null;
  const stack = urlArg ? { base: new URL(urlArg), databaseUrl: process.env.DATABASE_URL ?? null, stop: async () => undefined } : await freshStack();
  try {
    // A warm-up, not measured: the first requests of each web process compile code (JIT), open
    // connections and fill caches. Its votes are left out of the check below (it starts later).
    const warm = await send(stack.base, "POST", "/api/battles", { track: "text" }, null);
    if (warm.status !== 201) throw new Error(`no battle to vote on: ${warm.status} ${warm.body}`);
    if (WARMUP > 0) {
      console.log(`warm-up: ${WARMUP} s of voters and readers, not measured`);
      await Promise.all([voters(stack.base, WARMUP), READERS > 0 ? readers(stack.base, WARMUP) : null]);
    }
    stats = await pgStatements(stack.databaseUrl);
    // Votes store their time rounded to the millisecond (timestamp(3)): a warm-up vote stored in the
    // last half millisecond could round up to `since` and be counted with the measured ones.
    await new Promise((r) => setTimeout(r, 5));
    const since = new Date();
    console.log(`\n${VOTERS} voters for ${SECONDS} s (battle + vote each round):`);
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    let cpu = cpuByKind();
    let listen = listenCounters();
    const windows: { label: string; from: number; to: number }[] = [];
    const pids = new Set(webPids());
    await stats?.reset();
    let from = monotonicUs();
    const v = await voters(stack.base);
    windows.push({ label: `web processes, ${VOTERS} voters phase`, from, to: monotonicUs() });
    const votersEnded = new Date();
    console.log(v.battles.summary("POST /api/battles", v.seconds) + v.battles.connections());
    console.log(v.votes.summary("POST .../vote", v.seconds));
    console.log(`accepted votes/s: ${(v.accepted.length / v.seconds).toFixed(1)}`);
    console.log(cpuSummary(cpu, cpuByKind(), v.seconds, v.battles.ms.length + v.votes.ms.length));
    console.log(listenSummary(listen, listenCounters()));
    console.log(await boardFreshness(stack.databaseUrl, since, votersEnded));
    if (stats) console.log(await stats.summary(v.battles.ms.length + v.votes.ms.length));
    if (READERS > 0) {
      // The readers' connections from the first warm-up were closed by the server while the
      // voters ran (idle past its keep-alive timeout): open them again, unmeasured, so the phase
      // measures reads, as the voters' phase does. Requests that still open a connection are
      // counted apart below.
      if (WARMUP > 0) await readers(stack.base, Math.min(WARMUP, 2));
      console.log(`\n${READERS} leaderboard readers for ${SECONDS} s:`);
      cpu = cpuByKind();
      listen = listenCounters();
      await stats?.reset();
      from = monotonicUs();
      const r = await readers(stack.base);
      windows.push({ label: `web processes, ${READERS} readers phase`, from, to: monotonicUs() });
      for (const pid of webPids()) pids.add(pid);
      console.log(r.reads.summary("GET /api/leaderboard", r.seconds) + r.reads.connections());
      console.log(cpuSummary(cpu, cpuByKind(), r.seconds, r.reads.ms.length));
      console.log(listenSummary(listen, listenCounters()));
      if (stats) console.log(await stats.summary(r.reads.ms.length));
      if (READ_RATE > 0) {
        console.log(`\n${READERS} leaderboard readers polling for ${SECONDS} s, ${READ_RATE} reads/s offered in total (open loop: one read per reader every ${((1000 * READERS) / READ_RATE).toFixed(0)} ms, latency from when it was due):`);
        cpu = cpuByKind();
        listen = listenCounters();
        from = monotonicUs();
        const o = await pollingReaders(stack.base, READ_RATE);
        windows.push({ label: `web processes, ${READERS} polling readers phase`, from, to: monotonicUs() });
        console.log(o.reads.summary("GET /api/leaderboard", o.seconds) + o.reads.connections());
        console.log(`reads sent late (the reader's previous answer still outstanding): ${o.late}`);
        console.log(cpuSummary(cpu, cpuByKind(), o.seconds, o.reads.ms.length));
        console.log(listenSummary(listen, listenCounters()));
      }
    }
    console.log(`\n${await verify(stack.base, v.accepted, since, stack.databaseUrl)}`);
    profile = { windows, pids };
  } finally {
    agent.destroy();
    await stats?.end();
    await stack.stop();
  }
  // Profiles are written when the processes exit, so only now.
  if (PROFILE_DIR && profile) {
    const files = readdirSync(PROFILE_DIR)
      .filter((f) => profile!.pids.has(Number(/^web\.(\d+)\.cpuprofile$/.exec(f)?.[1])))
      .map((f) => path.join(PROFILE_DIR, f));
    console.log(`\nCPU profiles of ${files.length} web process(es) in ${PROFILE_DIR} (synchronous stacks only: an awaited call's time is its own callbacks')`);
    for (const w of profile.windows) console.log(`\n${formatSummary(w.label, summariseProfiles(files, w.from, w.to))}`);
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
