/**
 * Counts in fixed windows, in Redis (one INCR per key, shared by every web process) with a
 * per-process fallback for when Redis does not answer in time: the same windows counted in memory.
 *
 * One Redis command per count, whatever the number of keys: a small script (EVALSHA) increments
 * each key and renews its expiry. It was a MULTI of INCR + EXPIRE per key, six commands for a
 * battle or a vote, each of them built, sent and parsed by the web process (issue 12 part 5).
 *
 * Every answer Redis gives is mirrored in memory, so the fallback carries on from the last count
 * Redis gave for a key: one slow command neither hands out an extra request (a fallback starting
 * from zero would) nor keeps a count that Redis no longer has (a shadow counter of its own would
 * outlive a key cleared by a maintainer). The fallback is reported at most once every 30 s.
 *
 * With several web processes behind one port (scripts/web-server.ts), each sees only its share of a
 * client's requests while Redis is away, so each counts one request as `fallbackWeight()` (the
 * number of processes): together they never let through more than the limit, and a client whose
 * requests all land on one process is held to its share (failing towards stricter, not looser).
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** KEYS: the counters; ARGV[1]: their time to live in seconds. Returns the new counts in KEYS order. */
const COUNT_SCRIPT = `local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call("INCR", key)
  redis.call("EXPIRE", key, ARGV[1])
end
return out`;
const COUNT_SHA = createHash("sha1").update(COUNT_SCRIPT).digest("hex");

/** By hash (the script stays loaded in Redis); by text once after Redis lost it (a restart). */
async function incrementAll(redis: Redis, keys: string[], ttlSec: number): Promise<number[]> {
  try {
    return (await redis.evalsha(COUNT_SHA, keys.length, ...keys, ttlSec)) as number[];
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return (await redis.eval(COUNT_SCRIPT, keys.length, ...keys, ttlSec)) as number[];
  }
}

export interface WindowCounter {
  /** Adds one to each key of `window` and returns the counts, in the order of `keys`. */
  count(keys: string[], window: number): Promise<number[]>;
}

export function windowCounter(client: () => Redis | Promise<Redis>, windowSec: number, warn: (reason: string) => void, fallbackWeight: () => number = () => 1): WindowCounter {
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
        const res = await incrementAll(await client(), keys, windowSec + 5);
        const values = keys.map((_, k) => Number(res[k] ?? 0));
        keys.forEach((key, k) => mirror.set(key, values[k]!));
        return values;
      } catch (err) {
        if (Date.now() - lastWarning >= 30_000) {
          lastWarning = Date.now();
          warn(err instanceof Error ? err.message : String(err));
        }
        const weight = fallbackWeight();
        return keys.map((key) => {
          const n = (mirror.get(key) ?? 0) + weight;
          mirror.set(key, n);
          return n;
        });
      }
    },
  };
}
