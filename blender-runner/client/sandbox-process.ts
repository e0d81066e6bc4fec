/**
 * Spawning one sandbox: bounded output capture, the report channel (fd 3), the seccomp filter
 * (fd 4), a wall-clock deadline, host-side disk and CPU budgets, and what the process tree used.
 * `done` resolves only once no process of the sandbox is left (by uid, when it has its own).
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { z } from "zod";
import { dirUsage } from "./dir-usage";
import { SandboxError } from "./errors";
import { OutputTail } from "./output-tail";
import { pidsOfUid, TreeWatch } from "./proc-watch";
import { ReportChannel } from "./report-channel";

const KILL_SWEEP_MS = 100;
/** How long the uid sweep may take before the sandbox counts as unkillable (a SandboxError). */
const KILL_WAIT_MS = 10_000;
const CHECK_MS = 250;

/** What a sandbox watches besides time: a folder's size and entry count. */
export interface DiskWatch {
  dir: string;
  maxBytes: number;
  maxEntries: number;
}

export interface ProcOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cpuLimited: boolean;
  /** Set when the folder outgrew its disk budget and the sandbox was stopped for it. */
  diskLimited: string | null;
  /** The job's memory cgroup killed a process of this sandbox (set by the caller). */
  memoryLimited?: boolean;
  stderr: string;
  combined: string;
  peakMiB: number | null;
  /** CPU seconds of the busiest process of the tree (RLIMIT_CPU is per process). */
  cpuSeconds: number;
}

export interface SandboxOptions {
  bwrap: string;
  args: string[];
  /** performance.now() value at which the sandbox is killed (the run's shared wall clock). */
  deadline: number;
  /** RLIMIT_CPU's soft limit, to recognise its SIGKILL (exit 137) as a CPU stop. */
  cpuSeconds: number;
  uid: number | null;
  tailBytes: number;
  cgroupProcs: string[];
  /** File holding the compiled seccomp filter; opened per spawn, bwrap reads and closes its copy. */
  seccompFile: string;
  /** Process 2 waits for a line on stdin; process 1's stdin is closed. */
  stdin: boolean;
  /**
   * Where no memory cgroup is writable: a watchdog over resident memory, summed over every
   * sandbox of the job (`shared`, keyed by stage), that stops this one past `maxMiB`.
   */
  rssBudget?: { maxMiB: number; key: string; shared: Map<string, number> };
  /** Every chunk of stdout/stderr as it arrives (the agent harness parses usage from it live). */
  onOutput?: (stream: "stdout" | "stderr", chunk: Buffer) => void;
}

export interface SandboxHandle<T extends { t: string }> {
  channel: ReportChannel<T>;
  done: Promise<ProcOutcome>;
  /** Resolves with the first record of this kind (or null if the process ended without one). */
  waitFor(kind: T["t"]): Promise<T | null>;
  /** One line to the sandbox's stdin. */
  send(line: string): void;
  kill(): void;
  /** Starts the disk budget check (process 2 starts it once it holds the scene). */
  watchDisk(disk: DiskWatch): void;
  /** Host-side CPU budget for the busiest process, on top of RLIMIT_CPU. */
  limitCpu(seconds: number): void;
  cpuSeconds(): number;
}

/** Exit code of the cgroup-joining shell when it cannot join (nothing of the job ran). */
export const CGROUP_JOIN_FAILED = 125;

/**
 * `sh -c` that writes its own pid to each cgroup.procs file, then execs bwrap: the sandbox is
 * inside the job's cgroups before it can fork anything. exec keeps fds 3 and 4.
 */
function joinCgroups(files: string[], command: string, args: string[]): [string, string[]] {
  if (!files.length) return [command, args];
  const script = `n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "arena: cannot join cgroup $1" >&2; exit ${CGROUP_JOIN_FAILED}; }; shift; n=$((n-1)); done; exec "$@"`;
  return ["/bin/sh", ["-c", script, "sh", String(files.length), ...files, command, ...args]];
}

function sweepUid(uid: number): number {
  const pids = pidsOfUid(uid);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* raced with exit */
    }
  }
  return pids.length;
}

/** Kills every process of `uid` until none is left; false if some survive KILL_WAIT_MS. */
export async function killUid(uid: number): Promise<boolean> {
  const until = performance.now() + KILL_WAIT_MS;
  while (sweepUid(uid) > 0) {
    if (performance.now() > until) return false;
    await new Promise((r) => setTimeout(r, KILL_SWEEP_MS));
  }
  return true;
}

