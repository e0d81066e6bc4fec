/**
 * A throwaway stack for the load benches (bench:votes, bench:arena): fresh PostgreSQL and Redis in
 * .data/<name>, migrated, then the launcher (`npm run up`) with a two-category preview baseline
 * sweep, waited for until it says "ready". `stop()` ends the launcher, then the services (they are
 * this process's children, not the launcher's).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServices } from "@/scripts/launcher/services";
import { migrate } from "@/lib/db/migrate";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface BenchStack {
  base: URL;
  databaseUrl: string;
  stop: () => Promise<void>;
}

export async function freshBenchStack(opts: {
  name: string;
  port: number;
  pgPort: number;
  redisPort: number;
  env?: Record<string, string>;
  pgSettings?: Record<string, string>;
}): Promise<BenchStack> {
  const dataDir = path.join(root, ".data", opts.name);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const services = await startServices({ dataDir, pgPort: opts.pgPort, redisPort: opts.redisPort, persist: false, pgSettings: opts.pgSettings, log: (l) => console.log(`› ${l}`) });
  await migrate(services.databaseUrl, path.join(root, "prisma/migrations"));
  const child: ChildProcess = spawn(process.execPath, ["scripts/bootstrap.mjs", "up"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      ARENA_DATA_DIR: dataDir,
      PORT: String(opts.port),
      ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
      RENDER_PROFILE: "preview",
      LOG_LEVEL: "warn",
      ...opts.env,
    },
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20 * 60_000;
  while (!/ready: open/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      // Leave nothing running: the services are this process's children, not the launcher's.
      if (child.exitCode === null) child.kill("SIGTERM");
      await services.stop();
      throw new Error(`the stack did not start:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`› stack ready on port ${opts.port}`);
  return {
    base: new URL(`http://127.0.0.1:${opts.port}`),
    databaseUrl: services.databaseUrl,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await services.stop();
    },
  };
}
