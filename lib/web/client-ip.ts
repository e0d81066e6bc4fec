/**
 * Who is the client? The socket peer, unless that peer is a proxy we were told to trust
 * (TRUSTED_PROXIES), in which case the rightmost X-Forwarded-For hop that is not one of our
 * proxies. Everything left of that hop was written by the client and proves nothing; taking the
 * first hop (as this project once did) let anyone choose their IP with a header.
 */
import { inCidr, parseCidr, parseHop, parseIp, type Cidr } from "./ip";

export type ProxyTrust = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "cidrs"; cidrs: Cidr[]; text: string };

export class TrustedProxiesError extends Error {}

/**
 * TRUSTED_PROXIES: empty (default: trust no one, use the socket address), a hop count (`1`: one
 * reverse proxy in front, whatever its address), or comma-separated CIDRs / addresses of the
 * proxies (`10.0.0.0/8, ::1`). `loopback` stands for 127.0.0.0/8 and ::1.
 */
export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  const text = (value ?? "").trim();
  if (!text || text === "0") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 20) throw new TrustedProxiesError(`TRUSTED_PROXIES: ${hops} proxy hops is not plausible (at most 20).`);
    return { kind: "hops", hops };
  }
  const cidrs: Cidr[] = [];
  for (const item of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const items = item === "loopback" ? ["127.0.0.0/8", "::1"] : [item];
    for (const one of items) {
      const c = parseCidr(one);
      if (!c) throw new TrustedProxiesError(`TRUSTED_PROXIES: "${one}" is not an IP address, a CIDR range or a hop count.`);
      cidrs.push(c);
    }
  }
  return { kind: "cidrs", cidrs, text };
}

/** Whether the socket peer itself is one of our proxies (then its forwarding headers count). */
export function peerIsTrusted(peer: string | undefined, trust: ProxyTrust): boolean {
  if (trust.kind === "none") return false;
  if (trust.kind === "hops") return trust.hops > 0;
  const ip = peer ? parseIp(peer) : null;
  return !!ip && trust.cidrs.some((c) => inCidr(ip, c));
}

/**
 * The client address: canonical text (IPv4-mapped IPv6 as IPv4), or null when the socket has no
 * address. `forwardedFor` is the X-Forwarded-For header as received (Node joins repeated headers
 * with ", ", which is the same list).
 *
 * A hop that is not an address (garbage, "unknown") where we need one yields the address of the
 * trusted proxy that handed it to us: all such clients share that one bucket, so garbage cannot be
 * used to pick fresh ones.
 */
export function selectClientIp(opts: { peer: string | undefined; forwardedFor: string | undefined; trust: ProxyTrust }): string | null {
  const peer = opts.peer ? parseHop(opts.peer) : null;
  if (!peer || !peerIsTrusted(peer, opts.trust)) return peer;
  const hops = (opts.forwardedFor ?? "").split(",").filter((h) => h.trim() !== "").map(parseHop);
  const chain = [...hops, peer];
  if (opts.trust.kind === "hops") {
    const start = Math.max(0, chain.length - 1 - opts.trust.hops);
    for (let k = start; k < chain.length; k++) if (chain[k]) return chain[k]!;
    return peer;
  }
  const cidrs = opts.trust.kind === "cidrs" ? opts.trust.cidrs : [];
  for (let k = chain.length - 1; k >= 0; k--) {
    const hop = chain[k];
    if (!hop) return chain[k + 1]!;
    const ip = parseIp(hop)!;
    if (!cidrs.some((c) => inCidr(ip, c))) return hop;
  }
  // Every hop is one of our proxies: the request started inside; the leftmost is the origin.
  return chain[0]!;
}
