/**
 * The web tier's entry (npm run up, the Docker image): Next's request handler behind a small Node
 * HTTP server, because only this layer sees the socket. Route handlers cannot, and `next start`
 * sets X-Forwarded-For only when the client did not send one, so the client could choose its IP.
 *
 * Per request, before Next sees it (lib/web/forwarded.ts): the client address is computed from
 * the socket and TRUSTED_PROXIES (rightmost untrusted X-Forwarded-For hop), forwarding headers
 * from untrusted peers are dropped, and the address travels in a signed internal header that
 * clientIp() (lib/api/request.ts) reads.
 *
 * `startWebServer` is exported so that a process manager can start it per process; run directly,
 * this file starts WEB_PROCESSES of them on one port (main() below).
 *
 *   node --conditions=react-server --import tsx scripts/web-server.ts    (after `next build`; PORT, default 3000)
 *
 * `--conditions=react-server` lets the fast lane load route modules that import `server-only`
 * code (lib/web/fast-lane.ts); without it the entry still works, through Next alone.
 */
import cluster from "node:cluster";
import { createServer, type Server } from "node:http";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { getEnv } from "@/lib/env";
import { parseTrustedProxies } from "@/lib/web/client-ip";
import { applyClientIp } from "@/lib/web/forwarded";
import { restoreContentLength } from "@/lib/web/content-length";
import type { FastRoute } from "@/lib/web/fast-lane";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// This process serves requests: its database calls get the web tier's short deadline (lib/db).
// Set before anything reads the typed environment (it is parsed once, lazily).
process.env.ARENA_WEB_TIER = "1";

/**
 * The routes the entry calls directly (lib/web/fast-lane.ts): the vote loop and the board, the
 * requests that come by the thousand (every open leaderboard tab asks for the board's version
 * every few seconds). Everything else, and any request with a session, goes through Next.
 */
const FAST_ROUTES: FastRoute[] = [
  { method: "GET", path: "/api/leaderboard", load: async () => (await import("@/app/api/leaderboard/route")).GET },
  { method: "GET", path: "/api/leaderboard/version", load: async () => (await import("@/app/api/leaderboard/version/route")).GET },
  { method: "POST", path: "/api/battles", load: async () => (await import("@/app/api/battles/route")).POST },
  { method: "POST", path: "/api/battles/:id/vote", load: async () => (await import("@/app/api/battles/[id]/vote/route")).POST },
];

export async function startWebServer(opts: { port: number; dir?: string }): Promise<Server> {
  // Parsing the typed environment first fails fast on a bad TRUSTED_PROXIES, naming it.
  const env = getEnv();
  const trust = parseTrustedProxies(env.TRUSTED_PROXIES);
  const app = next({ dev: false, dir: opts.dir ?? root, port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Loaded after prepare(): under the react-server condition, Next's request-context modules
  // (reached through next/server and next/navigation) need the AsyncLocalStorage its server sets up.
  const lane = await (await import("@/lib/web/fast-lane")).loadFastLane(FAST_ROUTES);
  const server = createServer((req, res) => {
    applyClientIp(req.headers, req.socket.remoteAddress, trust, env.AUTH_SECRET);
    if (lane?.serve(req, res)) return;
    restoreContentLength(res);
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Node's default backlog (511) leaves no room for a burst of 500 new connections on top of
    // those being handed out; a dropped SYN costs the client a retransmit of 1 s or more. The
    // kernel caps it at somaxconn. (It did not remove the leaderboard bench's tail: README.)
    server.listen({ port: opts.port, backlog: 4096 }, () => resolve());
  });
  const how = trust.kind === "none" ? "no proxy trusted (client = socket address)" : trust.kind === "hops" ? `${trust.hops} proxy hop(s) trusted` : `proxies trusted: ${trust.text}`;
  console.log(`web server listening on port ${opts.port}; ${how}; fast lane ${lane ? `on (${lane.routes} routes)` : "off"}`);
  return server;
}

/**
 * Run as a script: WEB_PROCESSES processes (default one per CPU) share the port through
 * node:cluster, because one Node process tops out at one core (issue 12: the web process sat at
 * 100% of one core while the rest of the machine idled). The primary only forks, restarts a worker
 * that dies, and on SIGTERM/SIGINT waits for its workers to finish their requests. Each worker
 * learns the count (ARENA_WEB_PROCESS_COUNT) for what it keeps per process: its caches check the
 * database themselves (lib/web/versioned-cache.ts), its rate-limit fallback counts each
 * request for every process (lib/api/window-counter.ts).
 */
async function main(): Promise<void> {
  const env = getEnv();
  const processes = env.WEB_PROCESSES ?? availableParallelism();
  if (processes === 1 || cluster.isWorker) {
    const server = await startWebServer({ port: env.PORT });
    // Finish requests in flight on SIGTERM (supervisor, docker stop, the primary), then exit. Once:
    // a worker may get the signal twice (its process group, and the primary passing it on).
    let closing = false;
    for (const sig of ["SIGTERM", "SIGINT"] as const) {
      process.on(sig, () => {
        if (closing) return;
        closing = true;
        server.close(() => process.exit(0));
        server.closeIdleConnections();
        setTimeout(() => process.exit(0), 10_000).unref();
      });
    }
    return;
  }
  let stopping = false;
  cluster.setupPrimary({ execArgv: [...process.execArgv, `--max-semi-space-size=${env.WEB_SEMI_SPACE_MB}`] });
  const fork = () => cluster.fork({ ARENA_WEB_PROCESS_COUNT: String(processes) });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`web process ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    setTimeout(fork, 1000).unref();
  });
  for (let k = 0; k < processes; k++) fork();
  console.log(`web server: ${processes} processes on port ${env.PORT} (WEB_PROCESSES)`);
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) process.exit(0);
      for (const w of workers) w?.process.kill(sig);
      setTimeout(() => process.exit(0), 12_000).unref();
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
