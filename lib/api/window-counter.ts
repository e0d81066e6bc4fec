/**
 * Counts in fixed windows, in Redis (one INCR per key, shared by every web process) with a
 * per-process fallback for when Redis does not answer in time: the same windows counted in memory.
 *
 * Every answer Redis gives is mirrored in memory, so the fallback carries on from the last count
 * Redis gave for a key: one slow command neither hands out an extra request (a fallback starting
 * from zero would) nor keeps a count that Redis no longer has (a shadow counter of its own would
 * outlive a key cleared by a maintainer). The fallback is reported at most once every 30 s.
 */
import type { Redis } from "ioredis";

export interface WindowCounter {
  /** Adds one to each key of `window` and returns the counts, in the order of `keys`. */
  count(keys: string[], window: number): Promise<number[]>;
}

export function windowCounter(client: () => Redis, windowSec: number, warn: (reason: string) => void): WindowCounter {
  const local = new Map<string, number>();
  let localWindow = -1;
  let lastWarning = 0;

  function counts(window: number): Map<string, number> {
    if (window !== localWindow) {
      local.clear();
      localWindow = window;
    }
    return local;
  }

  return {
    async count(keys, window) {
      const mirror = counts(window);
      try {
        const multi = client().multi();
        for (const key of keys) multi.incr(key).expire(key, windowSec + 5);
        const res = (await multi.exec()) ?? [];
        const values = keys.map((_, k) => Number(res[2 * k]?.[1] ?? 0));
        keys.forEach((key, k) => mirror.set(key, values[k]!));
        return values;
      } catch (err) {
        if (Date.now() - lastWarning >= 30_000) {
          lastWarning = Date.now();
          warn(err instanceof Error ? err.message : String(err));
        }
        return keys.map((key) => {
          const n = (mirror.get(key) ?? 0) + 1;
          mirror.set(key, n);
          return n;
        });
      }
    },
  };
}
