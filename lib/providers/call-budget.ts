/**
 * The model providers' call budgets (not to be confused with lib/api/rate-limit.ts, which refuses
 * web requests over a limit): requests and tokens per minute per provider account.
 *
 * Requests-per-minute and tokens-per-minute budgets that make calls wait (never fail). Each budget
 * is a GCRA bucket (the "generic cell rate algorithm", a token bucket stored as one timestamp):
 * up to a minute's budget may go at once, then calls are spaced at the refill rate, which is how
 * the vendors themselves replenish limits. A call takes a request and its estimated tokens
 * (prompt/4 + max output) up front and corrects the tokens with the real usage afterwards.
 *
 * Two stores: Redis, so every worker process shares one budget, and memory, for unit tests.
 */
import type { Redis } from "ioredis";
import { sleep } from "./retry";

/** One budget: the provider account, or a model with its own rpm/tpm. 0 = unlimited. */
export interface Bucket {
  key: string;
  rpm: number;
  tpm: number;
}

export interface Reservation {
  /** Replaces the estimated tokens with the ones the call really used. */
  settle(actualTokens: number): Promise<void>;
}

export interface RateLimiter {
  /** Resolves once every bucket has room for one request of `tokens`. */
  acquire(buckets: Bucket[], tokens: number, signal?: AbortSignal): Promise<Reservation>;
  close(): Promise<void>;
}

/** A bucket dimension: its key and what one use costs, in milliseconds of refill time. */
interface Cell {
  key: string;
  costMs: number;
}

/** The only thing that differs between stores: atomically take all cells, or say how long to wait. */
interface GcraStore {
  /** 0 when taken; otherwise milliseconds until it could be. */
  take(cells: Cell[], windowMs: number): Promise<number>;
  /** Moves a bucket's timestamp by `deltaMs` (negative = refund). */
  adjust(key: string, deltaMs: number, windowMs: number): Promise<void>;
}

/**
 * One GCRA step: `tat` is when the bucket is next completely full. A use is allowed when, after
 * adding its cost, the bucket is at most one window (or one oversize use) ahead of now.
 */
function gcra(tat: number, now: number, costMs: number, windowMs: number): { next: number; waitMs: number } {
  const next = Math.max(tat, now) + costMs;
  return { next, waitMs: Math.max(0, next - now - Math.max(windowMs, costMs)) };
}

function limiter(store: GcraStore, windowMs: number, close: () => Promise<void>): RateLimiter {
  return {
    close,
    async acquire(buckets, tokens, signal) {
      const cells: Cell[] = [];
      for (const b of buckets) {
        if (b.rpm > 0) cells.push({ key: `${b.key}:req`, costMs: windowMs / b.rpm });
        if (b.tpm > 0) cells.push({ key: `${b.key}:tok`, costMs: (tokens * windowMs) / b.tpm });
      }
      for (;;) {
        const wait = cells.length ? await store.take(cells, windowMs) : 0;
        if (wait <= 0) break;
        await sleep(wait, signal);
      }
      return {
        async settle(actual) {
          for (const b of buckets) {
            if (b.tpm > 0 && actual !== tokens) await store.adjust(`${b.key}:tok`, ((actual - tokens) * windowMs) / b.tpm, windowMs);
          }
        },
      };
    },
  };
}

/** Per-process budget: enough for one worker, and for unit tests. */
export function memoryRateLimiter(opts: { windowMs?: number } = {}): RateLimiter {
  const tats = new Map<string, number>();
  const store: GcraStore = {
    async take(cells, windowMs) {
      const now = Date.now();
      const steps = cells.map((c) => gcra(tats.get(c.key) ?? 0, now, c.costMs, windowMs));
      const wait = Math.max(...steps.map((s) => s.waitMs));
      if (wait > 0) return wait;
      cells.forEach((c, i) => tats.set(c.key, steps[i]!.next));
      return 0;
    },
    async adjust(key, deltaMs) {
      tats.set(key, Math.max(tats.get(key) ?? 0, Date.now()) + deltaMs);
    },
  };
  return limiter(store, opts.windowMs ?? 60_000, async () => {});
}

// The same GCRA step in Lua, on Redis's clock so workers on different hosts agree on "now".
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[1])
local wait, nexts = 0, {}
for i, key in ipairs(KEYS) do
  local cost = tonumber(ARGV[i + 1])
  local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)
  nexts[i] = tat + cost
  wait = math.max(wait, nexts[i] - now - math.max(window, cost))
end
if wait > 0 then return math.ceil(wait) end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, string.format('%.3f', nexts[i]), 'PX', math.ceil(nexts[i] - now + window))
end
return 0`;

const ADJUST = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nextTat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now) + tonumber(ARGV[1])
if nextTat > now then
  redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now + tonumber(ARGV[2])))
end
return 0`;

/** Budget shared through Redis by every process using the same `prefix`. */
export function redisRateLimiter(redis: Redis, opts: { windowMs?: number; prefix?: string; ownsConnection?: boolean } = {}): RateLimiter {
  const prefix = opts.prefix ?? "arena:ratelimit:";
  const store: GcraStore = {
    async take(cells, windowMs) {
      const keys = cells.map((c) => prefix + c.key);
      return Number(await redis.eval(TAKE, keys.length, ...keys, windowMs, ...cells.map((c) => c.costMs)));
    },
    async adjust(key, deltaMs, windowMs) {
      await redis.eval(ADJUST, 1, prefix + key, deltaMs, windowMs);
    },
  };
  return limiter(store, opts.windowMs ?? 60_000, async () => {
    if (opts.ownsConnection) await redis.quit();
  });
}
