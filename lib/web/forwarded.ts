/**
 * What the web server entry (scripts/web-server.ts) does to every request before Next sees it:
 * forwarding headers from peers we do not trust are dropped (so nothing downstream, Next and
 * next-auth included, believes a client-written X-Forwarded-Proto/Host/For), and the client
 * address it computed from the socket travels in an internal header, signed so that a client
 * cannot supply it even if the app is ever started without this server.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { peerIsTrusted, selectClientIp, type ProxyTrust } from "./client-ip";

export const CLIENT_IP_HEADER = "x-arena-client-ip";
const SIGNATURE_HEADER = "x-arena-client-ip-sig";

/** Headers a proxy writes; a client that reaches us directly gets them removed. */
const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/**
 * Signatures per address, kept: every request is signed by the entry and checked by the route,
 * two keyed hashes per request for the same few addresses (a visible share of a leaderboard
 * read's CPU). Bounded: cleared when full, and when the secret is not the one they were made with.
 */
const SIGNATURES_MAX = 10_000;
const signatures = new Map<string, string>();
let signaturesSecret = "";

function sign(ip: string, secret: string): string {
  if (secret !== signaturesSecret) {
    signatures.clear();
    signaturesSecret = secret;
  }
  let sig = signatures.get(ip);
  if (sig === undefined) {
    sig = createHmac("sha256", secret).update(`client-ip:${ip}`).digest("base64url");
    if (signatures.size >= SIGNATURES_MAX) signatures.clear();
    signatures.set(ip, sig);
  }
  return sig;
}

/** Rewrites `headers` in place for one request; returns the client address it settled on. */
export function applyClientIp(headers: IncomingHttpHeaders, peer: string | undefined, trust: ProxyTrust, secret: string): string | null {
  const forwardedFor = headers["x-forwarded-for"];
  const ip = selectClientIp({ peer, forwardedFor: Array.isArray(forwardedFor) ? forwardedFor.join(", ") : forwardedFor, trust });
  delete headers[CLIENT_IP_HEADER];
  delete headers[SIGNATURE_HEADER];
  if (!peerIsTrusted(peer, trust)) for (const h of FORWARDING_HEADERS) delete headers[h];
  if (ip) {
    headers[CLIENT_IP_HEADER] = ip;
    headers[SIGNATURE_HEADER] = sign(ip, secret);
  }
  return ip;
}

/** The client address the web server entry vouched for, or null when the request did not pass it. */
export function vouchedClientIp(get: (name: string) => string | null | undefined, secret: string): string | null {
  const ip = get(CLIENT_IP_HEADER);
  const sig = get(SIGNATURE_HEADER);
  if (!ip || !sig) return null;
  const want = Buffer.from(sign(ip, secret));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want) ? ip : null;
}
