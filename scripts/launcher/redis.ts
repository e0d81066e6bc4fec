/**
 * A project-local redis-server for BullMQ, on its own port and data folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import { ensureAptPackages } from "@/scripts/launcher/apt";
import { stopChild } from "@/scripts/launcher/stop-child";

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" }, () => sock.write("PING\r\n"));
    sock.setTimeout(500);
    sock.on("data", (d) => {
      resolve(d.toString().startsWith("+PONG"));
      sock.destroy();
    });
    sock.on("error", () => resolve(false));
    sock.on("timeout", () => {
      resolve(false);
      sock.destroy();
    });
  });
}

/** A previous launcher that was killed leaves its redis-server running: recognise it by its dir. */
async function shutdownIfOurs(port: number, dataDir: string): Promise<boolean> {
  const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const [, dir] = (await client.config("GET", "dir")) as string[];
    if (path.resolve(dir ?? "") !== path.resolve(dataDir)) return false;
    await client.call("SHUTDOWN", "SAVE").catch(() => undefined);
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
  const deadline = Date.now() + 5000;
  while ((await ping(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !(await ping(port));
}

export async function startRedis(opts: { dataDir: string; port: number; persist?: boolean; log?: (l: string) => void }): Promise<RunningRedis> {
  const log = opts.log ?? (() => undefined);
  ensureAptPackages([{ command: "redis-server", pkg: "redis-server" }], log);
  await mkdir(opts.dataDir, { recursive: true });
  if (await ping(opts.port)) {
    if (!(await shutdownIfOurs(opts.port, opts.dataDir))) {
      throw new Error(`Something already answers on port ${opts.port}; stop it or set REDIS_PORT / REDIS_URL.`);
    }
    log(`stopped a redis-server left over from an earlier run on port ${opts.port}`);
  }
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port", String(opts.port),
      "--bind", "127.0.0.1",
      "--dir", opts.dataDir,
      "--save", opts.persist === false ? "" : "60 1",
      "--appendonly", "no",
      // BullMQ requires that Redis never evicts its keys.
      "--maxmemory-policy", "noeviction",
      "--daemonize", "no",
      "--logfile", "",
    ],
    // Own process group: a terminal's Ctrl-C reaches the launcher, which stops Redis after the workers.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await ping(opts.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server failed to start on port ${opts.port}: ${stderr.trim() || "no output"}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${opts.port}`,
    // Redis refuses SIGTERM while it cannot write its snapshot; never hang on it.
    stop: () => stopChild(child, 5_000),
  };
}
