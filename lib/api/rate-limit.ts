/**
 * Per-voter and per-IP rate limits in Redis (fixed one-minute windows: one INCR per check, so the
 * cost is the same at any traffic). Exceeding any limit answers 429 with Retry-After. The IP is
 * the hash of its bucket: the address for IPv4, the /64 for IPv6 (lib/api/request.ts hashIp).
 *
 * When Redis is slow or down (no answer within REDIS_REQUEST_TIMEOUT_MS, lib/redis.ts)
 * the limits fail open to a per-process fallback (lib/api/window-counter.ts, weighted by the number
 * of web processes), so a Redis outage neither takes voting down nor lifts the limits entirely; votes stay protected by tokens and fraud
 * detection either way.
 */
import "server-only";
import { requestRedisReady } from "@/lib/redis";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { ApiError } from "./errors";
import { windowCounter } from "./window-counter";

const log = logger("rate-limit");
const WINDOW_SEC = 60;

/** `newVoter`: anonymous voter rows created per IP, so dropping the cookie cannot mint them without end. */
export type LimitedAction = "battle" | "vote" | "report" | "register" | "newVoter";

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
    case "register":
      return { voter: 10, ip: 10 };
    case "newVoter":
      return { voter: 1, ip: env.RATE_LIMIT_IP_NEW_VOTERS_PER_MIN };
  }
}

const NOUNS: Record<LimitedAction, string> = {
  battle: "battles",
  vote: "votes",
  report: "reports",
  register: "registrations",
  newVoter: "new visitors",
};

const counter = windowCounter(
  requestRedisReady,
  WINDOW_SEC,
  (err) => log.warn(`Redis did not answer (${err}): rate limits counted in this process until it does`),
  () => getEnv().ARENA_WEB_PROCESS_COUNT,
);

export async function enforceRateLimit(action: LimitedAction, who: { voterId: string | null; ipHash: string | null }): Promise<void> {
  const max = limits(action);
  const now = Date.now() / 1000;
  const window = Math.floor(now / WINDOW_SEC);
  const checks = [
    who.voterId ? { key: `arena:rl:${action}:voter:${who.voterId}:${window}`, max: max.voter, what: "from you" } : null,
    who.ipHash ? { key: `arena:rl:${action}:ip:${who.ipHash}:${window}`, max: max.ip, what: "from your network" } : null,
  ].filter((c) => c !== null);
  if (checks.length === 0) return;
  const counts = await counter.count(
    checks.map((c) => c.key),
    window,
  );
  const over = checks.findIndex((c, k) => counts[k]! > c.max);
  if (over >= 0) {
    const retry = Math.max(1, Math.ceil((window + 1) * WINDOW_SEC - now));
    throw new ApiError("rate_limited", `Too many ${NOUNS[action]} ${checks[over]!.what} in the last minute. Please wait ${retry} s.`, {
      "Retry-After": String(retry),
    });
  }
}
