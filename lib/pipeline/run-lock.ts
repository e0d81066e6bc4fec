/**
 * A Redis lock per identical run (code hash + profile + Blender version), so generations that share
 * code (e.g. a baseline's text- and image-track outputs) execute it once and reuse the result.
 */
import { randomUUID } from "node:crypto";
import { redis } from "@/lib/redis";

/** `ttlSec` should exceed the run's wall limit, so a crashed holder only blocks others that long. */
export async function withRunLock<T>(key: string, ttlSec: number, fn: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  const name = `arena:run-lock:${key}`;
  const me = randomUUID();
  if ((await redis().set(name, me, "EX", Math.ceil(ttlSec), "NX")) !== "OK") return { locked: false };
  try {
    return { locked: true, value: await fn() };
  } finally {
    // Release only our own lock.
    await redis().eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`, 1, name, me);
  }
}
