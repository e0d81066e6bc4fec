/**
 * The fast lane (issue 12): the web server entry (scripts/web-server.ts) calls the hottest route
 * handlers (get a battle, vote, read the leaderboard) itself instead of handing the request to
 * Next's router. Per request, Next's pipeline (routing, the proxy, its request and response
 * adapters, async context) cost more CPU than the work the route does: it was most of a leaderboard
 * read and the largest share of a vote.
 *
 * The lane runs the very same exported handlers, so their `apiRoute` wrapper does every check
 * (cross-site, body cap, schemas, voter, rate limits, error contract). The lane adds what the Next
 * side adds around them: the security headers of proxy.ts, and Content-Length. It only takes
 * requests that need nothing of Next's request context: exact paths, and no next-auth session
 * cookie (a signed-in voter's request goes through Next, where next-auth reads its session). Route
 * modules import `server-only` code, so the web process runs with `--conditions=react-server`,
 * as Next's own server bundles do; without it the lane stays off and says so (loadFastLane).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { NextRequest } from "next/server";
import { hasSessionCookieHeader } from "@/lib/api/cookies";
import { DEFAULT_MAX_BODY_BYTES } from "@/lib/api/body";
import { noneMatch } from "@/lib/api/conditional";
import { logger } from "@/lib/log";
import { securityHeaders } from "./security-headers";

const log = logger("fast-lane");

export type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface FastRoute {
  method: "GET" | "POST";
  /** Literal segments and `:name` parameters, e.g. `/api/battles/:id/vote`. */
  path: string;
  load: () => Promise<RouteHandler>;
  /** At least the route's own body cap (its `maxBodyBytes`); default lib/api/body.ts DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

interface LoadedRoute {
  method: string;
  segments: string[];
  handler: RouteHandler;
  maxBodyBytes: number;
}

/**
 * The request body as bytes, read from the socket up to `cap` + 1 bytes. The route's wrapper
 * still applies its own cap (lib/api/body.ts): it sees more than the cap and answers 413, and a
 * declared Content-Length past the cap is refused there before any byte is read (so none is here).
 * Handing the handler bytes instead of a web stream over the socket (Readable.toWeb) saves the
 * stream machinery per request, a visible share of a vote's CPU.
 */
