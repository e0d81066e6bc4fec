/**
 * The web server's fast lane (lib/web/fast-lane.ts) over a real socket: which requests it takes
 * (exact paths, valid ids, no session cookie) and which it leaves to Next, and that what it
 * answers carries what Next's side would add: the security headers, Content-Length, every
 * Set-Cookie, gzip for large bodies, no body for HEAD and 304; the request body reaches the route's
 * own wrapper (its cap and schema apply); a route module that cannot load turns the lane off.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { conditionalJson, renderJson } from "@/lib/api/conditional";
import { requestCookieJar } from "@/lib/api/cookies";
import { loadFastLane, type FastLane, type RouteHandler } from "@/lib/web/fast-lane";
import { NON_PAGE_POLICY } from "@/lib/web/security-headers";
import { applyClientIp } from "@/lib/web/forwarded";
import { parseTrustedProxies } from "@/lib/web/client-ip";
import { clientIp } from "@/lib/api/request";

process.env.DATABASE_URL ??= "postgresql://u:p@127.0.0.1:1/none";
process.env.REDIS_URL ??= "redis://127.0.0.1:1";
process.env.AUTH_SECRET ??= "x".repeat(40);

const BIG = renderJson({ rows: Array.from({ length: 400 }, (_, k) => ({ model: `model-${k}`, elo: 1000 + k })) });

const board: RouteHandler = apiRoute({
  query: z.object({ track: z.enum(["all", "text"]).default("all") }),
  handler: async ({ req, query }) =>
    query.track === "all" ? conditionalJson(req, BIG, "public, max-age=1") : json({ track: query.track, ip: clientIp(req), forwardedFor: req.headers.get("x-forwarded-for") }),
});

const vote: RouteHandler = apiRoute({
  params: z.object({ id: z.string() }),
  body: z.object({ outcome: z.enum(["a", "b"]) }),
  maxBodyBytes: 1024,
  handler: async ({ req, params, body }) => {
    // Two cookies, as a route that mints a voter and something else would write them.
    const res = json({ id: params.id, outcome: body.outcome, cookie: req.headers.get("cookie") }, 201);
    res.headers.append("set-cookie", "one=1; Path=/");
    res.headers.append("set-cookie", "two=2; Path=/; HttpOnly");
    return res;
  },
});

/** Counts its calls; public answers may be kept by the lane, `?private=1` ones may not. */
let versionCalls = 0;
const version: RouteHandler = apiRoute({
  query: z.object({ private: z.literal("1").optional(), k: z.string().optional() }),
  handler: async ({ query }) => {
    versionCalls++;
    return json({ calls: versionCalls }, 200, query.private ? { "Cache-Control": "no-store" } : { "Cache-Control": "public, max-age=1", ETag: '"v1"' });
  },
});

let server: Server;
let port = 0;
let lane: FastLane;

