/**
 * Facts about the request that the web server entry (scripts/web-server.ts) establishes: the
 * client address (from the socket and TRUSTED_PROXIES, see lib/web/client-ip.ts) and whether the
 * client used https. Client-written forwarding headers never reach this far from untrusted peers.
 */
import { createHmac } from "node:crypto";
import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { vouchedClientIp } from "@/lib/web/forwarded";
import { ipBucket } from "@/lib/web/ip";

const log = logger("request");
let warned = false;

export function isHttps(req: NextRequest): boolean {
  return req.nextUrl.protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}

/**
 * The client's address as the web server entry vouched for it, or null (then per-IP limits cannot
 * apply). Null only happens when the app runs without that entry (e.g. a bare `next start`),
 * which is a deployment mistake: said once, loudly, in the log.
 */
export function clientIpFromHeaders(get: (name: string) => string | null | undefined): string | null {
  const ip = vouchedClientIp(get, getEnv().AUTH_SECRET);
  if (!ip && !warned && getEnv().NODE_ENV === "production") {
    warned = true;
    log.error("a request arrived without the web server's client address: start the web tier with scripts/web-server.ts (npm run up and the Docker image do); per-IP limits are off until then");
  }
  return ip;
}

export function clientIp(req: Request): string | null {
  return clientIpFromHeaders((n) => req.headers.get(n));
}

/**
 * What per-IP limits and the fraud rules key on: a keyed hash (raw addresses are never stored) of
 * the address, or of its /64 for IPv6, where one subscriber holds the whole /64.
 */
export function hashIp(ip: string | null): string | null {
  if (!ip) return null;
  const secret = getEnv().AUTH_SECRET;
  if (secret !== hashesSecret) {
    hashes.clear();
    hashesSecret = secret;
  }
  let hash = hashes.get(ip);
  if (hash === undefined) {
    hash = createHmac("sha256", secret).update(`ip:${ipBucket(ip)}`).digest("hex").slice(0, 32);
    if (hashes.size >= HASHES_MAX) hashes.clear();
    hashes.set(ip, hash);
  }
  return hash;
}

/**
 * Hashes per address, kept (parsing the address for its bucket and the keyed hash were a visible
 * share of a request's CPU, for the same few addresses). Bounded: cleared when full, and when the
 * secret changes.
 */
const HASHES_MAX = 10_000;
const hashes = new Map<string, string>();
let hashesSecret = "";
