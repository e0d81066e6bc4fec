/**
 * Who sees what, on the real stack. Every admin and moderation page (plain, with the RSC header,
 * with ?_rsc=) and every staff API, fetched signed out, as a voter and as a maintainer, carries
 * none of the seeded restricted data (bytes checked; an admin's fetch of the same URLs finds it,
 * so the check can fail). Roles live in the database: demotion, blocking and deletion act on the
 * next request. Registering an unverified ADMIN_EMAILS address grants nothing, and the owner of
 * the mailbox takes the account back. Callback URLs stay on the site.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchChromium, signedInContext } from "../support/browser";
import { requireEnv } from "../support/env";
import { launch, type Launched } from "../support/stack";
import { confirmEmail, loggedVerificationLink, passwordSignIn, seedAccount } from "../support/accounts";
import { MARK, MARKERS, removeLeakMarkers, seedLeakMarkers, type Seeded } from "../support/leak-markers";

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");
const users = await import("@/lib/auth/users");

const PORT = process.env.E2E_PORT_ACCESS ?? "3111";
const PASSWORD = "correct horse battery";
const ADMIN = "access-admin@example.test";
const MAINTAINER = "access-mod@example.test";
const VOTER = "access-voter@example.test";
/** Listed in ADMIN_EMAILS, registered by someone who does not own the mailbox. */
const CLAIMED = "first-admin@example.test";

let stack: Launched;
let browser: Browser;
let seeded: Seeded;
const cookies: Record<"admin" | "maintainer" | "voter", string> = { admin: "", maintainer: "", voter: "" };

before(async () => {
  stack = launch({
    PORT,
    ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
    RENDER_PROFILE: "preview",
    ADMIN_EMAILS: `${ADMIN},${CLAIMED}`,
    MAINTAINER_EMAILS: MAINTAINER,
    // The fraud audit could lift the seeded flag while these tests look for it.
    FRAUD_AUDIT_DEBOUNCE_MS: "3600000",
  });
  await stack.waitFor(/ready: open/, 15 * 60_000);
  browser = await launchChromium();
  const adminId = await seedAccount({ email: ADMIN, password: PASSWORD, role: "admin" });
  await seedAccount({ email: MAINTAINER, password: PASSWORD, role: "maintainer" });
  const voterId = await seedAccount({ email: VOTER, password: PASSWORD });
  seeded = await seedLeakMarkers({ adminId, voterId });
  for (const [who, email] of [["admin", ADMIN], ["maintainer", MAINTAINER], ["voter", VOTER]] as const) {
    cookies[who] = (await passwordSignIn(stack.url, email, PASSWORD)).cookie;
    assert.ok(cookies[who], `${who} signed in`);
  }
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  if (seeded) await removeLeakMarkers(seeded);
  await disconnectDb();
});

const adminPages = () => [
  "/admin",
  "/admin/models",
  "/admin/models/new",
  `/admin/models/${seeded.contestantId}`,
  "/admin/sweeps",
  "/admin/sweeps/new",
  `/admin/sweeps/${seeded.sweepId}`,
  `/admin/generations/${seeded.generationId}`,
  "/admin/import",
  "/admin/audit",
  "/admin/audit?action=leak",
  "/admin/judge",
];

const adminApis = (): [string, string, unknown?][] => [
  ["GET", "/api/admin/models"],
  ["POST", "/api/admin/models", {}],
  ["PUT", `/api/admin/models/${seeded.contestantId}`, {}],
  ["POST", `/api/admin/models/${seeded.contestantId}`, { action: "test" }],
  ["GET", "/api/admin/keys"],
  ["POST", "/api/admin/keys", { name: MARK.key, value: "sk-overwrite-0000" }],
  ["DELETE", `/api/admin/keys/${MARK.key}`],
  ["GET", "/api/admin/sweeps"],
  ["POST", "/api/admin/sweeps", {}],
  ["POST", "/api/admin/sweeps/plan", { name: "x", contestants: [MARK.slug], categories: { mode: "all" }, tracks: ["text"] }],
  ["GET", `/api/admin/sweeps/${seeded.sweepId}`],
  ["POST", `/api/admin/sweeps/${seeded.sweepId}`, { action: "retry" }],
  ["GET", `/api/admin/generations/${seeded.generationId}`],
  ["POST", `/api/admin/generations/${seeded.generationId}`, { action: "hide" }],
  ["POST", "/api/admin/import", {}],
  ["GET", "/api/admin/audit?action=leak"],
  ["GET", "/api/admin/queues"],
  ["GET", "/api/admin/judge/runs"],
  ["POST", "/api/admin/judge/runs", { judge: MARK.slug, mode: "code", track: "text", budgetUsd: 1 }],
  ["POST", "/api/admin/judge/plan", { judge: MARK.slug, mode: "code", track: "text", budgetUsd: 1 }],
  ["POST", "/api/admin/judge/runs/none", { action: "cancel" }],
  ["GET", "/api/admin/judge/overview"],
];
const moderationApis = (): [string, string, unknown?][] => [
  ["POST", `/api/moderation/votes/${seeded.voteId}`, { action: "count" }],
  ["POST", `/api/moderation/outputs/${seeded.generationId}`, { action: "hide" }],
];

