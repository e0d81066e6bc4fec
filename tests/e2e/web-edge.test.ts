/**
 * The web tier's edge on the real stack: per-IP limits use the socket address whatever
 * X-Forwarded-For says, cookie-less visitors stop minting voters past their limit, cross-site
 * forms and fetches to vote / report / register are refused (also from a real browser on a
 * same-site origin), sign-in is throttled per account and per IP, registration does not tell
 * whether an address exists, old password hashes are upgraded, and every response carries the
 * security headers, under which the arena and the console run without one CSP violation.
 *
 * Limits are set low here; counters are cleared between tests and at the end so other suites
 * (same machine, same Redis) never inherit them.
 */
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, scryptSync } from "node:crypto";
import { Redis } from "ioredis";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { requireEnv } from "../support/env";
import { Client, launch, type Launched } from "../support/stack";
import { passwordSignIn, seedAccount } from "../support/accounts";

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");

const PORT = process.env.E2E_PORT_EDGE ?? "3112";
const PASSWORD = "correct horse battery";
let stack: Launched;
let browser: Browser;
let redis: Redis;

before(async () => {
  stack = launch({
    PORT,
    ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
    RENDER_PROFILE: "preview",
    RATE_LIMIT_VOTES_PER_MIN: "1000",
    RATE_LIMIT_IP_VOTES_PER_MIN: "5",
    RATE_LIMIT_IP_NEW_VOTERS_PER_MIN: "4",
    SIGNIN_MAX_FAILURES_PER_ACCOUNT: "3",
    SIGNIN_MAX_FAILURES_PER_IP: "8",
  });
  await stack.waitFor(/ready: open/, 15 * 60_000);
  browser = await launchChromium();
  redis = new Redis(requireEnv("REDIS_URL"));
});

async function clearCounters(): Promise<void> {
  for (const pattern of ["arena:rl:*", "arena:throttle:*"]) {
    const keys = await redis.keys(pattern);
    if (keys.length) await redis.del(...keys);
  }
}

after(async () => {
  if (redis) await clearCounters();
  redis?.disconnect();
  await browser?.close();
  await stack?.stop();
  await disconnectDb();
});

beforeEach(clearCounters);

/** Limits count in fixed windows: start a burst early in one so it cannot straddle two. */
async function freshWindow(windowSec = 60, needSec = 25): Promise<void> {
  const into = (Date.now() / 1000) % windowSec;
  if (into > windowSec - needSec) await new Promise((r) => setTimeout(r, (windowSec - into) * 1000 + 300));
}

const forged = (k: number) => ({ "x-forwarded-for": `198.51.100.${k}, 203.0.113.${k}`, "x-real-ip": `192.0.2.${k}`, forwarded: `for=192.0.2.${k}` });

describe("client addresses", () => {
  test("X-Forwarded-For from an untrusted peer does not move the per-IP limit", async () => {
    await freshWindow();
    const c = new Client(stack.url);
    const served: { id: string; token: string }[] = [];
    let refused = null;
    for (let k = 1; k <= 14 && !refused; k++) {
      const res = await c.request("POST", "/api/battles", { track: "text" }, undefined, forged(k));
      if (res.status === 201) served.push(res.json);
      else refused = res;
    }
    // Battles: twice RATE_LIMIT_IP_VOTES_PER_MIN per IP; the per-voter limit is far away.
    assert.equal(served.length, 10, "every forged address counted as the same client");
    assert.equal(refused?.status, 429);
    assert.match(refused!.json.error.message, /from your network/);
    const votes = [];
    for (const [k, b] of served.entries()) votes.push((await c.request("POST", `/api/battles/${b.id}/vote`, { token: b.token, outcome: "a" }, undefined, forged(k))).status);
    assert.deepEqual(votes.slice(0, 6), [201, 201, 201, 201, 201, 429]);
  });

  test("cookie-less battle requests stop creating voters past the limit", async () => {
    await freshWindow();
    const before = await db().user.count({ where: { anonymous: true } });
    const statuses = [];
    for (let k = 1; k <= 8; k++) {
      const res = await new Client(stack.url).request("POST", "/api/battles", { track: "image" }, undefined, forged(k));
      statuses.push(res.status);
      if (res.status === 429) assert.match(res.json.error.message, /new visitors/);
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429, 429, 429]);
    assert.equal((await db().user.count({ where: { anonymous: true } })) - before, 4, "no voter row past the limit");
  });
});

