/**
 * IP addresses as numbers: parsing (IPv4, IPv6, IPv4-mapped IPv6), CIDR ranges, canonical text and
 * the /64 bucket that per-IP limits use for IPv6 (one subscriber usually gets a whole /64, so
 * counting single IPv6 addresses would let one person rotate through 2^64 of them).
 *
 * Pure and dependency-free: the web server entry, route handlers and unit tests share it.
 */
import { isIPv4, isIPv6 } from "node:net";

export interface ParsedIp {
  family: 4 | 6;
  /** The address as an unsigned 32- or 128-bit number. */
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

function v4ToBigint(s: string): bigint {
  return s.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigint(s: string): bigint {
  let text = s;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v = v4ToBigint(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/**
 * Parses one address. IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack socket reports for
 * IPv4 peers) comes back as IPv4, so both spellings of one client count as one. A zone id
 * (`fe80::1%eth0`) is dropped. Anything else (ports, brackets, names) is not an address: null.
 */
export function parseIp(input: string): ParsedIp | null {
  const s = input.trim();
  if (isIPv4(s)) return { family: 4, value: v4ToBigint(s) };
  const noZone = s.includes("%") ? s.slice(0, s.indexOf("%")) : s;
  if (!isIPv6(noZone)) return null;
  const value = v6ToBigint(noZone.toLowerCase());
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/** Canonical text: dotted IPv4, or RFC 5952 IPv6 (lowercase, longest zero run compressed). */
export function formatIp(ip: ParsedIp): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, k) => Number((ip.value >> BigInt(16 * (7 - k))) & 0xffffn));
  let best = { start: -1, len: 0 };
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && groups[end] === 0) end++;
    if (end - k > best.len && end - k >= 2) best = { start: k, len: end - k };
    k = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.len).join(":")}`;
}

/** The canonical text of an address, or null when `input` is not one. */
export function normaliseIp(input: string): string | null {
  const ip = parseIp(input);
  return ip ? formatIp(ip) : null;
}

/**
 * One hop of an X-Forwarded-For list as a canonical address. Proxies write hops as bare
 * addresses, but some add a port (`1.2.3.4:5678`, `[2001:db8::1]:443`) or quotes; those are
 * accepted. `unknown`, obfuscated identifiers and garbage are null.
 */
export function parseHop(token: string): string | null {
  // The same few peers send every request (the socket address, the proxy): parsing one was a tenth
  // of a leaderboard read's CPU. Pure, so kept per token; bounded (cleared when full).
  let hop = hops.get(token);
  if (hop === undefined) {
    hop = parseHopUncached(token);
    if (hops.size >= HOPS_MAX) hops.clear();
    hops.set(token, hop);
  }
  return hop;
}

const HOPS_MAX = 10_000;
const hops = new Map<string, string | null>();

function parseHopUncached(token: string): string | null {
  let s = token.trim().replace(/^"(.*)"$/, "$1");
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d{1,5}$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  return normaliseIp(s);
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128). Null when malformed. */
export function parseCidr(input: string): Cidr | null {
  const [addr, prefixText, ...rest] = input.trim().split("/");
  if (!addr || rest.length > 0) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  // An IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range it maps.
  const mapped = ip.family === 4 && addr.includes(":");
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText) - (mapped ? 96 : 0);
    if (prefix < 0 || prefix > max) return null;
  }
  const bits = BigInt(max - prefix);
  return { family: ip.family, base: (ip.value >> bits) << bits, prefix };
}

export function inCidr(ip: ParsedIp, range: Cidr): boolean {
  if (ip.family !== range.family) return false;
  const bits = BigInt((range.family === 4 ? 32 : 128) - range.prefix);
  return ip.value >> bits === range.base >> bits;
}

/**
 * The key per-IP limits count under: the IPv4 address itself, or the IPv6 /64 it lies in
 * (`2001:db8:1:2::/64`). Non-addresses are returned unchanged (they only ever share a bucket).
 */
export function ipBucket(input: string): string {
  const ip = parseIp(input);
  if (!ip) return input;
  if (ip.family === 4) return formatIp(ip);
  return `${formatIp({ family: 6, value: (ip.value >> 64n) << 64n })}/64`;
}