/** Every byte a client gets for a page, in each way a browser or a curl can ask for it. */
async function pageBytes(path: string, cookie: string): Promise<{ variant: string; status: number; location: string | null; body: string }[]> {
  const rsc = path.includes("?") ? `${path}&_rsc=x1` : `${path}?_rsc=x1`;
  const variants: [string, string, Record<string, string>][] = [
    ["plain", path, {}],
    ["RSC header", path, { rsc: "1" }],
    ["?_rsc", rsc, {}],
    ["RSC header + ?_rsc", rsc, { rsc: "1", "next-router-state-tree": "%5B%22%22%2C%7B%7D%5D" }],
  ];
  const out = [];
  for (const [variant, url, headers] of variants) {
    for (const redirect of ["manual", "follow"] as const) {
      const res = await fetch(stack.url + url, { headers: { ...headers, ...(cookie ? { cookie } : {}) }, redirect });
      out.push({ variant: `${variant} (${redirect})`, status: res.status, location: res.headers.get("location"), body: await res.text() });
    }
  }
  return out;
}

function assertNoMarkers(what: string, body: string, alsoHidden: string[] = []): void {
  for (const m of [...MARKERS, ...alsoHidden]) assert.ok(!body.includes(m), `${what} leaks "${m}"`);
}

async function api(method: string, url: string, body: unknown, cookie: string): Promise<{ status: number; text: string }> {
  const res = await fetch(stack.url + url, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe("restricted data stays out of unauthorised responses", () => {
  test("signed out: staff pages redirect to sign-in, staff APIs answer 401, none carries the data", async () => {
    for (const path of [...adminPages(), "/moderation"]) {
      for (const r of await pageBytes(path, "")) {
        assertNoMarkers(`anonymous ${path} ${r.variant}`, r.body, [ADMIN, MAINTAINER]);
        if (r.variant.endsWith("(manual)") && r.variant.startsWith("plain")) {
          assert.equal(r.status, 307, `${path} ${r.variant}`);
          assert.equal(r.location, `/signin?callbackUrl=${encodeURIComponent(path.split("?")[0]!)}`);
        }
      }
    }
    for (const [method, url, body] of [...adminApis(), ...moderationApis()]) {
      const r = await api(method, url, body, "");
      assert.equal(r.status, 401, `${method} ${url}`);
      assertNoMarkers(`anonymous ${method} ${url}`, r.text);
    }
  });

  test("a voter: the forbidden screen and 403s, none carries the data", async () => {
    for (const path of [...adminPages(), "/moderation"]) {
      for (const r of await pageBytes(path, cookies.voter)) {
        assertNoMarkers(`voter ${path} ${r.variant}`, r.body, [ADMIN, MAINTAINER]);
        // An RSC request without Next's cache-busting value is first redirected to one.
        if (r.status === 307) assert.match(r.location ?? "", /_rsc/, `${path} ${r.variant}`);
        else assert.ok(r.status === 200 && r.body.includes(path === "/moderation" ? "moderation-forbidden" : "admin-forbidden"), `${path} ${r.variant}: ${r.status}`);
      }
    }
    for (const [method, url, body] of [...adminApis(), ...moderationApis()]) {
      const r = await api(method, url, body, cookies.voter);
      assert.equal(r.status, 403, `${method} ${url}: ${r.text}`);
      assertNoMarkers(`voter ${method} ${url}`, r.text);
    }
  });

  test("a maintainer: admin pages and APIs refuse; the moderation queue is theirs", async () => {
    for (const path of adminPages()) {
      for (const r of await pageBytes(path, cookies.maintainer)) assertNoMarkers(`maintainer ${path} ${r.variant}`, r.body, [ADMIN]);
    }
    for (const [method, url, body] of adminApis()) {
      const r = await api(method, url, body, cookies.maintainer);
      assert.equal(r.status, 403, `${method} ${url}`);
      assertNoMarkers(`maintainer ${method} ${url}`, r.text);
    }
    const queue = await (await fetch(`${stack.url}/moderation`, { headers: { cookie: cookies.maintainer } })).text();
    assert.ok(queue.includes(MARK.flag) && queue.includes(MARK.slug), "the maintainer sees the flagged vote and the reported output");
  });

  test("an admin's fetch of the same pages and APIs finds the markers (the checks above can fail)", async () => {
    const seen = new Set<string>();
    for (const path of adminPages()) for (const r of await pageBytes(path, cookies.admin)) for (const m of MARKERS) if (r.body.includes(m)) seen.add(m);
    for (const [method, url] of adminApis().filter(([m]) => m === "GET")) {
      const r = await api(method, url, undefined, cookies.admin);
      assert.equal(r.status, 200, `${method} ${url}`);
      for (const m of MARKERS) if (r.text.includes(m)) seen.add(m);
    }
    for (const m of [MARK.slug, MARK.providerModelId, MARK.code, MARK.error, MARK.sweep, MARK.audit, MARK.key]) assert.ok(seen.has(m), `an admin sees ${m}`);
  });
});

describe("roles live in the database", () => {
  test("a demoted admin loses access on the next request; a blocked or deleted account is signed out", async () => {
    const email = "demote-me@example.test";
    await seedAccount({ email, password: PASSWORD, role: "admin" });
    const { cookie } = await passwordSignIn(stack.url, email, PASSWORD);
    const models = () => api("GET", "/api/admin/models", undefined, cookie).then((r) => r.status);
    assert.equal(await models(), 200);
    await users.setRole(email, "voter");
    assert.equal(await models(), 403, "demotion acts on the next request, without a new sign-in");
    await users.setRole(email, "admin");
    assert.equal(await models(), 200);
    await users.setBlocked(email, true);
    assert.equal(await models(), 401, "blocked: signed out");
    assert.equal((await passwordSignIn(stack.url, email, PASSWORD)).error, "blocked");
    await users.setBlocked(email, false);
    assert.equal(await models(), 401, "unblocking does not revive the old session");
    const again = await passwordSignIn(stack.url, email, PASSWORD);
    assert.equal(await api("GET", "/api/admin/models", undefined, again.cookie).then((r) => r.status), 200);
    await users.signOutEverywhere(email);
    assert.equal(await api("GET", "/api/admin/models", undefined, again.cookie).then((r) => r.status), 401, "revoke ends every session");
    const third = await passwordSignIn(stack.url, email, PASSWORD);
    await db().user.delete({ where: { email } });
    assert.equal(await api("GET", "/api/admin/models", undefined, third.cookie).then((r) => r.status), 401, "deleted: signed out");
  });

  test("registering an unverified ADMIN_EMAILS address grants nothing; the mailbox owner takes the account", async () => {
    const registeredAt = stack.output().length;
    const attacker = await signedInContext(browser, { url: stack.url, email: CLAIMED, isNew: true, password: "attacker password" });
    await attacker.page.goto(`${stack.url}/admin/generations/${seeded.generationId}`);
    await attacker.page.getByTestId("admin-forbidden").waitFor();
    assertNoMarkers("the attacker's admin page", await attacker.page.content(), [ADMIN]);
    const res = await attacker.ctx.request.get(`${stack.url}/api/admin/generations/${seeded.generationId}`);
    assert.equal(res.status(), 403);
    assertNoMarkers("the attacker's admin API", await res.text());
    assert.equal(await attacker.page.getByTestId("nav-admin").count(), 0);
    assert.equal((await db().user.findUniqueOrThrow({ where: { email: CLAIMED } })).role, "voter");

    // The owner opens the link the address received and chooses a password: it replaces the
    // attacker's, whose session ends; the owner is admin.
    const owner = await browser.newContext();
    const page = await owner.newPage();
    await confirmEmail(page, await loggedVerificationLink(stack, CLAIMED, { notBefore: registeredAt }), "owner's own password");
    assert.equal(await page.getByTestId("verify-done").getAttribute("data-password-changed"), "true");
    assert.equal((await attacker.ctx.request.get(`${stack.url}/api/admin/generations/${seeded.generationId}`)).status(), 401, "the attacker is signed out");
    assert.equal((await passwordSignIn(stack.url, CLAIMED, "attacker password")).error, "CredentialsSignin");
    const signedIn = await passwordSignIn(stack.url, CLAIMED, "owner's own password");
    assert.equal(await api("GET", "/api/admin/models", undefined, signedIn.cookie).then((r) => r.status), 200);
    await owner.close();
    await attacker.ctx.close();
  });
});

describe("callback URLs", () => {
  const EVIL = ["/%5Cevil.example", "//evil.example", "/%5C/evil.example", "/%09/evil.example", "https://evil.example", "javascript:alert(1)"];

  test("the sign-in page and next-auth only send people to pages on this site", async () => {
    for (const evil of EVIL) {
      const res = await fetch(`${stack.url}/signin?callbackUrl=${evil}`, { headers: { cookie: cookies.voter }, redirect: "manual" });
      assert.equal(res.status, 307, evil);
      const location = new URL(res.headers.get("location")!, stack.url);
      assert.equal(location.host, new URL(stack.url).host, `${evil} → ${location.href}`);
      const auth = await passwordSignIn(stack.url, VOTER, PASSWORD, decodeURIComponent(evil));
      assert.equal(new URL(auth.url).host.includes("evil"), false, `next-auth ${evil} → ${auth.url}`);
    }
    assert.equal(new URL((await fetch(`${stack.url}/signin?callbackUrl=/leaderboard`, { headers: { cookie: cookies.voter }, redirect: "manual" })).headers.get("location")!, stack.url).pathname, "/leaderboard");
  });

  test("signing in through the form with a hostile callback lands on this site", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${stack.url}/signin?callbackUrl=/%5Cevil.example`);
    await page.getByTestId("signin-email").fill(VOTER);
    await page.getByTestId("signin-password").fill(PASSWORD);
    await page.getByTestId("signin-submit").click();
    await page.getByTestId("nav-user").waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).host, new URL(stack.url).host, page.url());
    await ctx.close();
  });
});