describe("cross-site requests", () => {
  test("forms and foreign origins cannot vote, report or register; nothing is stored", async () => {
    const c = new Client(stack.url);
    const b = (await c.request("POST", "/api/battles", { track: "text" })).json as { id: string; token: string };
    const vote = JSON.stringify({ token: b.token, outcome: "a" });
    const report = JSON.stringify({ token: b.token, side: "a", reason: "broken" });
    const register = JSON.stringify({ email: "csrf-victim@example.test", password: PASSWORD });
    const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    for (const [path, body] of [[`/api/battles/${b.id}/vote`, vote], [`/api/battles/${b.id}/report`, report], ["/api/auth/register", register]] as const) {
      const tries: [Record<string, string>, string, number][] = [
        [{ ...evil, "content-type": "application/x-www-form-urlencoded" }, "a=1", 403],
        [{ ...evil, "content-type": "text/plain" }, body, 403],
        [{ origin: "https://evil.example", "content-type": "application/json" }, body, 403],
        [{ "sec-fetch-site": "same-site", "content-type": "application/json" }, body, 403],
        [{ "content-type": "application/x-www-form-urlencoded" }, "a=1", 415],
        [{ "content-type": "text/plain" }, body, 415],
      ];
      for (const [headers, raw, status] of tries) {
        const res = await c.request("POST", path, undefined, raw, headers);
        assert.equal(res.status, status, `${path} ${JSON.stringify(headers)}`);
      }
    }
    assert.equal(await db().vote.count({ where: { battleId: b.id } }), 0);
    assert.equal(await db().report.count({ where: { battleId: b.id } }), 0);
    assert.equal(await db().user.count({ where: { email: "csrf-victim@example.test" } }), 0);
    const ok = await c.request("POST", `/api/battles/${b.id}/vote`, undefined, vote, { origin: stack.url, "sec-fetch-site": "same-origin" });
    assert.equal(ok.status, 201, "our own pages still vote");
  });

  test("a page on another origin of the same site cannot post with the voter's cookies", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    // The arena asks for its own first battle on load; until that answer sets the voter cookie, a
    // second cookie-less request would mint a second anonymous voter and the last cookie would win.
    await Promise.all([page.waitForResponse((r) => r.url() === `${stack.url}/api/battles` && r.request().method() === "POST"), page.goto(stack.url)]);
    const battle = await page.evaluate(async () => (await fetch("/api/battles", { method: "POST", headers: { "content-type": "application/json" }, body: '{"track":"text"}' })).json());
    const { id, token } = battle as { id: string; token: string };
    // localhost:<other port> is the same site as the arena, so SameSite=Lax cookies do go along.
    const evil: Server = createServer((_, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<form id="f" method="post" enctype="text/plain" action="${stack.url}/api/battles/${id}/vote"><input name='{"token":"${token}","outcome":"b","x":"' value='"}'></form>
        <form id="g" method="post" action="${stack.url}/api/auth/register"><input name="email" value="csrf-form@example.test"><input name="password" value="${PASSWORD}"></form>`);
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
    const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
    try {
      for (const form of ["f", "g"]) {
        await page.goto(evilUrl);
        const [res] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${stack.url}/api/`)), page.evaluate((f) => (document.getElementById(f) as HTMLFormElement).submit(), form)]);
        assert.equal(res.status(), 403, `form ${form}: ${await res.text()}`);
      }
      await page.goto(evilUrl);
      await page.evaluate(
        ([u, t]) =>
          fetch(u!, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ token: t, side: "a", reason: "broken" }) }).then(
            () => "sent",
            () => "failed",
          ),
        [`${stack.url}/api/battles/${id}/report`, token],
      );
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await db().vote.count({ where: { battleId: id } }), 0);
      assert.equal(await db().report.count({ where: { battleId: id } }), 0);
      assert.equal(await db().user.count({ where: { email: "csrf-form@example.test" } }), 0);
      await page.goto(stack.url);
      const voted = await page.evaluate(async (a) => {
        const r = await fetch(`/api/battles/${a.id}/vote`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: a.token, outcome: "a" }) });
        return { status: r.status, text: await r.text() };
      }, { id, token });
      assert.equal(voted.status, 201, `the same browser votes from the arena itself: ${voted.text}`);
    } finally {
      evil.close();
      await ctx.close();
    }
  });
});

