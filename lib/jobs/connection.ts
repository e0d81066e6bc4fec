import { Redis } from "ioredis";
import { getEnv } from "@/lib/env";

/** BullMQ needs maxRetriesPerRequest=null on connections used by workers. */
export function createRedis(purpose: "queue" | "worker" | "client" = "client"): Redis {
  return new Redis(getEnv().REDIS_URL, {
    maxRetriesPerRequest: purpose === "worker" ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}