before(async () => {
  const loaded = await loadFastLane([
    { method: "GET", path: "/api/leaderboard", load: async () => board },
    { method: "POST", path: "/api/battles/:id/vote", load: async () => vote },
    { method: "GET", path: "/api/leaderboard/version", load: async () => version },
  ]);
  assert.ok(loaded);
  lane = loaded;
  // Whatever the lane leaves is answered by "Next" (here: a marker), so each test sees who answered.
  // As the web server entry does: the client address from the socket, trusting no proxy (so
  // forwarding headers a client sends are dropped before the lane sees the request).
  const trust = parseTrustedProxies("");
  server = createServer((req, res) => {
    applyClientIp(req.headers, req.socket.remoteAddress, trust, process.env.AUTH_SECRET!);
    if (lane.serve(req, res)) return;
    res.setHeader("x-served-by", "next");
    res.end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

after(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

describe("fast lane", () => {
  test("takes only its exact paths and valid ids; everything else goes to Next", async () => {
    assert.equal((await send("GET", "/api/leaderboard?track=text")).headers["x-served-by"], undefined);
    for (const path of ["/api/leaderboard/", "/api/leaderboardx", "/api/battles/a%2Fb/vote", "/api/battles/../vote", `/api/battles/${"x".repeat(65)}/vote`, "/api/battles/x/vote/extra"]) {
      const res = await send(path.includes("vote") ? "POST" : "GET", path, {}, path.includes("vote") ? '{"outcome":"a"}' : undefined);
      assert.equal(res.headers["x-served-by"], "next", path);
    }
    assert.equal((await send("PUT", "/api/battles/abc/vote", {}, '{"outcome":"a"}')).headers["x-served-by"], "next", "another method");
  });

  test("a request with a next-auth session goes to Next (next-auth reads it there)", async () => {
    for (const cookie of ["next-auth.session-token=abc", "a=1; __Secure-next-auth.session-token.0=abc", "next-auth.session-token.1=x"]) {
      assert.equal((await send("GET", "/api/leaderboard", { cookie })).headers["x-served-by"], "next", cookie);
    }
    assert.equal((await send("GET", "/api/leaderboard", { cookie: "arena_voter=v.sig; next-auth.csrf-token=x" })).headers["x-served-by"], undefined);
  });

  test("answers carry the security headers, Content-Length and the route's own headers", async () => {
    const res = await send("GET", "/api/leaderboard?track=text");
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { track: "text", ip: "127.0.0.1", forwardedFor: null });
    assert.equal(res.headers["content-security-policy"], NON_PAGE_POLICY);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["x-frame-options"], "DENY");
    assert.equal(res.headers["strict-transport-security"], undefined, "plain http gets no HSTS");
    assert.equal(Number(res.headers["content-length"]), res.body.length);
  });

  test("the handlers see the request as the entry vetted it, not the client's forwarding headers", async () => {
    const forged = { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https", "x-real-ip": "192.0.2.1" };
    const res = await send("GET", "/api/leaderboard?track=text", forged);
    assert.deepEqual(JSON.parse(res.body.toString()), { track: "text", ip: "127.0.0.1", forwardedFor: null });
    assert.equal(res.headers["strict-transport-security"], undefined, "a client's X-Forwarded-Proto is not believed");
  });

  test("bad input gets the wrapper's error contract", async () => {
    const res = await send("GET", "/api/leaderboard?track=bogus");
    assert.equal(res.status, 422);
    assert.equal(JSON.parse(res.body.toString()).error.code, "unprocessable");
    assert.equal(res.headers["x-content-type-options"], "nosniff");
  });

  test("ETag revalidation gives 304 without a body; HEAD gives the headers only", async () => {
    const full = await send("GET", "/api/leaderboard");
    const etag = full.headers.etag as string;
    assert.equal(full.body.toString(), BIG.body);
    const again = await send("GET", "/api/leaderboard", { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const head = await send("HEAD", "/api/leaderboard");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers.etag, etag);
  });

  test("large bodies are gzipped for clients that accept it, with Vary", async () => {
    const res = await send("GET", "/api/leaderboard", { "accept-encoding": "gzip, br" });
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.equal(res.headers.vary, "Accept-Encoding");
    assert.equal(Number(res.headers["content-length"]), res.body.length);
    assert.equal(gunzipSync(res.body).toString(), BIG.body);
    assert.ok(res.body.length < BIG.body.length / 2);
    const small = await send("GET", "/api/leaderboard?track=text", { "accept-encoding": "gzip" });
    assert.equal(small.headers["content-encoding"], undefined, "small bodies go as they are");
  });

  test("POST bodies stream to the route (its cap and schema apply), params arrive, every Set-Cookie is kept", async () => {
    const ok = await send("POST", "/api/battles/battle_1/vote", { cookie: "arena_voter=v1" }, '{"outcome":"b"}');
    assert.equal(ok.status, 201);
    assert.deepEqual(JSON.parse(ok.body.toString()), { id: "battle_1", outcome: "b", cookie: "arena_voter=v1" });
    assert.deepEqual(ok.headers["set-cookie"], ["one=1; Path=/", "two=2; Path=/; HttpOnly"]);
    assert.equal((await send("POST", "/api/battles/b/vote", {}, JSON.stringify({ outcome: "a", pad: "x".repeat(5000) }))).status, 413);
    // Past the lane's own cap (the default 64 KiB), sent without a length (chunked).
    assert.equal((await send("POST", "/api/battles/b/vote", {}, JSON.stringify({ outcome: "a", pad: "x".repeat(300_000) }))).status, 413);
    assert.equal((await send("POST", "/api/battles/b/vote", {}, '{"outcome":"c"}')).status, 422);
    assert.equal((await send("POST", "/api/battles/b/vote", { "sec-fetch-site": "cross-site" }, '{"outcome":"a"}')).status, 403);
  });

  test("a public answer is kept for at most 250 ms and served from there (304 too); no-store answers never", async () => {
    const calls = async (path: string, headers: Record<string, string> = {}) => {
      const res = await send("GET", path, headers);
      return { status: res.status, calls: res.body.length ? (JSON.parse(res.body.toString()) as { calls: number }).calls : null, headers: res.headers };
    };
    const first = await calls("/api/leaderboard/version?k=a");
    const before = versionCalls;
    const again = await calls("/api/leaderboard/version?k=a");
    assert.equal(again.calls, first.calls, "served from the lane");
    assert.equal(versionCalls, before, "the handler did not run");
    assert.equal(again.headers["content-security-policy"], NON_PAGE_POLICY);
    assert.equal(again.headers["cache-control"], "public, max-age=1");
    const revalidated = await calls("/api/leaderboard/version?k=a", { "if-none-match": '"v1"' });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.calls, null);
    assert.equal(revalidated.headers.etag, '"v1"');
    assert.equal(versionCalls, before);
    assert.notEqual((await calls("/api/leaderboard/version?k=b")).calls, first.calls, "another URL is another answer");
    await new Promise((r) => setTimeout(r, 300));
    assert.ok((await calls("/api/leaderboard/version?k=a")).calls! > first.calls!, "asked again after 250 ms");
    const p1 = await calls("/api/leaderboard/version?private=1");
    const p2 = await calls("/api/leaderboard/version?private=1");
    assert.equal(p2.calls, p1.calls! + 1, "no-store is never kept");
    const bad = await calls("/api/leaderboard/version?private=2");
    assert.equal(bad.status, 422);
  });

  test("a route module that cannot load turns the lane off instead of failing the server", async () => {
    const off = await loadFastLane([{ method: "GET", path: "/x", load: async () => Promise.reject(new Error("This module cannot be imported from a Client Component module.")) }]);
    assert.equal(off, null);
  });
});

describe("request cookie jar", () => {
  test("reads the Cookie header (first of a name wins) and writes only RFC 6265 values", () => {
    const jar = requestCookieJar(new Headers({ cookie: "a=1; b = 2 ;a=3; junk; =x" }));
    assert.deepEqual(jar.names(), ["a", "b"]);
    assert.equal(jar.get("a"), "1");
    assert.equal(jar.get("b"), "2");
    const opts = { httpOnly: true, sameSite: "lax" as const, secure: true, path: "/", maxAge: 60 };
    jar.set("arena_voter", "id.sig-_", opts);
    assert.deepEqual(jar.setCookies, ["arena_voter=id.sig-_; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"]);
    assert.equal(jar.get("arena_voter"), "id.sig-_");
    assert.throws(() => jar.set("x", "a;b", opts));
    assert.throws(() => jar.set("x y", "a", opts));
  });
});

describe("next-control", () => {
  test("the wrapper's unstable_rethrow is next/navigation's own", async () => {
    const ours = (await import("@/lib/api/next-control")).unstable_rethrow;
    const theirs = (await import("next/navigation")).unstable_rethrow;
    assert.equal(ours, theirs);
  });
});
