import { readdirSync, readFileSync } from "node:fs";

/**
 * Pids whose real uid is `uid`. Written independently of the runner's own pidsOfUid on purpose:
 * the tests use it to prove the runner left no process behind, so it must not share its bugs.
 */
export function processesOfUid(uid: number): number[] {
  const hits: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, "utf8"));
      if (m && Number(m[1]) === uid) hits.push(Number(name));
    } catch {
      /* exited */
    }
  }
  return hits;
}
