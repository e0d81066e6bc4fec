/**
 * The counter behind the web tier's rate limits (lib/api/window-counter.ts) on a real
 * redis-server, and its fallback when Redis does not
 * answer in time (writes paused with CLIENT PAUSE): the fallback carries on from the count Redis
 * last gave, so one slow command neither hands out an extra request nor remembers a count that was
 * cleared in Redis meanwhile.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { Redis } from "ioredis";
import { requireEnv } from "@/tests/support/env";

import { windowCounter } from "@/lib/api/window-counter";

const DEADLINE_MS = 250;
const LIMIT = 5;
const admin = new Redis(requireEnv("REDIS_URL"));
const conn = new Redis(requireEnv("REDIS_URL"), { commandTimeout: DEADLINE_MS, maxRetriesPerRequest: 1 });
const warnings: string[] = [];
const counter = windowCounter(() => conn, 60, (w) => warnings.push(w));
const window = Math.floor(Date.now() / 60_000);

before(async () => {
  await conn.ping();
});

after(async () => {
  await admin.call("CLIENT", "UNPAUSE");
  await admin.quit();
  conn.disconnect();
});

async function allowed(key: string): Promise<boolean> {
  const [n] = await counter.count([key], window);
  return n! <= LIMIT;
}

/** Runs `fn` while Redis holds every write for longer than the request deadline. */
async function withWritesPaused<T>(fn: () => Promise<T>): Promise<T> {
  const ms = DEADLINE_MS * 4;
  await admin.call("CLIENT", "PAUSE", String(ms), "WRITE");
  try {
    return await fn();
  } finally {
    await admin.call("CLIENT", "UNPAUSE");
  }
}

test("a slow Redis does not hand out one request over the limit", async () => {
  const key = `test:rl:${randomUUID()}`;
  for (let k = 1; k < LIMIT; k++) assert.ok(await allowed(key), `request ${k}`);
  // The last allowed request and the first refused one are decided without Redis.
  assert.ok(await withWritesPaused(() => allowed(key)), "the last request within the limit");
  assert.equal(await withWritesPaused(() => allowed(key)), false, "the first over the limit");
  assert.equal(warnings.length, 1, "the fallback is reported once");
});

test("a count cleared in Redis is not remembered by the fallback", async () => {
  const key = `test:rl:${randomUUID()}`;
  for (let k = 0; k < LIMIT; k++) assert.ok(await allowed(key));
  assert.equal(await allowed(key), false);
  assert.equal(await admin.del(key), 1);
  assert.ok(await allowed(key), "Redis counts from zero again");
  assert.ok(await withWritesPaused(() => allowed(key)), "and so does the fallback");
  assert.equal(Number(await admin.get(key)), 2, "the write held during the pause still lands");
  await admin.del(key);
});

test("with several web processes, each counts a fallback request for all of them", async () => {
  // Two processes share a port: while Redis is away each sees about half of a client's requests,
  // so each counts one as two, and together they let through no more than the limit.
  const processes = 2;
  const mine = windowCounter(() => conn, 60, () => undefined, () => processes);
  const key = `test:rl:${randomUUID()}`;
  const [first] = await mine.count([key], window);
  assert.equal(first, 1, "Redis answers: one request is one");
  const counts = await withWritesPaused(async () => [(await mine.count([key], window))[0], (await mine.count([key], window))[0]]);
  assert.deepEqual(counts, [1 + processes, 1 + 2 * processes], "from the count Redis gave, each request counts for every process");
  await admin.del(key);
});

test("a fresh process's first requests are counted in Redis, not by the fallback", async () => {
  // The request connection of a web process is opened by its first request; with no offline
  // queue its first commands used to fail at once ("Stream isn't writeable") and fall back.
  const { requestRedisReady, closeRedis } = await import("@/lib/redis");
  await closeRedis();
  const fresh: string[] = [];
  const first = windowCounter(requestRedisReady, 60, (w) => fresh.push(w));
  const key = `test:rl:${randomUUID()}`;
  assert.deepEqual(await first.count([key], window), [1]);
  assert.equal(await admin.get(key), "1", "the count is in Redis");
  assert.deepEqual(fresh, []);
  await closeRedis();
});
