/**
 * The Redis rate limiter on a real redis-server: two limiters on two connections (two worker
 * processes) share one budget, tokens are corrected after the call, and keys expire.
 */
import assert from "node:assert/strict";
import { after, it } from "node:test";
import { Redis } from "ioredis";
import { requireEnv } from "../support/env";
import { redisRateLimiter } from "@/lib/providers/call-budget";

const url = requireEnv("REDIS_URL");
const prefix = `test:ratelimit:${process.pid}:`;
const connA = new Redis(url);
const connB = new Redis(url);
const a = redisRateLimiter(connA, { windowMs: 500, prefix, ownsConnection: true });
const b = redisRateLimiter(connB, { windowMs: 500, prefix, ownsConnection: true });
const inspect = new Redis(url);

after(async () => {
  await Promise.all([a.close(), b.close(), inspect.quit()]);
});

it("shares one requests-per-minute budget between processes", async () => {
  const bucket = [{ key: "shared", rpm: 4, tpm: 0 }];
  // Connected first: under a loaded CI machine the first connect alone can take ~100 ms.
  await Promise.all([connA.ping(), connB.ping()]);
  const t0 = Date.now();
  const at: number[] = [];
  for (const limiter of [a, b, a, b, a, b]) {
    await limiter.acquire(bucket, 1);
    at.push(Date.now() - t0);
  }
  for (const ms of at.slice(0, 4)) assert.ok(ms < 60, `burst call at ${ms} ms`);
  assert.ok(at[4]! >= 100, `5th at ${at[4]} ms, expected ~125`);
  assert.ok(at[5]! >= 225, `6th at ${at[5]} ms, expected ~250`);
});

it("corrects token reservations and lets keys expire", async () => {
  const bucket = [{ key: "tokens", rpm: 0, tpm: 1000 }];
  const r = await a.acquire(bucket, 900);
  await r.settle(100);
  const t0 = Date.now();
  await b.acquire(bucket, 800); // fits only because the first call gave 800 back
  assert.ok(Date.now() - t0 < 60, `waited ${Date.now() - t0} ms`);
  const ttl = await inspect.pttl(`${prefix}tokens:tok`);
  assert.ok(ttl > 0 && ttl <= 1500, `ttl ${ttl}`);
});
