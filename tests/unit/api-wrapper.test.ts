/**
 * The route wrapper's request checks, run on real Request objects in plain Node: cross-site
 * refusal (Sec-Fetch-Site, Origin, content type), the streamed body cap, input validation, the
 * central mapping of Prisma's unique / not-found errors, and the security headers.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { NextRequest } from "next/server";
import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { assertNotCrossSite } from "@/lib/api/cross-site";
import { readJsonBody } from "@/lib/api/body";
import { ApiError } from "@/lib/api/errors";
import { Prisma } from "@/lib/db";
import { isPagePath, NON_PAGE_POLICY, pagePolicy, securityHeaders } from "@/lib/web/security-headers";

process.env.DATABASE_URL ??= "postgresql://u:p@127.0.0.1:1/none";
process.env.REDIS_URL ??= "redis://127.0.0.1:1";
process.env.AUTH_SECRET ??= "x".repeat(40);

const SITE = "http://arena.example:3000";

function req(method: string, headers: Record<string, string>, body?: BodyInit): NextRequest {
  // duplex: Node's fetch needs it for stream bodies; NextRequest's own init type does not list it.
  const init = { method, headers: { host: "arena.example:3000", ...headers }, body, duplex: "half" };
  return new NextRequest(`${SITE}/api/thing`, init as ConstructorParameters<typeof NextRequest>[1]);
}

function code(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof ApiError ? err.code : `not an ApiError: ${String(err)}`;
  }
}

describe("cross-site requests", () => {
  const check = (method: string, headers: Record<string, string>, expectsBody = true, siteUrl?: string) =>
    code(() => assertNotCrossSite(req(method, headers), { expectsBody, siteUrl }));
  const JSON_TYPE = { "content-type": "application/json" };

  test("forms and simple fetches from other sites are refused", () => {
    assert.equal(check("POST", { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", "sec-fetch-site": "cross-site" }), "cross_site");
    assert.equal(check("POST", { "content-type": "text/plain", origin: "https://evil.example" }), "cross_site");
    assert.equal(check("POST", { ...JSON_TYPE, origin: "https://evil.example" }), "cross_site");
    assert.equal(check("POST", { ...JSON_TYPE, origin: "null" }), "cross_site");
    assert.equal(check("POST", { ...JSON_TYPE, origin: "http://arena.example:3000.evil.example" }), "cross_site");
    assert.equal(check("PUT", { ...JSON_TYPE, "sec-fetch-site": "same-site" }), "cross_site", "a sibling subdomain is not us");
    assert.equal(check("DELETE", { "sec-fetch-site": "cross-site" }, false), "cross_site");
  });

  test("bodies must be JSON, even without browser headers", () => {
    assert.equal(check("POST", { "content-type": "application/x-www-form-urlencoded" }), "unsupported_media_type");
    assert.equal(check("POST", { "content-type": "text/plain;charset=UTF-8" }), "unsupported_media_type");
    assert.equal(check("POST", { "content-type": "multipart/form-data; boundary=x" }), "unsupported_media_type");
    assert.equal(check("POST", {}), "unsupported_media_type", "a route that reads a body needs the type");
    assert.equal(check("DELETE", { "content-type": "text/plain", "content-length": "3" }, false), "unsupported_media_type", "a body nobody expects still needs it");
  });

  test("same-origin pages, typed URLs, tools and safe methods pass", () => {
    assert.equal(check("POST", { ...JSON_TYPE, origin: SITE, "sec-fetch-site": "same-origin" }), null);
    assert.equal(check("POST", { "content-type": "application/json; charset=utf-8", origin: "HTTP://ARENA.EXAMPLE:3000" }), null);
    assert.equal(check("POST", { ...JSON_TYPE, "sec-fetch-site": "none" }), null);
    assert.equal(check("POST", JSON_TYPE), null, "curl and tests send neither Origin nor Sec-Fetch-Site");
    assert.equal(check("DELETE", {}, false), null);
    assert.equal(check("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }, false), null);
    // Behind a proxy that rewrites Host: the public URL or its forwarded host is ours too.
    assert.equal(check("POST", { ...JSON_TYPE, origin: "https://arena.example.org" }, true, "https://arena.example.org"), null);
    assert.equal(check("POST", { ...JSON_TYPE, origin: "https://public.example", "x-forwarded-host": "public.example" }), null);
  });
});

describe("request bodies", () => {
  test("a declared size over the cap is refused unread; an undeclared one while streaming", async () => {
    await assert.rejects(readJsonBody(req("POST", { "content-length": "70000" }, "x".repeat(70000)), 65536), (e: unknown) => e instanceof ApiError && e.code === "payload_too_large");
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
    });
    await assert.rejects(readJsonBody(req("POST", {}, endless), 65536), (e: unknown) => e instanceof ApiError && e.code === "payload_too_large" && e.status === 413);
    assert.ok(pulled < 10, `stopped reading after ${pulled} chunks`);
  });

  test("JSON within the cap parses; anything else is 422", async () => {
    assert.deepEqual(await readJsonBody(req("POST", {}, '{"a":[1,2]}')), { a: [1, 2] });
    for (const bad of ["", "{", "\u00ff\u00fe", "a=1&b=2"]) {
      await assert.rejects(readJsonBody(req("POST", {}, bad)), (e: unknown) => e instanceof ApiError && e.code === "unprocessable", JSON.stringify(bad));
    }
    await assert.rejects(readJsonBody(req("POST", {}, new Uint8Array([0x7b, 0xff, 0x7d]))), (e: unknown) => e instanceof ApiError && e.code === "unprocessable", "invalid UTF-8");
  });
});

describe("apiRoute", () => {
  const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
  const prismaError = (c: string) => new Prisma.PrismaClientKnownRequestError("raw database detail", { code: c, clientVersion: "test" });

  test("validates params, body and query, and answers through the contract", async () => {
    const route = apiRoute({
      params: z.object({ id: z.string().max(5) }),
      body: z.object({ n: z.number().int() }),
      maxBodyBytes: 100,
      handler: async ({ params, body }) => json({ id: params.id, n: body.n }, 201),
    });
    const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) => route(req("POST", headers, body), ctx({ id: "abc" }));
    const ok = await post('{"n":3}');
    assert.equal(ok.status, 201);
    assert.deepEqual(await ok.json(), { id: "abc", n: 3 });
    const bad = await post('{"n":"3"}');
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^n: /);
    assert.equal((await post(`{"n":1,"pad":"${"x".repeat(200)}"}`)).status, 413);
    assert.equal((await post('{"n":3}', { "content-type": "text/plain" })).status, 415);
    const cross = await post('{"n":3}', { "content-type": "application/json", origin: "https://evil.example" });
    assert.equal(cross.status, 403);
    assert.deepEqual(await cross.json(), { error: { code: "cross_site", message: "This request came from another site. Use the arena's own pages." } });
    const longId = await route(req("POST", { "content-type": "application/json" }, '{"n":3}'), ctx({ id: "toolong" }));
    assert.equal(longId.status, 404);
  });

  test("Prisma's unique and not-found errors are 409 and 404; anything else is a bare 500", async () => {
    const throwing = (err: unknown) => apiRoute({ handler: async () => Promise.reject(err) });
    const unique = await throwing(prismaError("P2002"))(req("GET", {}), ctx());
    assert.deepEqual([unique.status, ((await unique.json()) as { error: { code: string } }).error.code], [409, "conflict"]);
    const missing = await throwing(prismaError("P2025"))(req("GET", {}), ctx());
    assert.deepEqual([missing.status, ((await missing.json()) as { error: { code: string } }).error.code], [404, "not_found"]);
    const other = await throwing(new Error("secret internals at /srv/arena"))(req("GET", {}), ctx());
    const text = await other.text();
    assert.equal(other.status, 500);
    assert.ok(!text.includes("secret internals") && !text.includes("raw database detail"), text);
  });
});

describe("security headers", () => {
  test("pages: nonce, strict-dynamic, wasm, connect-src self, no framing", () => {
    const csp = pagePolicy("abc123", { https: false });
    for (const part of [
      "script-src 'self' 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'",
      "connect-src 'self' blob: data:",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
    ]) {
      assert.ok(csp.includes(part), part);
    }
    assert.ok(!/unsafe-eval'/.test(csp.replace("'wasm-unsafe-eval'", "")), "no eval in production");
    assert.ok(!csp.includes("upgrade-insecure-requests"), "plain http self-hosts keep working");
    assert.ok(pagePolicy("n", { https: true }).includes("upgrade-insecure-requests"));
  });

  test("HSTS only over https; everything not a page gets a policy that allows nothing", () => {
    const names = (h: [string, string][]) => h.map(([k]) => k);
    assert.ok(!names(securityHeaders({ https: false })).includes("Strict-Transport-Security"));
    assert.ok(names(securityHeaders({ https: true })).includes("Strict-Transport-Security"));
    assert.equal(new Map(securityHeaders({ https: false })).get("Content-Security-Policy"), NON_PAGE_POLICY);
    assert.equal(new Map(securityHeaders({ https: false })).get("X-Content-Type-Options"), "nosniff");
    assert.deepEqual(["/", "/admin/models", "/api/health", "/_next/static/x.js", "/api"].map(isPagePath), [true, true, false, false, false]);
  });
});
