/**
 * Starts (or adopts, via DATABASE_URL / REDIS_URL) PostgreSQL and Redis for the local stack.
 */
import path from "node:path";
import { startEmbeddedPostgres } from "@/scripts/launcher/postgres";
import { startRedis } from "@/scripts/launcher/redis";

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startServices(opts: {
  dataDir: string;
  pgPort: number;
  redisPort: number;
  database?: string;
  /** False for throwaway test services: Redis then keeps nothing on disk. */
  persist?: boolean;
  log: (line: string) => void;
}): Promise<Services> {
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl) {
      opts.log(`PostgreSQL: using DATABASE_URL`);
    } else {
      const pg = await startEmbeddedPostgres({
        dataDir: path.join(opts.dataDir, "postgres"),
        port: opts.pgPort,
        database: opts.database ?? "arena",
        log: opts.log,
      });
      stops.push(async () => {
        opts.log("stopping PostgreSQL");
        await pg.stop();
      });
      databaseUrl = pg.url;
      opts.log(`PostgreSQL: embedded on port ${opts.pgPort} (data in ${path.join(opts.dataDir, "postgres")})`);
    }
    let redisUrl = process.env.REDIS_URL;
    if (redisUrl) {
      opts.log(`Redis: using REDIS_URL`);
    } else {
      const r = await startRedis({ dataDir: path.join(opts.dataDir, "redis"), port: opts.redisPort, persist: opts.persist, log: opts.log });
      stops.push(async () => {
        opts.log("stopping Redis");
        await r.stop();
      });
      redisUrl = r.url;
      opts.log(`Redis: local redis-server on port ${opts.redisPort}`);
    }
    return {
      databaseUrl,
      redisUrl,
      stop: async () => {
        for (const s of stops.reverse()) await s().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    throw err;
  }
}
