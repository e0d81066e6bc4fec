/**
 * Starts (or adopts, via DATABASE_URL / REDIS_URL) PostgreSQL and Redis for the local stack, and
 * on request a local S3-compatible store (S3Proxy, or SeaweedFS) for ASSET_STORE=s3.
 */
import path from "node:path";
import { startEmbeddedPostgres } from "@/scripts/launcher/postgres";
import { startRedis } from "@/scripts/launcher/redis";
import { startS3proxy, type RunningS3 } from "@/scripts/launcher/s3proxy";
import { startSeaweedfs } from "@/scripts/launcher/seaweedfs";

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  /** Present when asked for with `s3`. */
  s3?: RunningS3;
  stop(): Promise<void>;
}

export async function startServices(opts: {
  dataDir: string;
  pgPort: number;
  redisPort: number;
  database?: string;
  /** False for throwaway test services: Redis then keeps nothing on disk. */
  persist?: boolean;
  /** Also start an S3 server on this port (data in <dataDir>/s3) with this bucket. */
  s3?: { port: number; bucket: string; root: string; server: "s3proxy" | "seaweedfs" };
  /** PostgreSQL settings for this start (scripts/launcher/postgres.ts). */
  pgSettings?: Record<string, string>;
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
        settings: opts.pgSettings,
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
    let s3: RunningS3 | undefined;
    if (opts.s3) {
      const o = { root: opts.s3.root, dataDir: path.join(opts.dataDir, "s3"), port: opts.s3.port, bucket: opts.s3.bucket, log: opts.log };
      s3 = opts.s3.server === "seaweedfs" ? await startSeaweedfs(o) : await startS3proxy(o);
      const running = s3;
      const name = opts.s3.server === "seaweedfs" ? "SeaweedFS" : "S3Proxy";
      stops.push(async () => {
        opts.log(`stopping ${name}`);
        await running.stop();
      });
    }
    return {
      databaseUrl,
      redisUrl,
      s3,
      stop: async () => {
        for (const s of stops.reverse()) await s().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    throw err;
  }
}
