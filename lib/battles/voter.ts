/**
 * Voter identity. Anonymous voters get a signed, http-only cookie naming their anonymous user row;
 * signed-in voters (next-auth) are resolved from their session first.
 */
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { currentUser } from "@/lib/auth/session";
import { hasSessionCookie, type CookieJar } from "@/lib/api/cookies";
import { enforceRateLimit } from "@/lib/api/rate-limit";

export const VOTER_COOKIE = "arena_voter";
const ONE_YEAR = 365 * 24 * 3600;

function sign(id: string): string {
  return createHmac("sha256", getEnv().AUTH_SECRET).update(`voter:${id}`).digest("base64url");
}

export function encodeVoterCookie(id: string): string {
  return `${id}.${sign(id)}`;
}

export function decodeVoterCookie(value: string | undefined): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  const sig = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(id));
  return sig.length === expected.length && timingSafeEqual(sig, expected) ? id : null;
}

/**
 * Cookie voters whose row this process read recently. The cookie's signature already proves the id
 * was ours; the row is read only to see that it still exists, and anonymous rows are not deleted
 * in normal operation, so one read a minute per voter and process is enough (it was one per
 * battle and per vote). Bounded: cleared when full.
 */
const RECENT_VOTER_MS = 60_000;
const RECENT_VOTERS_MAX = 100_000;
const recentVoters = new Map<string, { voter: Voter; at: number }>();

function remember(voter: Voter): Voter {
  if (recentVoters.size >= RECENT_VOTERS_MAX) recentVoters.clear();
  recentVoters.set(voter.id, { voter, at: Date.now() });
  return voter;
}

export interface Voter {
  id: string;
  /** Signed in with a verified address (the "signed-in voters" scope counts only these). */
  signedIn: boolean;
}

/** Pages have no request object: Next's `cookies()` is their jar. */
async function nextCookieJar(): Promise<CookieJar> {
  const jar = await cookies();
  return { names: () => jar.getAll().map((c) => c.name), get: (name) => jar.get(name)?.value, set: (name, value, options) => jar.set(name, value, options) };
}

/**
 * The current voter; creates an anonymous one (and sets its cookie) when `create` is true. New
 * anonymous voters are rate-limited per IP (429, and no row) before the row exists: dropping the
 * cookie must not mint a user row per request.
 */
export async function currentVoter(opts: { create: boolean; secure?: boolean; ipHash?: string | null; jar?: CookieJar }): Promise<Voter | null> {
  const jar = opts.jar ?? (await nextCookieJar());
  // Only a request with a session cookie can have an account (and only then is next-auth asked).
  const account = hasSessionCookie(jar.names()) ? await currentUser() : null;
  // "Signed in" on the leaderboard means a proven address: an unverified account costs nothing to
  // mint, so its votes count like anonymous ones (they still carry the account's id).
  if (account) return { id: account.id, signedIn: account.emailVerified };
  const id = decodeVoterCookie(jar.get(VOTER_COOKIE));
  if (id) {
    const seen = recentVoters.get(id);
    if (seen && Date.now() - seen.at < RECENT_VOTER_MS) return seen.voter;
    const user = await db().user.findUnique({ where: { id }, select: { id: true, anonymous: true } });
    if (user) return remember({ id: user.id, signedIn: !user.anonymous });
  }
  if (!opts.create) return null;
  await enforceRateLimit("newVoter", { voterId: null, ipHash: opts.ipHash ?? null });
  const user = await db().user.create({ data: { anonymous: true } });
  jar.set(VOTER_COOKIE, encodeVoterCookie(user.id), {
    httpOnly: true,
    sameSite: "lax",
    // Secure when the request came over https (directly or via a proxy); plain-http self-hosts work too.
    secure: opts.secure ?? false,
    path: "/",
    maxAge: ONE_YEAR,
  });
  return remember({ id: user.id, signedIn: false });
}
