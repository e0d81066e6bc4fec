/**
 * Spawning one sandbox: bounded output capture, the wall-clock kill, and what the process tree
 * used (peak memory, whether the CPU limit stopped it).
 */
import { spawn } from "node:child_process";
import { SandboxError } from "./errors";
import { OutputTail } from "./output-tail";
import { pidsOfUid, TreeWatch } from "./proc-watch";
import type { RunLimits } from "./types";

const KILL_SWEEP_MS = 200;

export interface ProcOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cpuLimited: boolean;
  stderr: string;
  combined: string;
  peakMiB: number | null;
}

export function runSandbox(bwrap: string, args: string[], limits: RunLimits, uid: number | null, tailBytes: number): Promise<ProcOutcome> {
  return new Promise((resolve, reject) => {
    // detached: own process group, so the timeout can kill bwrap and everything it started.
    // bwrap itself gets a bare environment too (--clearenv then sets the sandbox's own).
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv;
    const child = spawn(bwrap, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
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
    child.on("error", (err) => {
      clearTimeout(timer);
      watch?.stop();
      reject(new SandboxError(`cannot start ${bwrap}: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      watch?.stop();
      if (uid !== null && pidsOfUid(uid).length > 0) {
        killAll();
        setTimeout(killAll, KILL_SWEEP_MS).unref();
      }
      resolve({
        code,
        signal,
        timedOut,
        // SIGXCPU (128+24) at the soft limit, or SIGKILL at the hard one.
        cpuLimited: code === 152 || (code === 137 && (watch?.maxCpuSeconds ?? 0) >= limits.cpuSeconds - 1),
        stderr: stderr.text(),
        combined: combined.text(),
        peakMiB: watch?.peakMiB() ?? null,
      });
    });
  });
}