function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > cap) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > cap) {
        stop();
        // The rest is read and dropped, so the client gets its 413 on a connection still in step
        // (left unread, the socket would be reset under a client still sending). Bounded in time
        // by the server's request timeout.
        req.resume();
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** Only ids the routes themselves accept reach a handler through the lane; anything else goes to Next. */
const PARAM = /^[A-Za-z0-9_-]{1,64}$/;

/** Gzip only bodies worth it; compressed copies are kept per strong ETag (the same bytes). */
const GZIP_MIN_BYTES = 1400;
const GZIP_CACHE_MAX = 64;

/**
 * A GET answer its route marked `Cache-Control: public, max-age=N` (the same for everyone: the
 * leaderboard) is kept by the lane as a shared cache would keep it, for at most SHARED_MAX_MS
 * (well inside N), and answered from there (200, or 304 on a matching If-None-Match) without
 * building a request or running the handler: that machinery was most of a read's CPU. Only
 * answers without Set-Cookie; keyed by the exact path and query, so the route's own validation
 * decided every URL that is kept. A new board is served within WEB_CACHE_CHECK_MS + SHARED_MAX_MS.
 */
const SHARED_MAX_MS = 250;
const SHARED_CACHE_MAX = 256;

interface SharedAnswer {
  until: number;
  headers: [string, string][];
  etag: string | null;
  body: Buffer;
}

function sharedMaxMs(cacheControl: string | null): number {
  if (!cacheControl || !/(^|[\s,])public([\s,]|$)/.test(cacheControl) || /no-store|private|no-cache/.test(cacheControl)) return 0;
  const maxAge = /(^|[\s,])max-age=(\d+)/.exec(cacheControl);
  return maxAge ? Math.min(SHARED_MAX_MS, Number(maxAge[2]) * 1000) : 0;
}

/** Built once: the same for every API answer (no nonce), plain http or https. */
const SECURITY_HEADERS = { http: securityHeaders({ https: false }), https: securityHeaders({ https: true }) };

export interface FastLane {
  /** True when the lane took the request (it answers asynchronously); false: hand it to Next. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  readonly routes: number;
}

export async function loadFastLane(routes: readonly FastRoute[]): Promise<FastLane | null> {
  let loaded: LoadedRoute[];
  try {
    loaded = await Promise.all(
      routes.map(async (r) => ({ method: r.method, segments: r.path.split("/"), handler: await r.load(), maxBodyBytes: r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES })),
    );
  } catch (err) {
    log.warn(`off, every request goes through Next: ${err instanceof Error ? err.message.split("\n")[0] : String(err)} (start the web server with node --conditions=react-server)`);
    return null;
  }
  const gzipped = new Map<string, Buffer>();
  const shared = new Map<string, SharedAnswer>();

  function sendBody(req: IncomingMessage, res: ServerResponse, etag: string | null, body: Buffer | null, alreadyEncoded: boolean): void {
    let out = body;
    if (out && out.length >= GZIP_MIN_BYTES && !alreadyEncoded && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      out = compressed(etag, out);
      res.setHeader("content-encoding", "gzip");
      res.setHeader("vary", "Accept-Encoding");
    }
    if (out) res.setHeader("content-length", out.length);
    res.end(out);
  }

  function answerShared(req: IncomingMessage, res: ServerResponse, hit: SharedAnswer, https: boolean): void {
    const notModified = hit.etag !== null && noneMatch(typeof req.headers["if-none-match"] === "string" ? req.headers["if-none-match"] : null, hit.etag);
    res.statusCode = notModified ? 304 : 200;
    for (const [name, value] of hit.headers) if (!notModified || name === "etag" || name === "cache-control") res.setHeader(name, value);
    for (const [name, value] of https ? SECURITY_HEADERS.https : SECURITY_HEADERS.http) res.setHeader(name, value);
    sendBody(req, res, hit.etag, notModified || req.method === "HEAD" ? null : hit.body, false);
  }

  function match(method: string, pathname: string): { route: LoadedRoute; params: Record<string, string> } | null {
    const parts = pathname.split("/");
    for (const route of loaded) {
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let k = 0; k < parts.length && ok; k++) {
        const seg = route.segments[k]!;
        if (seg.startsWith(":")) {
          ok = PARAM.test(parts[k]!);
          params[seg.slice(1)] = parts[k]!;
        } else ok = seg === parts[k];
      }
      if (ok) return { route, params };
    }
    return null;
  }

  function compressed(etag: string | null, body: Buffer): Buffer {
    if (!etag) return gzipSync(body);
    let gz = gzipped.get(etag);
    if (!gz) {
      gz = gzipSync(body);
      if (gzipped.size >= GZIP_CACHE_MAX) gzipped.delete(gzipped.keys().next().value!);
      gzipped.set(etag, gz);
    }
    return gz;
  }

  async function answer(req: IncomingMessage, res: ServerResponse, route: LoadedRoute, params: Record<string, string>): Promise<void> {
    const method = req.method!;
    const readOnly = method === "GET" || method === "HEAD";
    if (readOnly) {
      const hit = shared.get(req.url!);
      if (hit && hit.until > Date.now()) return answerShared(req, res, hit, req.headers["x-forwarded-proto"] === "https");
    }
    // From req.headers, never req.rawHeaders: the entry has already removed forwarding headers an
    // untrusted client sent and added the vouched client address there (lib/web/forwarded.ts).
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (value) for (const v of value) headers.append(name, v);
    }
    // Only the path and query matter to the handlers; the host and scheme come from the headers
    // the entry has already vetted (Host, a trusted proxy's X-Forwarded-Proto).
    const https = headers.get("x-forwarded-proto") === "https";
    const hasBody = !readOnly;
    const request = new NextRequest(new URL(req.url!, https ? "https://localhost" : "http://localhost"), {
      method: method === "HEAD" ? "GET" : method,
      headers,
      ...(hasBody ? { body: await readBody(req, route.maxBodyBytes) } : {}),
    } as ConstructorParameters<typeof NextRequest>[1]);
    const response = await route.handler(request, { params: Promise.resolve(params) });
    const body: Buffer | null = method === "HEAD" || response.status === 204 || response.status === 304 ? null : Buffer.from(await response.arrayBuffer());
    res.statusCode = response.status;
    const kept: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") {
        res.setHeader(name, value);
        kept.push([name, value]);
      }
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    for (const [name, value] of https ? SECURITY_HEADERS.https : SECURITY_HEADERS.http) res.setHeader(name, value);
    const etag = response.headers.get("etag");
    const keepMs = method === "GET" && response.status === 200 && body && cookies.length === 0 && !response.headers.has("content-encoding") ? sharedMaxMs(response.headers.get("cache-control")) : 0;
    if (keepMs > 0) {
      if (shared.size >= SHARED_CACHE_MAX && !shared.has(req.url!)) shared.delete(shared.keys().next().value!);
      shared.set(req.url!, { until: Date.now() + keepMs, headers: kept, etag, body: body! });
    }
    sendBody(req, res, etag, body, response.headers.has("content-encoding"));
  }

  return {
    routes: loaded.length,
    serve(req, res) {
      const url = req.url ?? "";
      const q = url.indexOf("?");
      const hit = match(req.method ?? "", q < 0 ? url : url.slice(0, q));
      if (!hit || hasSessionCookieHeader(req.headers.cookie ?? null)) return false;
      answer(req, res, hit.route, hit.params).catch((err: unknown) => {
        // The handlers answer their own errors (apiRoute); this is the lane itself failing.
        log.error(`${req.method} ${hit.route.segments.join("/")}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.statusCode = 500;
        res.setHeader("content-type", "application/json");
        for (const [name, value] of SECURITY_HEADERS.http) res.setHeader(name, value);
        res.end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on our side. Please try again." } }));
      });
      return true;
    },
  };
}
