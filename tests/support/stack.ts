/**
 * Runs the real one-command launcher (`node scripts/bootstrap.mjs up`) against the test services,
 * and a tiny cookie-keeping HTTP client for API tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";

/**
 * Suites share one Redis and run one after another from the same address: per-IP counters one
 * suite left (dozens of new voters a minute allowed by its own env, failed sign-ins of a throttle
 * test) would rate-limit the next suite's first requests. Each stack clears them when it stops.
 */
async function clearRateLimits(): Promise<void> {
  if (!process.env.REDIS_URL) return;
  const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const pattern of ["arena:rl:*", "arena:throttle:*"]) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
}

export interface Launched {
  url: string;
  output: () => string;
  /** Resolves with the launcher's line that matched, or rejects with its output on timeout/exit. */
  waitFor: (re: RegExp, timeoutMs: number) => Promise<string>;
  stop: () => Promise<number | null>;
  child: ChildProcess;
}

export function launch(env: Record<string, string>): Launched {
  const child = spawn(process.execPath, ["scripts/bootstrap.mjs", "up"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    url: `http://localhost:${env.PORT}`,
    child,
    output: () => out,
    waitFor: (re, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = out.split("\n").find((l) => re.test(l));
          if (m !== undefined) {
            cleanup();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${re}; launcher output:\n${out.slice(-6000)}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`launcher exited while waiting for ${re}; output:\n${out.slice(-6000)}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await exited;
      await clearRateLimits();
      return code;
    },
  };
}

/** fetch with a cookie jar, like one browser. */
export class Client {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  /** GET with this client's cookies, answering the raw bytes (GLBs, PNGs). */
  async bytes(path: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(this.base + path, { headers });
    return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
  }

  async request(method: string, path: string, body?: unknown, raw?: string, extra: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
    const headers: Record<string, string> = { ...extra };
    if ((body !== undefined || raw !== undefined) && !headers["content-type"]) headers["content-type"] = "application/json";
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(this.base + path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  }
}
