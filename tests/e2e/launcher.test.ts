/**
 * The one-command launcher as its own supervisor, on services it starts itself (fresh embedded
 * PostgreSQL and Redis in a throwaway folder): a killed worker is restarted and the restart shows
 * in /api/health, and Ctrl-C (SIGINT to the terminal's whole process group) stops everything in
 * order (web, workers, Redis, PostgreSQL) and ends with "stopped.", leaving nothing running.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { Redis } from "ioredis";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PORT = Number(process.env.E2E_PORT_LAUNCHER ?? 3114);
const PG_PORT = Number(process.env.E2E_PG_PORT_LAUNCHER ?? 54389);
const REDIS_PORT = Number(process.env.E2E_REDIS_PORT_LAUNCHER ?? 6449);
const dataDir = mkdtempSync(path.join(ROOT, ".data", "launcher-test-"));
// As root, the embedded PostgreSQL runs as `postgres`, which must be able to enter the folder.
chmodSync(dataDir, 0o755);

let child: ChildProcess;
let output = "";
let resolveExit: (code: number | null) => void;
const exited = new Promise<number | null>((resolve) => (resolveExit = resolve));

before(() => {
  child = spawn(process.execPath, ["scripts/bootstrap.mjs", "up"], {
      cwd: ROOT,
      // Own process group, like a terminal's foreground job: SIGINT goes to every process in it.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: "",
        REDIS_URL: "",
        ARENA_DATA_DIR: dataDir,
        PORT: String(PORT),
        PG_PORT: String(PG_PORT),
        REDIS_PORT: String(REDIS_PORT),
        ARENA_SWEEP_CATEGORIES: "Mug_seed0",
        RENDER_PROFILE: "preview",
      },
    });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  child.on("exit", (code) => resolveExit(code));
});

function waitFor(re: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (re.test(output)) return resolve();
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error(`no ${re} in the launcher output:\n${output.slice(-4000)}`));
      setTimeout(tick, 200);
    };
    tick();
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ port, host: "127.0.0.1" }, () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

after(async () => {
  if (child?.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the launcher supervises and stops in order", () => {
  test("a killed worker is restarted and the restart shows in health", async () => {
    await waitFor(/web server up at/, 15 * 60_000);
    const redis = new Redis(`redis://127.0.0.1:${REDIS_PORT}`);
    try {
      const report = async () => JSON.parse((await redis.get("arena:supervisor")) ?? "{}") as { processes?: Record<string, { pid: number | null; restarts: number }> };
      let before = await report();
      for (let k = 0; k < 50 && !before.processes?.["worker-scoring"]?.pid; k++) {
        await new Promise((r) => setTimeout(r, 200));
        before = await report();
      }
      const pid = before.processes!["worker-scoring"]!.pid!;
      process.kill(pid, "SIGKILL");
      await waitFor(/\[worker-scoring\] exited \(signal SIGKILL\)/, 10_000);
      let health: { checks: Record<string, { ok: boolean; detail: string }> } | null = null;
      for (let k = 0; k < 60; k++) {
        health = await (await fetch(`http://localhost:${PORT}/api/health`)).json();
        if (/1 restart/.test(health!.checks.processes?.detail ?? "")) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(health!.checks.processes?.ok, true, JSON.stringify(health));
      assert.match(health!.checks.processes!.detail, /5 processes supervised, 1 restart so far/);
    } finally {
      redis.disconnect();
    }
  });

  test("Ctrl-C stops web, workers, Redis and PostgreSQL in that order, then says stopped.", async () => {
    process.kill(-child.pid!, "SIGINT");
    const code = await exited;
    assert.equal(code, 0, output.slice(-3000));
    const at = (re: RegExp) => {
      const i = output.search(re);
      assert.ok(i >= 0, `missing ${re}:\n${output.slice(-3000)}`);
      return i;
    };
    const order = [/stopping web\n/, /stopping worker-/, /stopping Redis/, /stopping PostgreSQL/, /stopped\.\n/].map(at);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), output.slice(-3000));
    assert.equal(await listening(PORT), false, "web server gone");
    assert.equal(await listening(REDIS_PORT), false, "Redis gone");
    assert.equal(await listening(PG_PORT), false, "PostgreSQL gone");
  });
});
