/**
 * Runs the web server and workers as child processes: output to per-process log files (warnings
 * and errors also to the console), restart on crash with backoff, and an orderly stop.
 *
 * Restarts never give up: a process that keeps crashing is retried every CRASH_LOOP_DELAY_MS and
 * reported as a crash loop (in the console, the log and `report()`, which /api/health shows). A
 * process that stayed up for HEALTHY_AFTER_MS has its backoff and count reset, so one crash a day
 * never adds up to a crash loop.
 *
 * Every child runs in its own process group (a terminal's Ctrl-C reaches only the launcher), and
 * `stopAll` stops them in stages: the web server first (no new votes), then the workers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Stop stage: lower stages stop first (web 0, workers 1). Default 1. */
  stopStage?: number;
}

export interface ProcessReport {
  pid: number | null;
  /** Restarts since the launcher started. */
  restarts: number;
  /** Crashes since the process was last up for HEALTHY_AFTER_MS. */
  recentCrashes: number;
  crashLoop: boolean;
  lastExit: string | null;
  upSince: string | null;
}

interface Managed {
  spec: ProcessSpec;
  child: ChildProcess | null;
  restarts: number;
  recentCrashes: number;
  startedAt: number;
  lastExit: string | null;
  log: WriteStream;
  timer: NodeJS.Timeout | null;
}

/** Up this long and a process counts as healthy again: its crash count and backoff reset. */
export const HEALTHY_AFTER_MS = 60_000;
/** This many crashes without a healthy minute in between is a crash loop. */
export const CRASH_LOOP_AFTER = 5;
const CRASH_LOOP_DELAY_MS = 60_000;

export class Supervisor {
  private procs: Managed[] = [];
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly say: (line: string) => void,
    private readonly timing = { healthyAfterMs: HEALTHY_AFTER_MS, crashLoopDelayMs: CRASH_LOOP_DELAY_MS },
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  start(spec: ProcessSpec): void {
    const m: Managed = {
      spec,
      child: null,
      restarts: 0,
      recentCrashes: 0,
      startedAt: 0,
      lastExit: null,
      log: createWriteStream(path.join(this.logDir, `${spec.name}.log`), { flags: "a" }),
      timer: null,
    };
    this.procs.push(m);
    this.launch(m);
  }

  private launch(m: Managed): void {
    m.timer = null;
    const child = spawn(m.spec.command, m.spec.args, { cwd: m.spec.cwd, env: m.spec.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    m.child = child;
    m.startedAt = Date.now();
    child.stdout?.pipe(m.log, { end: false });
    child.stderr?.on("data", (d: Buffer) => {
      m.log.write(d);
      for (const line of d.toString().split("\n")) if (line.trim()) this.say(`[${m.spec.name}] ${line}`);
    });
    child.on("exit", (code, signal) => {
      m.child = null;
      m.lastExit = signal ? `signal ${signal}` : `exit code ${code}`;
      if (this.stopping) return;
      const upMs = Date.now() - m.startedAt;
      m.recentCrashes = upMs >= this.timing.healthyAfterMs ? 1 : m.recentCrashes + 1;
      m.restarts += 1;
      const loop = m.recentCrashes >= CRASH_LOOP_AFTER;
      const delay = loop ? this.timing.crashLoopDelayMs : Math.min(this.timing.crashLoopDelayMs, 1000 * 2 ** (m.recentCrashes - 1));
      const logFile = path.join(this.logDir, `${m.spec.name}.log`);
      this.say(
        loop
          ? `[${m.spec.name}] crash loop: ${m.recentCrashes} crashes without a healthy minute (last: ${m.lastExit}); retrying every ${delay / 1000}s. See ${logFile}`
          : `[${m.spec.name}] exited (${m.lastExit}) after ${(upMs / 1000).toFixed(1)}s; restarting in ${delay / 1000}s`,
      );
      m.log.write(`\n[supervisor] ${new Date().toISOString()} exited (${m.lastExit}); restart ${m.restarts} in ${delay / 1000}s${loop ? " (crash loop)" : ""}\n`);
      m.timer = setTimeout(() => !this.stopping && this.launch(m), delay);
    });
  }

  report(): Record<string, ProcessReport> {
    const now = Date.now();
    return Object.fromEntries(
      this.procs.map((m) => [
        m.spec.name,
        {
          pid: m.child?.pid ?? null,
          restarts: m.restarts,
          // A process up for a healthy minute has put its crashes behind it.
          recentCrashes: m.child && now - m.startedAt >= this.timing.healthyAfterMs ? 0 : m.recentCrashes,
          crashLoop: m.recentCrashes >= CRASH_LOOP_AFTER && !(m.child && now - m.startedAt >= this.timing.healthyAfterMs),
          lastExit: m.lastExit,
          upSince: m.child ? new Date(m.startedAt).toISOString() : null,
        },
      ]),
    );
  }

  /** Stops every process, stage by stage (web before workers), each group in parallel. */
  async stopAll(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    for (const m of this.procs) if (m.timer) clearTimeout(m.timer);
    const stages = [...new Set(this.procs.map((m) => m.spec.stopStage ?? 1))].sort((a, b) => a - b);
    for (const stage of stages) {
      const group = this.procs.filter((m) => (m.spec.stopStage ?? 1) === stage);
      const running = group.filter((m) => m.child?.pid !== undefined);
      if (running.length) this.say(`stopping ${running.map((m) => m.spec.name).join(", ")}`);
      await Promise.all(group.map((m) => stopOne(m.child, timeoutMs)));
    }
    for (const m of this.procs) m.log.end();
  }
}

function stopOne(child: ChildProcess | null, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    kill("SIGTERM");
  });
}
