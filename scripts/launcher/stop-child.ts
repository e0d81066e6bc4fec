/**
 * Stops a child process the launcher or a test started: SIGTERM, then SIGKILL after `graceMs` if it
 * has not exited (Redis refuses SIGTERM while it cannot write its snapshot; SeaweedFS's graceful
 * shutdown waits ~10 s for idle connections; a test store's data is throwaway). Resolves at once
 * for a process that already ended, by exit or by a signal (that one never emits "exit" again).
 */
import type { ChildProcess } from "node:child_process";

export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
