/**
 * Per-voter and per-IP rate limits in Redis (fixed one-minute windows: one INCR per check, so the
 * cost is the same at any traffic). Exceeding any limit answers 429 with Retry-After.
 *
 * If Redis is unreachable the request is let through and the failure logged: a Redis outage
 * should not take voting down with it, and votes stay protected by tokens and fraud detection.
 */
import "server-only";
import type { Redis } from "ioredis";
import { createRedis } from "@/lib/jobs/connection";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { ApiError } from "./errors";

const log = logger("rate-limit");
const WINDOW_SEC = 60;

export type LimitedAction = "battle" | "vote" | "report";

/** Requests per minute; battles are served about twice per vote (skips, reloads). */
function limits(action: LimitedAction): { voter: number; ip: number } {
  const env = getEnv();
  switch (action) {
    case "vote":
      return { voter: env.RATE_LIMIT_VOTES_PER_MIN, ip: env.RATE_LIMIT_IP_VOTES_PER_MIN };
    case "battle":
      return { voter: 2 * env.RATE_LIMIT_VOTES_PER_MIN, ip: 2 * env.RATE_LIMIT_IP_VOTES_PER_MIN };
    case "report":
      return { voter: 10, ip: 30 };
  }
}

let redis: Redis | null = null;
function client(): Redis {
  redis ??= createRedis("client");
  return redis;
}

export async function enforceRateLimit(action: LimitedAction, who: { voterId: string | null; ipHash: string | null }): Promise<void> {
  const max = limits(action);
  const now = Date.now() / 1000;
  const window = Math.floor(now / WINDOW_SEC);
  const checks = [
    who.voterId ? { key: `arena:rl:${action}:voter:${who.voterId}:${window}`, max: max.voter, what: "from you" } : null,
    who.ipHash ? { key: `arena:rl:${action}:ip:${who.ipHash}:${window}`, max: max.ip, what: "from your network" } : null,
  ].filter((c) => c !== null);
  if (checks.length === 0) return;
  let counts: number[];
  try {
    const multi = client().multi();
    for (const c of checks) multi.incr(c.key).expire(c.key, WINDOW_SEC + 5);
    const res = (await multi.exec()) ?? [];
    counts = checks.map((_, k) => Number(res[2 * k]?.[1] ?? 0));
  } catch (err) {
    log.warn(`rate limit check skipped: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const over = checks.findIndex((c, k) => counts[k]! > c.max);
  if (over >= 0) {
    const retry = Math.max(1, Math.ceil((window + 1) * WINDOW_SEC - now));
    const noun = { battle: "battles", vote: "votes", report: "reports" }[action];
    throw new ApiError("rate_limited", `Too many ${noun} ${checks[over]!.what} in the last minute. Please wait ${retry} s.`, {
      "Retry-After": String(retry),
    });
  }
}
