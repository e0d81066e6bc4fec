/**
 * The in-process rate limiter: a minute's budget may go at once, then calls wait for the refill;
 * token reservations are corrected by real usage; budgets are independent. (The Redis variant
 * runs the same checks in tests/integration/provider-rate-limit.test.ts.)
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { memoryRateLimiter } from "@/lib/providers/call-budget";

/** Milliseconds each acquire resolved at, from the first call. */
async function timings(n: number, acquire: () => Promise<unknown>): Promise<number[]> {
  const t0 = Date.now();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await acquire();
    out.push(Date.now() - t0);
  }
  return out;
}

it("lets a window's requests through, then spaces the rest at the refill rate", async () => {
  const limiter = memoryRateLimiter({ windowMs: 500 });
  const t = await timings(7, () => limiter.acquire([{ key: "a", rpm: 5, tpm: 0 }], 10));
  for (const ms of t.slice(0, 5)) assert.ok(ms < 50, `burst call at ${ms} ms`);
  assert.ok(t[5]! >= 90 && t[5]! < 250, `6th at ${t[5]} ms, expected ~100`);
  assert.ok(t[6]! >= 190 && t[6]! < 400, `7th at ${t[6]} ms, expected ~200`);
});

it("waits for tokens and corrects the reservation with real usage", async () => {
  const limiter = memoryRateLimiter({ windowMs: 500 });
  const bucket = [{ key: "t", rpm: 0, tpm: 1000 }];
  await limiter.acquire(bucket, 600);
  let t0 = Date.now();
  await limiter.acquire(bucket, 600); // 1200 > 1000: waits ~ 200/1000 of the window
  assert.ok(Date.now() - t0 >= 90, `waited ${Date.now() - t0} ms`);

  const fresh = memoryRateLimiter({ windowMs: 500 });
  const r = await fresh.acquire(bucket, 600);
  await r.settle(100); // the call used far less than reserved
  t0 = Date.now();
  await fresh.acquire(bucket, 600);
  assert.ok(Date.now() - t0 < 40, `waited ${Date.now() - t0} ms after the refund`);
});

it("admits a call larger than the whole budget once the bucket is full, and keeps buckets apart", async () => {
  const limiter = memoryRateLimiter({ windowMs: 300 });
  const t0 = Date.now();
  await limiter.acquire([{ key: "big", rpm: 0, tpm: 100 }], 1000);
  await limiter.acquire([{ key: "other", rpm: 1, tpm: 0 }], 1);
  assert.ok(Date.now() - t0 < 40);
  await limiter.acquire([{ key: "unlimited", rpm: 0, tpm: 0 }], 1e9);
});

it("stops waiting when aborted", async () => {
  const limiter = memoryRateLimiter({ windowMs: 60_000 });
  const b = [{ key: "x", rpm: 1, tpm: 0 }];
  await limiter.acquire(b, 1);
  await assert.rejects(limiter.acquire(b, 1, AbortSignal.timeout(50)), { name: "TimeoutError" });
});