describe("accounts", () => {
  test("sign-in is throttled per account and per IP, the same for unknown addresses", async () => {
    await freshWindow(15 * 60, 60);
    for (const e of ["throttle-a@example.test", "throttle-b@example.test", "throttle-c@example.test"]) await seedAccount({ email: e, password: PASSWORD });
    for (let k = 0; k < 3; k++) assert.equal((await passwordSignIn(stack.url, "throttle-a@example.test", "wrong password")).error, "CredentialsSignin");
    assert.match((await passwordSignIn(stack.url, "throttle-a@example.test", PASSWORD)).error ?? "", /^throttled:\d+$/, "the right password waits too");
    for (let k = 0; k < 3; k++) await passwordSignIn(stack.url, "nobody-here@example.test", "wrong password");
    assert.match((await passwordSignIn(stack.url, "nobody-here@example.test", "wrong password")).error ?? "", /^throttled:/, "unknown addresses look the same");
    // Six failures from this address so far; two more on another account reach the per-IP limit.
    for (let k = 0; k < 2; k++) await passwordSignIn(stack.url, "throttle-b@example.test", "wrong password");
    assert.match((await passwordSignIn(stack.url, "throttle-c@example.test", PASSWORD)).error ?? "", /^throttled:/, "a fresh account from the same network waits");
    await clearCounters();
    assert.ok((await passwordSignIn(stack.url, "throttle-c@example.test", PASSWORD)).cookie);
  });

  test("registration answers alike for new and taken addresses, in comparable time, and caps lengths", async () => {
    await seedAccount({ email: "taken@example.test", password: PASSWORD });
    const c = new Client(stack.url);
    const timed = async (email: string) => {
      const t = performance.now();
      const res = await c.request("POST", "/api/auth/register", { email, password: "some other password" });
      return { ms: performance.now() - t, status: res.status, json: res.json };
    };
    const fresh = [await timed("new-1@example.test"), await timed("new-2@example.test"), await timed("new-3@example.test")];
    const taken = [await timed("taken@example.test"), await timed("taken@example.test"), await timed("taken@example.test")];
    for (const r of [...fresh, ...taken]) assert.deepEqual([r.status, r.json], [fresh[0]!.status, fresh[0]!.json]);
    const median = (xs: { ms: number }[]) => xs.map((x) => x.ms).sort((a, b) => a - b)[1]!;
    const ratio = median(taken) / median(fresh);
    assert.ok(ratio > 0.5 && ratio < 2, `taken ${median(taken).toFixed(0)} ms vs new ${median(fresh).toFixed(0)} ms`);
    assert.equal((await c.request("POST", "/api/auth/register", { email: `${"a".repeat(243)}@example.test`, password: PASSWORD })).status, 422);
    assert.equal((await c.request("POST", "/api/auth/register", { email: "long-name@example.test", password: PASSWORD, name: "n".repeat(81) })).status, 422);
  });

  test("a password hash from before is upgraded to today's parameters at sign-in", async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString("base64url")}$${scryptSync(PASSWORD, salt, 32).toString("base64url")}`;
    await seedAccount({ email: "legacy@example.test", password: PASSWORD, passwordHash: legacy });
    assert.ok((await passwordSignIn(stack.url, "legacy@example.test", PASSWORD)).cookie);
    const stored = await db().user.findUniqueOrThrow({ where: { email: "legacy@example.test" }, select: { passwordHash: true } });
    assert.match(stored.passwordHash ?? "", /^scrypt\$ln=17,r=8,p=1\$/);
  });
});

describe("security headers", () => {
  test("pages, API, assets, static files and 404s carry them; forged https gets no HSTS", async () => {
    const html = await (await fetch(stack.url)).text();
    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1]!;
    const b = (await new Client(stack.url).request("POST", "/api/battles", { track: "text" })).json as { a: { glbUrl: string } };
    for (const path of ["/", "/leaderboard", "/api/health", "/api/leaderboard", b.a.glbUrl, chunk, "/no-such-page", "/api/no-such-route"]) {
      const res = await fetch(stack.url + path, { headers: { "x-forwarded-proto": "https" } });
      const h = res.headers;
      const csp = h.get("content-security-policy") ?? "";
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(h.get("x-content-type-options"), "nosniff", path);
      assert.equal(h.get("referrer-policy"), "same-origin", path);
      assert.ok(h.get("permissions-policy"), path);
      assert.equal(h.get("strict-transport-security"), null, `${path}: a client's X-Forwarded-Proto is not believed`);
      if (path.startsWith("/api") || path.startsWith("/_next")) assert.match(csp, /^default-src 'none'/, path);
      else assert.match(csp, /script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic' 'wasm-unsafe-eval'.*connect-src 'self' blob: data:/, path);
    }
  });

  test("the arena loads both models, and the console renders, without a CSP violation or console error", async () => {
    await seedAccount({ email: "csp-admin@example.test", password: PASSWORD, role: "admin" });
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await ctx.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    const check = async (p: Page, what: string) => {
      await p.waitForLoadState("load");
      await p.waitForTimeout(1500);
      assert.deepEqual(await p.evaluate(() => (window as unknown as { __csp: string[] }).__csp), [], `${what}: CSP violations`);
    };
    await page.goto(stack.url);
    for (const side of ["a", "b"]) await page.locator(`[data-testid="viewer-${side}"][data-loaded="true"]`).waitFor({ timeout: 90_000 });
    await check(page, "arena");
    for (const p of ["/leaderboard", "/signin"]) {
      await page.goto(stack.url + p);
      await check(page, p);
    }
    await page.goto(`${stack.url}/signin`);
    await page.getByTestId("signin-email").fill("csp-admin@example.test");
    await page.getByTestId("signin-password").fill(PASSWORD);
    await page.getByTestId("signin-submit").click();
    await page.getByTestId("nav-admin").waitFor({ timeout: 20_000 });
    const sweep = await db().sweep.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    const gen = await db().generation.findFirstOrThrow({ where: { sweepId: sweep.id, status: "ready" } });
    for (const p of ["/admin", "/admin/models", `/admin/sweeps/${sweep.id}`, `/admin/generations/${gen.id}`]) {
      await page.goto(stack.url + p);
      await check(page, p);
    }
    await page.locator('[data-testid="generation-viewer"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    await check(page, "generation viewer");
    assert.deepEqual(errors, [], "console errors");
    await ctx.close();
  });
});
