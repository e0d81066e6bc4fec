/**
 * `npm test`: the whole suite against real services.
 * Starts a throwaway embedded PostgreSQL and redis-server (fresh data each run, own ports), and
 * S3Proxy (a real S3-compatible store, TEST_S3_PORT; TEST_S3_SERVER=seaweedfs for SeaweedFS) when a
 * selected suite uses it,
 * makes sure Blender, bubblewrap and Chromium are installed, migrates, and runs unit, integration
 * and end-to-end tests in one `node --test` run. Pass file paths or globs to run a subset.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureAptPackages } from "@/scripts/launcher/apt";
import { prismaGenerate } from "@/scripts/launcher/build";
import { startServices } from "@/scripts/launcher/services";
import { ensureBlender } from "@/scripts/launcher/blender";
import { migrate } from "@/lib/db/migrate";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const say = (l: string) => console.log(`› ${l}`);

async function main(): Promise<number> {
  process.chdir(root);
  const dataDir = path.join(root, ".data/test");
  ensureAptPackages(
    [
      { command: "redis-server", pkg: "redis-server" },
      { command: "bwrap", pkg: "bubblewrap" },
      { command: "chromium", pkg: "chromium" },
    ],
    say,
  );
  const blender = await ensureBlender(root, say);
  say(`Blender ${blender.version} (${blender.describe})`);
  await prismaGenerate(root);

  // Tests never touch the developer's data: own folder, own ports, wiped first. Two runs at once
  // would wipe each other's services, so the second one stops here.
  const release = acquireLock(path.join(root, ".data/test.lock"));
  process.on("exit", release);
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  for (const k of Object.keys(process.env)) if (k.startsWith("ASSET_")) delete process.env[k];
  // Arguments starting with "--" go to node's test runner (e.g. --test-name-pattern=synced).
  const args = process.argv.slice(2);
  const flags = args.filter((a) => a.startsWith("--"));
  const files = args.filter((a) => !a.startsWith("--"));
  // Node 20's test runner does not expand globs: list the files, fastest suites first.
  const targets = files.length ? files : ["unit", "integration", "e2e"].flatMap((d) => testFiles(path.join("tests", d)));
  // A JVM (or SeaweedFS, built from source on first use) only for suites that use the S3 store,
  // which say so with requireEnv("ASSET_S3_ENDPOINT") (the deploy test merely names the variable).
  const needsS3 = targets.some((f) => existsSync(f) && readFileSync(f, "utf8").includes('requireEnv("ASSET_S3_ENDPOINT")'));
  const s3Server = process.env.TEST_S3_SERVER ?? "s3proxy";
  if (s3Server !== "s3proxy" && s3Server !== "seaweedfs") throw new Error(`TEST_S3_SERVER must be s3proxy (default) or seaweedfs, not "${s3Server}"`);
  const services = await startServices({
    dataDir,
    pgPort: Number(process.env.TEST_PG_PORT ?? 54339),
    redisPort: Number(process.env.TEST_REDIS_PORT ?? 6399),
    persist: false,
    s3: needsS3 ? { port: Number(process.env.TEST_S3_PORT ?? 8333), bucket: "arena-test", root, server: s3Server } : undefined,
    log: say,
  });
  try {
    await migrate(services.databaseUrl, path.join(root, "prisma/migrations"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "test",
      ARENA_ROOT: root,
      ARENA_DATA_DIR: dataDir,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      // The store's address and credentials only: suites run on local disk (ASSET_STORE unset)
      // unless they switch to S3 themselves (tests/integration/pipeline-s3.test.ts).
      ...(services.s3?.env ?? {}),
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123456789",
      BLENDER_VENV: blender.venv ?? "",
      ...(blender.binary ? { BLENDER: blender.binary } : {}),
      // Most suites need a reference, not its quality: preview-profile references keep them quick.
      // tests/integration/reference-views.test.ts renders one with the benchmark profile itself.
      REFERENCE_PROFILE: process.env.REFERENCE_PROFILE ?? "preview",
      // Display views at the smallest size they are made at, one sample: their checks, not their looks.
      DISPLAY_PROFILE: process.env.DISPLAY_PROFILE ?? "fast",
      RATINGS_BOOTSTRAP_ROUNDS: "200",
      RATINGS_DEBOUNCE_MS: "300",
      // Suites wait for the board after each vote; the spacing under load has its unit tests.
      RATINGS_MIN_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
    };
    say(`running ${targets.join(" ")}`);
    return await new Promise<number>((resolve) => {
      // One file at a time: integration and e2e tests share the database and the CPU.
      const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...flags, ...targets], {
        cwd: root,
        env,
        stdio: "inherit",
      });
      child.on("exit", (code) => resolve(code ?? 1));
    });
  } finally {
    await services.stop();
  }
}

function acquireLock(file: string): () => void {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, String(process.pid), { flag: "wx" });
  } catch {
    const pid = Number(readFileSync(file, "utf8"));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      /* stale lock */
    }
    if (alive && pid !== process.pid) throw new Error(`Another \`npm test\` is running (pid ${pid}); wait for it to finish.`);
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : []))
    .sort();
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`\n✖ ${err.message}`);
    process.exit(1);
  },
);
