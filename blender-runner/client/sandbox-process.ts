/**
 * Spawning one sandbox: bounded output capture, the wall-clock kill, and what the process tree
 * used (peak memory, whether the CPU limit stopped it).
 */
import { spawn } from "node:child_process";
import { dirUsage } from "./dir-usage";
import { SandboxError } from "./errors";
import { OutputTail } from "./output-tail";
import { pidsOfUid, TreeWatch } from "./proc-watch";
import type { RunLimits } from "./types";

const KILL_SWEEP_MS = 50;
const SWEEP_LIMIT_MS = 5000;
const DISK_CHECK_MS = 250;

/** What runSandbox watches besides time: the job folder's size and entry count. */
export interface DiskWatch {
  jobDir: string;
  maxBytes: number;
  maxEntries: number;
}

export interface ProcOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cpuLimited: boolean;
  /** Set when the job folder outgrew its disk budget and the sandbox was stopped for it. */
  diskLimited: string | null;
  /** The job's memory cgroup hit its limit and the kernel killed a process in it (set by the caller). */
  memoryLimited?: boolean;
  stderr: string;
  combined: string;
  peakMiB: number | null;
  /** Processes of the job's uid still alive after the final sweep (their uid must not be reused). */
  leftovers: number[];
}

/** Exit code of the cgroup-joining shell when it cannot join (nothing of the job ran). */
export const CGROUP_JOIN_FAILED = 125;

/**
 * `sh -c` that writes its own pid to each cgroup.procs file, then execs bwrap: the sandbox is
 * inside the job's cgroups before it can fork anything.
 */
function joinCgroups(files: string[], command: string, args: string[]): [string, string[]] {
  if (!files.length) return [command, args];
  const script = `n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "arena: cannot join cgroup $1" >&2; exit ${CGROUP_JOIN_FAILED}; }; shift; n=$((n-1)); done; exec "$@"`;
  return ["/bin/sh", ["-c", script, "sh", String(files.length), ...files, command, ...args]];
}

/** Kills the uid's processes until none is left (zombies included), for at most SWEEP_LIMIT_MS. */
async function sweepUid(uid: number, killAll: () => void): Promise<number[]> {
  const deadline = Date.now() + SWEEP_LIMIT_MS;
  let left = pidsOfUid(uid);
  while (left.length > 0 && Date.now() < deadline) {
    killAll();
    await new Promise((r) => setTimeout(r, KILL_SWEEP_MS));
    left = pidsOfUid(uid);
  }
  return left;
}

export function runSandbox(
  bwrap: string,
  args: string[],
  limits: RunLimits,
  uid: number | null,
  tailBytes: number,
  disk: DiskWatch | null = null,
  cgroupProcs: string[] = [],
): Promise<ProcOutcome> {
  return new Promise((resolve, reject) => {
    // detached: own process group, so the timeout can kill bwrap and everything it started.
    // bwrap itself gets a bare environment too (--clearenv then sets the sandbox's own).
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv;
    const [cmd, argv] = joinCgroups(cgroupProcs, bwrap, args);
    const child = spawn(cmd, argv, { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
    const stderr = new OutputTail(4096);
    const combined = new OutputTail(tailBytes);
    child.stdout.on("data", (c: Buffer) => combined.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr.push(c);
      combined.push(c);
    });
    let timedOut = false;
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
      if (uid !== null) for (const pid of pidsOfUid(uid)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* raced with exit */
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      watch?.sample();
      killAll();
    }, limits.wallSeconds * 1000);
    // Sampled, so a fast writer may overshoot by what it writes in DISK_CHECK_MS; RLIMIT_FSIZE
    // keeps any single file below maxFileMiB meanwhile.
    let diskLimited: string | null = null;
    const diskTimer = disk
      ? setInterval(() => {
          if (diskLimited) return;
          const u = dirUsage(disk.jobDir, disk.maxEntries);
          if (u.truncated) diskLimited = `more than ${disk.maxEntries} files in the job folder`;
          else if (u.bytes > disk.maxBytes) diskLimited = `job folder above ${Math.round(disk.maxBytes / 1048576)} MiB`;
          if (diskLimited) killAll();
        }, DISK_CHECK_MS)
      : null;
    diskTimer?.unref();
    child.on("error", (err) => {
      clearTimeout(timer);
      if (diskTimer) clearInterval(diskTimer);
      watch?.stop();
      reject(new SandboxError(`cannot start ${bwrap}: ${err.message}`));
    });
    child.on("close", async (code, signal) => {
      clearTimeout(timer);
      if (diskTimer) clearInterval(diskTimer);
      watch?.stop();
      // The uid goes back to the pool after this: no process of this job may outlive it (a fork
      // bomb's children can still be exiting, or be reparented, when bwrap itself is gone).
      const leftovers = uid === null ? [] : await sweepUid(uid, killAll);
      resolve({
        leftovers,
        code,
        signal,
        timedOut,
        // SIGXCPU (128+24) at the soft limit, or SIGKILL at the hard one.
        cpuLimited: code === 152 || (code === 137 && (watch?.maxCpuSeconds ?? 0) >= limits.cpuSeconds - 1),
        diskLimited,
        stderr: stderr.text(),
        combined: combined.text(),
        peakMiB: watch?.peakMiB() ?? null,
      });
    });
  });
}
