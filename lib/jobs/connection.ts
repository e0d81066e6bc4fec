import { Redis } from "ioredis";
import { getEnv } from "@/lib/env";

/**
 * - "worker": BullMQ workers need maxRetriesPerRequest=null (blocking commands wait forever).
 * - "queue" / "client": background work; commands queue while disconnected and retry.
 * - "request": anything on a web request's path (rate limits, throttles). A command that gets no
 *   answer within REDIS_REQUEST_TIMEOUT_MS fails (a paused or hung Redis must not hang voting);
 *   nothing is queued while disconnected; the caller decides how to go on without Redis.
 */
export function createRedis(purpose: "queue" | "worker" | "client" | "request" = "client"): Redis {
  const env = getEnv();
  if (purpose === "request") {
    return new Redis(env.REDIS_URL, {
      commandTimeout: env.REDIS_REQUEST_TIMEOUT_MS,
      connectTimeout: 1000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: false,
      // Reconnect quickly after an outage; ioredis keeps trying in the background.
      retryStrategy: (times) => Math.min(200 * times, 2000),
    });
  }
  return new Redis(env.REDIS_URL, {
    maxRetriesPerRequest: purpose === "worker" ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}
