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
 * `startWebServer` is exported so that a process manager (e.g. node:cluster workers sharing one
 * port) can start it per process; run directly, this file starts one.
 *
 *   node --import tsx scripts/web-server.ts        (after `next build`; PORT, default 3000)
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { getEnv } from "@/lib/env";
import { parseTrustedProxies } from "@/lib/web/client-ip";
import { applyClientIp } from "@/lib/web/forwarded";
import { restoreContentLength } from "@/lib/web/content-length";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// This process serves requests: its database calls get the web tier's short deadline (lib/db).
// Set before anything reads the typed environment (it is parsed once, lazily).
process.env.ARENA_WEB_TIER = "1";

export async function startWebServer(opts: { port: number; dir?: string }): Promise<Server> {
  // Parsing the typed environment first fails fast on a bad TRUSTED_PROXIES, naming it.
  const env = getEnv();
  const trust = parseTrustedProxies(env.TRUSTED_PROXIES);
  const app = next({ dev: false, dir: opts.dir ?? root, port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    applyClientIp(req.headers, req.socket.remoteAddress, trust, env.AUTH_SECRET);
    restoreContentLength(res);
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, () => resolve());
  });
  const how = trust.kind === "none" ? "no proxy trusted (client = socket address)" : trust.kind === "hops" ? `${trust.hops} proxy hop(s) trusted` : `proxies trusted: ${trust.text}`;
  console.log(`web server listening on port ${opts.port}; ${how}`);
  return server;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startWebServer({ port: getEnv().PORT });
  // Finish requests in flight on SIGTERM (supervisor, docker stop), then exit.
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      server.close(() => process.exit(0));
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}