export function startSandbox<T extends { t: string }>(opts: SandboxOptions, schema: z.ZodType<T>): SandboxHandle<T> {
  // detached: own process group, so the timeout can kill bwrap and everything it started.
  // bwrap itself gets a bare environment too (--clearenv then sets the sandbox's own).
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv;
  const [cmd, argv] = joinCgroups(opts.cgroupProcs, opts.bwrap, opts.args);
  const seccompFd = openSync(opts.seccompFile, "r");
  let child;
  try {
    child = spawn(cmd, argv, { detached: true, stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe", "pipe", seccompFd], env });
  } finally {
    closeSync(seccompFd);
  }
  const waiters: { kind: string; resolve: (r: T | null) => void }[] = [];
  let closed = false;
  const channel = new ReportChannel<T>(schema, (r) => {
    for (const w of waiters.filter((w) => w.kind === r.t)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(r);
    }
  });
  const stderr = new OutputTail(4096);
  const combined = new OutputTail(opts.tailBytes);
  child.stdout!.on("data", (c: Buffer) => {
    combined.push(c);
    opts.onOutput?.("stdout", c);
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr.push(c);
    combined.push(c);
    opts.onOutput?.("stderr", c);
  });
  (child.stdio[3] as Readable).on("data", (c: Buffer) => channel.push(c));
  const stdin = child.stdin as Writable | null;
  stdin?.on("error", () => {
    /* the sandbox is gone; its outcome says why */
  });

  let timedOut = false;
  let diskLimited: string | null = null;
  let cpuLimited = false;
  let memoryLimited = false;
  let disk: DiskWatch | null = null;
  let cpuBudget = Infinity;
  const watch = child.pid ? new TreeWatch(child.pid).start() : null;
  const killAll = () => {
    if (child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    // The pid namespace dies with bwrap (--die-with-parent); the uid sweep is a second net.
    if (opts.uid !== null) sweepUid(opts.uid);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    watch?.sample();
    killAll();
  }, Math.max(0, opts.deadline - performance.now()));
  // Sampled, so a fast writer may overshoot by what it writes in CHECK_MS; RLIMIT_FSIZE keeps any
  // single file below maxFileMiB meanwhile.
  const checks = setInterval(() => {
    if (disk && !diskLimited) {
      const u = dirUsage(disk.dir, disk.maxEntries);
      if (u.truncated) diskLimited = `more than ${disk.maxEntries} files in the job folder`;
      else if (u.bytes > disk.maxBytes) diskLimited = `job folder above ${Math.round(disk.maxBytes / 1048576)} MiB`;
      if (diskLimited) killAll();
    }
    if (opts.rssBudget && watch && !memoryLimited) {
      watch.sample();
      opts.rssBudget.shared.set(opts.rssBudget.key, watch.currentMiB);
      let total = 0;
      for (const v of opts.rssBudget.shared.values()) total += v;
      if (total > opts.rssBudget.maxMiB) {
        memoryLimited = true;
        killAll();
      }
    }
    if (!cpuLimited && (watch?.maxCpuSeconds ?? 0) > cpuBudget) {
      cpuLimited = true;
      killAll();
    }
  }, CHECK_MS);
  checks.unref();

  const done = new Promise<ProcOutcome>((resolve, reject) => {
    const stop = () => {
      closed = true;
      clearTimeout(timer);
      clearInterval(checks);
      watch?.stop();
      channel.end();
      for (const w of waiters.splice(0)) w.resolve(null);
    };
    child.on("error", (err) => {
      stop();
      reject(new SandboxError(`cannot start ${opts.bwrap}: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      stop();
      opts.rssBudget?.shared.set(opts.rssBudget.key, 0);
      const outcome: ProcOutcome = {
        code,
        signal,
        timedOut,
        // SIGXCPU (128+24) at the soft limit, SIGKILL at the hard one, or the host's budget.
        cpuLimited: cpuLimited || code === 152 || (code === 137 && (watch?.maxCpuSeconds ?? 0) >= opts.cpuSeconds - 1),
        diskLimited,
        memoryLimited,
        stderr: stderr.text(),
        combined: combined.text(),
        peakMiB: watch?.peakMiB() ?? null,
        cpuSeconds: watch?.maxCpuSeconds ?? 0,
      };
      if (opts.uid === null) return resolve(outcome);
      void killUid(opts.uid).then((gone) =>
        gone ? resolve(outcome) : reject(new SandboxError(`processes of sandbox uid ${opts.uid} survive SIGKILL`)),
      );
    });
  });

  return {
    channel,
    done,
    waitFor: (kind) => {
      const seen = channel.records.find((r) => r.t === kind);
      if (seen || closed) return Promise.resolve(seen ?? null);
      return new Promise((resolve) => waiters.push({ kind, resolve }));
    },
    send: (line) => {
      stdin?.write(`${line}\n`);
    },
    kill: killAll,
    watchDisk: (d) => {
      disk = d;
    },
    limitCpu: (seconds) => {
      cpuBudget = seconds;
    },
    cpuSeconds: () => watch?.maxCpuSeconds ?? 0,
  };
}
