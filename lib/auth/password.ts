/**
 * Password hashing for the offline email + password sign-in: scrypt at OWASP's current minimum
 * (Password Storage Cheat Sheet: N=2^17, r=8, p=1), parameters stored in the hash so they can be
 * raised later: `scrypt$ln=17,r=8,p=1$<salt>$<key>`. Hashes from before (`scrypt$<salt>$<key>`,
 * N=2^14) still verify and report `rehash`, so sign-in upgrades them.
 *
 * One hash takes ~128 MiB and ~0.4 s of one core here. At most two run at once per process, so a
 * burst of sign-ins queues instead of exhausting memory or the libuv pool that file I/O shares.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

interface Params {
  ln: number;
  r: number;
  p: number;
}

export const CURRENT: Params = { ln: 17, r: 8, p: 1 };
const LEGACY: Params = { ln: 14, r: 8, p: 1 };
const KEYLEN = 32;
const MAX_CONCURRENT = 2;

function scrypt(password: string, salt: Buffer, keylen: number, params: Params): Promise<Buffer> {
  // Node refuses scrypt above 32 MiB unless maxmem says otherwise; 128 * N * r bytes plus slack.
  const options: ScryptOptions = { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: 128 * 2 ** params.ln * params.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await limited(() => scrypt(password, salt, KEYLEN, CURRENT));
  return `scrypt$ln=${CURRENT.ln},r=${CURRENT.r},p=${CURRENT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

interface Stored {
  params: Params;
  salt: Buffer;
  key: Buffer;
}

/** Stored parameters are bounded: a tampered row must not make one sign-in cost gigabytes. */
function parse(stored: string | null): Stored | null {
  const parts = (stored ?? "").split("$");
  if (parts[0] !== "scrypt") return null;
  if (parts.length === 3) return { params: LEGACY, salt: Buffer.from(parts[1]!, "base64url"), key: Buffer.from(parts[2]!, "base64url") };
  if (parts.length !== 4) return null;
  const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d)$/.exec(parts[1]!);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 14 || params.ln > 20 || params.r < 1 || params.r > 16 || params.p < 1 || params.p > 4) return null;
  const key = Buffer.from(parts[3]!, "base64url");
  if (key.length < 16 || key.length > 64) return null;
  return { params, salt: Buffer.from(parts[2]!, "base64url"), key };
}

export interface Verified {
  ok: boolean;
  /** The hash uses weaker parameters than today's: store a fresh one now that we know the password. */
  rehash: boolean;
}

export async function verifyPassword(password: string, stored: string | null): Promise<Verified> {
  const s = parse(stored);
  if (!s) {
    // Same work as a real check, so "no password" does not answer faster than "wrong password".
    await burnPasswordCheck(password);
    return { ok: false, rehash: false };
  }
  const actual = await limited(() => scrypt(password, s.salt, s.key.length, s.params));
  const ok = timingSafeEqual(actual, s.key);
  const p = s.params;
  return { ok, rehash: ok && (p.ln < CURRENT.ln || p.r < CURRENT.r || p.p < CURRENT.p) };
}

const DUMMY_SALT = randomBytes(16);

/** A full-cost hash whose result is thrown away: for unknown accounts, so their answer takes as long. */
export async function burnPasswordCheck(password: string): Promise<void> {
  await limited(() => scrypt(password, DUMMY_SALT, KEYLEN, CURRENT));
}
