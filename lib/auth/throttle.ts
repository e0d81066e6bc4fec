/**
 * Throttles for account operations, in Redis (fixed windows):
 * - sign-in failures per account and per IP (15 minutes): past the limit, sign-in is refused
 *   before the password is even checked, so guessing stops for both the account and the network;
 * - verification mails per address (1 hour), so nobody can use us to flood a mailbox.
 *
 * Accounts are keyed by a hash of the typed address, whether or not it exists: throttling an
 * unknown address looks exactly like throttling a real one.
 *
 * Fail-open: when Redis is unreachable the check passes and the outage is logged, as for the
 * vote limits (lib/api/rate-limit.ts). Guessing then stays bounded by scrypt (one core-second per
 * two or three guesses, two at a time per process, lib/auth/password.ts); a sign-in outage would
 * lock every admin out at the moment they need to look.
 */
import "server-only";
import { createHmac } from "node:crypto";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { requestRedisReady } from "@/lib/redis";

const log = logger("throttle");
const SIGNIN_WINDOW_SEC = 15 * 60;
const MAIL_WINDOW_SEC = 60 * 60;
const MAILS_PER_ADDRESS = 5;

function key(kind: string, value: string, windowSec: number): string {
  const id = createHmac("sha256", getEnv().AUTH_SECRET).update(`${kind}:${value}`).digest("hex").slice(0, 32);
  return `arena:throttle:${kind}:${id}:${Math.floor(Date.now() / 1000 / windowSec)}`;
}

function signinKeys(email: string, ipHash: string | null): { account: string; ip: string | null } {
  return { account: key("signin-account", email.trim().toLowerCase(), SIGNIN_WINDOW_SEC), ip: ipHash ? key("signin-ip", ipHash, SIGNIN_WINDOW_SEC) : null };
}

export type SigninGate = { allowed: true } | { allowed: false; retryAfterSec: number };

/** Whether a sign-in for this address from this network may be tried now. */
export async function signinAllowed(email: string, ipHash: string | null): Promise<SigninGate> {
  const env = getEnv();
  const keys = signinKeys(email, ipHash);
  try {
    const [account, ip] = await (await requestRedisReady()).mget(keys.account, keys.ip ?? keys.account);
    const over = Number(account ?? 0) >= env.SIGNIN_MAX_FAILURES_PER_ACCOUNT || (keys.ip !== null && Number(ip ?? 0) >= env.SIGNIN_MAX_FAILURES_PER_IP);
    if (!over) return { allowed: true };
    const now = Date.now() / 1000;
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((Math.floor(now / SIGNIN_WINDOW_SEC) + 1) * SIGNIN_WINDOW_SEC - now)) };
  } catch (err) {
    log.warn(`sign-in throttle skipped (Redis): ${err instanceof Error ? err.message : String(err)}`);
    return { allowed: true };
  }
}

export async function recordSigninFailure(email: string, ipHash: string | null): Promise<void> {
  const keys = signinKeys(email, ipHash);
  try {
    const multi = (await requestRedisReady()).multi();
    for (const k of [keys.account, keys.ip]) if (k) multi.incr(k).expire(k, SIGNIN_WINDOW_SEC + 5);
    await multi.exec();
  } catch (err) {
    log.warn(`sign-in failure not counted (Redis): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Counts one verification mail to `email`; false when that address already got its share this hour. */
export async function mayMail(email: string): Promise<boolean> {
  const k = key("mail", email.trim().toLowerCase(), MAIL_WINDOW_SEC);
  try {
    const res = await (await requestRedisReady()).multi().incr(k).expire(k, MAIL_WINDOW_SEC + 5).exec();
    return Number(res?.[0]?.[1] ?? 0) <= MAILS_PER_ADDRESS;
  } catch (err) {
    log.warn(`mail throttle skipped (Redis): ${err instanceof Error ? err.message : String(err)}`);
    return true;
  }
}
