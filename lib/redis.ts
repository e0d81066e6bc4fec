/**
 * One home for Redis connections: every module that talks to Redis (queues, rate limits, the
 * sign-in throttle, health, run locks, the provider limiter, the launcher's report) uses these.
 *
 * Two shared connections per process, by how a caller must behave when Redis is slow or down:
 * - `redis()`: background work. Commands queue while disconnected and are retried.
 * - `requestRedis()`: a web request's path. A command that gets no answer within
 *   REDIS_REQUEST_TIMEOUT_MS fails (a paused or hung Redis must not hang voting); nothing is
 *   queued while disconnected; the caller decides how to go on without Redis.
 * BullMQ workers block on their connection, so each gets its own from `workerConnection()`
 * (maxRetriesPerRequest null, as BullMQ requires), closed by its owner.
 */
import { Redis } from "ioredis";
import { getEnv } from "@/lib/env";

// On globalThis so that Next's dev server, which re-evaluates modules, keeps one of each.
const shared = globalThis as unknown as { __arenaRedis?: Redis; __arenaRequestRedis?: Redis };

export function redis(): Redis {
  shared.__arenaRedis ??= new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
  return shared.__arenaRedis;
}

export function requestRedis(): Redis {
  const env = getEnv();
  shared.__arenaRequestRedis ??= new Redis(env.REDIS_URL, {
    commandTimeout: env.REDIS_REQUEST_TIMEOUT_MS,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // Reconnect quickly after an outage; ioredis keeps trying in the background.
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
  return shared.__arenaRequestRedis;
}

const everReady = new WeakSet<Redis>();

/**
 * `requestRedis()` once its first connection is up, waiting at most REDIS_REQUEST_TIMEOUT_MS for
 * it. A fresh web process opens the connection on its first request; with the offline queue off,
 * that request's commands failed at once ("Stream isn't writeable") and its rate limits were
 * counted without Redis. Only the first connection is waited for: during an outage (reconnecting)
 * commands fail fast as documented above.
 */
export async function requestRedisReady(): Promise<Redis> {
  const client = requestRedis();
  if (client.status === "ready") everReady.add(client);
  if (everReady.has(client)) return client;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, getEnv().REDIS_REQUEST_TIMEOUT_MS);
    client.once("ready", done);
  });
  if (client.status === "ready") everReady.add(client);
  return client;
}

export function workerConnection(): Redis {
  return new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: null, enableOfflineQueue: true });
}

/** Closes the shared connections (a later call to redis() opens a new one). */
export async function closeRedis(): Promise<void> {
  const open = [shared.__arenaRedis, shared.__arenaRequestRedis];
  shared.__arenaRedis = undefined;
  shared.__arenaRequestRedis = undefined;
  await Promise.all(open.map((c) => c?.quit().catch(() => c.disconnect())));
}
