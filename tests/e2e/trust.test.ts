/**
 * Voting trust on the real stack: rate limits (429 + Retry-After), reports and every way they are
 * refused, vote quality signals, email + password accounts whose votes count as signed-in, and the
 * maintainers' moderation queue behind its role checks.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, signedInContext } from "../support/browser";
import { loggedVerificationLink } from "../support/accounts";
import { requireEnv } from "../support/env";
import { Client, launch, type Launched } from "../support/stack";

/** The moderation screenshots (desktop with a report card, phone) go to SCREENSHOT_DIR. */
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(process.env.ARENA_DATA_DIR ?? ".data/test", "screenshots");
mkdirSync(SHOTS, { recursive: true });

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");

const PORT = process.env.E2E_PORT_TRUST ?? "3109";
const VOTES_PER_MIN = 4;
const MOD_EMAIL = "mod@example.test";
const env = {
  PORT,
  ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
  RENDER_PROFILE: "preview",
  RATE_LIMIT_VOTES_PER_MIN: String(VOTES_PER_MIN),
  MAINTAINER_EMAILS: MOD_EMAIL,
  // The fraud audit has its own tests (tests/integration/vote-audit.test.ts). Here it must not run:
  // suites before this one voted from the same IP, and an audit would re-flag (or lift) the flag
  // this file sets by hand for the moderation test.
  FRAUD_AUDIT_DEBOUNCE_MS: "3600000",
};

let stack: Launched;
let browser: Browser;

before(async () => {
  stack = launch(env);
  await stack.waitFor(/ready: open/, 15 * 60_000);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await disconnectDb();
});

async function battle(c: Client, track: "text" | "image" = "text") {
  const res = await c.request("POST", "/api/battles", { track });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json as { id: string; token: string };
}

/**
 * A signed-in browser context (registers the account through the UI on first use). New accounts
 * confirm their address with the logged link (MAINTAINER_EMAILS and the signed-in scope need a
 * proven one), except "unverified..." ones.
 */
async function signedIn(email: string, password?: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const isNew = !(await db().user.findUnique({ where: { email } }));
  const verificationLink = email.startsWith("unverified") ? undefined : () => loggedVerificationLink(stack, email);
  return signedInContext(browser, { url: stack.url, email, isNew, password, verificationLink });
}

describe("rate limits", () => {
  test("battles and votes past the per-voter limit get 429 with Retry-After", async () => {
    const c = new Client(stack.url);
    const served = [];
    for (let k = 0; k < VOTES_PER_MIN + 1; k++) served.push(await battle(c));
    let last = null;
    for (const b of served) last = await c.request("POST", `/api/battles/${b.id}/vote`, { token: b.token, outcome: "a", decisionMs: 5000 });
    assert.equal(last!.status, 429, JSON.stringify(last!.json));
    assert.equal(last!.json.error.code, "rate_limited");
    assert.match(last!.json.error.message, /Too many votes/);
    const retry = Number(last!.headers.get("retry-after"));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    // Battles are allowed at twice the vote rate, then refused the same way.
    let res;
    do res = await c.request("POST", "/api/battles", { track: "image" });
    while (res.status === 201);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get("retry-after")) >= 1);
  });
});

describe("reports", () => {
  test("refuses unknown battles, bad tokens, other voters and bad reasons; accepts once", async () => {
    const c = new Client(stack.url);
    const b = await battle(c);
    const report = (who: Client, id: string, body: unknown) => who.request("POST", `/api/battles/${id}/report`, body);
    assert.equal((await report(c, "nope", { token: b.token, side: "a", reason: "broken" })).status, 404);
    assert.equal((await report(c, b.id, { token: "forged", side: "a", reason: "broken" })).json.error.code, "bad_token");
    const other = new Client(stack.url);
    await battle(other);
    assert.equal((await report(other, b.id, { token: b.token, side: "a", reason: "broken" })).json.error.code, "foreign_battle");
    assert.equal((await report(c, b.id, { token: b.token, side: "c", reason: "broken" })).status, 422);
    assert.equal((await report(c, b.id, { token: b.token, side: "a", reason: "ugly" })).status, 422);
    assert.equal((await report(c, b.id, { token: b.token, side: "a", reason: "x".repeat(10), note: "y".repeat(501) })).status, 422);
    const ok = await report(c, b.id, { token: b.token, side: "b", reason: "not_prompt", note: "that is a bowl, not a mug" });
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    const again = await report(c, b.id, { token: b.token, side: "b", reason: "broken" });
    assert.equal(again.status, 409);
    const stored = await db().report.findFirstOrThrow({ where: { battleId: b.id } });
    assert.deepEqual([stored.side, stored.reason, stored.status, stored.note], ["b", "not_prompt", "open", "that is a bowl, not a mug"]);
  });
});

describe("vote quality", () => {
  test("quality signals are stored; a too-fast vote (by the server's clock) counts but is marked", async () => {
    const c = new Client(stack.url);
    const fast = await battle(c);
    const slow = await battle(c);
    assert.equal((await c.request("POST", `/api/battles/${fast.id}/vote`, { token: fast.token, outcome: "b", decisionMs: 300, bothLoaded: true, interacted: false })).status, 201);
    await new Promise((r) => setTimeout(r, 2100)); // MIN_VIEW_MS (2 s) since the battle was served
    assert.equal((await c.request("POST", `/api/battles/${slow.id}/vote`, { token: slow.token, outcome: "tie", decisionMs: 9000, bothLoaded: false, interacted: true })).status, 201);
    const [f, s] = await Promise.all([fast, slow].map((b) => db().vote.findUniqueOrThrow({ where: { battleId: b.id } })));
    assert.deepEqual([f!.tooFast, f!.valid, f!.bothLoaded, f!.interacted, f!.clientDecisionMs], [true, true, true, false, 300]);
    assert.deepEqual([s!.tooFast, s!.bothLoaded, s!.interacted, s!.clientDecisionMs], [false, false, true, 9000]);
    assert.equal((await c.request("POST", `/api/battles/${slow.id}/vote`, { token: slow.token, outcome: "a", bothLoaded: "yes" })).status, 422);
  });
});

describe("accounts", () => {
  test("registration validates, and a signed-in voter's votes are recorded as signed-in", async () => {
    const c = new Client(stack.url);
    assert.equal((await c.request("POST", "/api/auth/register", { email: "not-an-email", password: "long enough" })).status, 422);
    assert.equal((await c.request("POST", "/api/auth/register", { email: "short@example.test", password: "short" })).status, 422);

    const { ctx, page } = await signedIn("voter@example.test");
    // An address that has an account gets the same answer as a new one: no account enumeration.
    const taken = await c.request("POST", "/api/auth/register", { email: "voter@example.test", password: "another password" });
    const fresh = await c.request("POST", "/api/auth/register", { email: "fresh-voter@example.test", password: "another password" });
    assert.deepEqual([taken.status, taken.json], [fresh.status, fresh.json]);
    assert.equal(taken.status, 201);
    const b = await page.request.post(`${stack.url}/api/battles`, { data: { track: "text" } });
    assert.equal(b.status(), 201);
    const served = (await b.json()) as { id: string; token: string };
    const v = await page.request.post(`${stack.url}/api/battles/${served.id}/vote`, { data: { token: served.token, outcome: "a", decisionMs: 4000 } });
    assert.equal(v.status(), 201);
    const vote = await db().vote.findUniqueOrThrow({ where: { battleId: served.id }, include: { voter: true } });
    assert.equal(vote.voterSignedIn, true);
    assert.equal(vote.voter.email, "voter@example.test");

    // An account whose address is not verified costs nothing to mint: its votes count as anonymous.
    const unverified = await signedIn("unverified-voter@example.test");
    const ub = await (await unverified.page.request.post(`${stack.url}/api/battles`, { data: { track: "text" } })).json();
    assert.equal((await unverified.page.request.post(`${stack.url}/api/battles/${ub.id}/vote`, { data: { token: ub.token, outcome: "b" } })).status(), 201);
    const uv = await db().vote.findUniqueOrThrow({ where: { battleId: ub.id }, include: { voter: true } });
    assert.deepEqual([uv.voterSignedIn, uv.voter.email], [false, "unverified-voter@example.test"]);
    await unverified.ctx.close();

    // The signed-in scope of the leaderboard picks the vote up.
    const deadline = Date.now() + 20_000;
    let votes = 0;
    while (votes < 1 && Date.now() < deadline) {
      votes = (await c.request("GET", "/api/leaderboard?voters=signed-in")).json.votes;
      if (votes < 1) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(votes >= 1, "signed-in leaderboard has the vote");

    // Wrong password: a readable error, no session.
    const other = await browser.newPage();
    await other.goto(`${stack.url}/signin`);
    await other.getByTestId("signin-email").fill("voter@example.test");
    await other.getByTestId("signin-password").fill("wrong password");
    await other.getByTestId("signin-submit").click();
    assert.match(await other.getByTestId("signin-error").innerText(), /Wrong email or password/);
    await other.close();
    await ctx.close();
  });
});

describe("moderation", () => {
  test("only maintainers can see the queue or act on it", async () => {
    const anon = new Client(stack.url);
    assert.equal((await anon.request("POST", "/api/moderation/votes/x", { action: "count" })).status, 401);
    assert.equal((await anon.request("POST", "/api/moderation/outputs/x", { action: "hide" })).status, 401);
    const res = await fetch(`${stack.url}/moderation`, { redirect: "manual" });
    assert.ok([303, 307, 308].includes(res.status), `anonymous /moderation → ${res.status}`);
    assert.match(res.headers.get("location") ?? "", /\/signin/);

    const { ctx, page } = await signedIn("voter@example.test");
    assert.equal((await page.request.post(`${stack.url}/api/moderation/votes/x`, { data: { action: "count" } })).status(), 403);
    await page.goto(`${stack.url}/moderation`);
    await page.getByTestId("moderation-forbidden").waitFor();
    await ctx.close();
  });

  test("a maintainer hides a reported output and overrides a fraud flag", async () => {
    const report = await db().report.findFirstOrThrow({ where: { status: "open" }, orderBy: { createdAt: "desc" } });
    const flagged = await db().vote.findFirstOrThrow({ where: { valid: true }, orderBy: { createdAt: "desc" } });
    await db().vote.update({ where: { id: flagged.id }, data: { valid: false, flagRule: "same-side", invalidReason: "test: always picked side a" } });

    const { ctx, page } = await signedIn(MOD_EMAIL);
    await page.goto(`${stack.url}/moderation`);
    await page.getByTestId("moderation-page").waitFor();
    await page.getByTestId("nav-moderation").waitFor();
    const item = page.locator(`[data-testid="report-item"][data-generation="${report.generationId}"]`);
    // What a decision needs is on the card: the prompt, its display views (else the four benchmark views), when and how often.
    const gen = await db().generation.findUniqueOrThrow({ where: { id: report.generationId }, include: { category: true } });
    assert.ok((await item.getByTestId("report-prompt").innerText()).includes(gen.category.description.slice(0, 40)));
    const shown = gen.displayRenderKeys?.length ? gen.displayRenderKeys : gen.renderKeys;
    assert.ok(gen.displayRenderKeys?.length, "generations made now have display views");
    assert.deepEqual(
      await item.getByTestId("report-views").locator("img").evaluateAll((els) => els.map((e) => new URL((e as HTMLImageElement).src).pathname)),
      shown.slice(0, 4).map((k) => `/api/staff/assets/${k}`),
    );
    assert.match(await item.getByTestId("report-when").innerText(), /^\d+ reports? · first /);
    await page.screenshot({ path: path.join(SHOTS, "moderation-desktop.png"), fullPage: true });
    await item.getByTestId("report-view-3d").click();
    await item.getByTestId("report-viewer").waitFor();
    // Hiding asks first.
    await item.getByTestId("report-hide").click();
    assert.equal((await db().generation.findUniqueOrThrow({ where: { id: report.generationId } })).status, "ready", "not before it is confirmed");
    await item.getByTestId("report-hide-confirm").click();
    await item.waitFor({ state: "detached" });
    assert.equal((await db().generation.findUniqueOrThrow({ where: { id: report.generationId } })).status, "hidden");
    assert.equal((await db().report.findUniqueOrThrow({ where: { id: report.id } })).status, "actioned");
    // ... and can be undone: the output and its reports come back, and both steps are audited.
    await page.locator(`[data-testid="hidden-item"][data-generation="${report.generationId}"]`).getByTestId("hidden-undo").click();
    await item.waitFor();
    assert.equal((await db().generation.findUniqueOrThrow({ where: { id: report.generationId } })).status, "ready");
    assert.equal((await db().report.findUniqueOrThrow({ where: { id: report.id } })).status, "open");
    const audited = await db().auditLog.findMany({ where: { targetId: report.generationId }, orderBy: { createdAt: "asc" }, include: { actor: true } });
    assert.deepEqual(audited.slice(-3).map((a) => a.action), ["generation.hide", "generation.unhide", "reports.reopen"]);
    assert.ok(audited.slice(-3).every((a) => a.actor?.email === MOD_EMAIL));
    // Undo only undoes a moderator's hide.
    assert.equal((await page.request.post(`${stack.url}/api/moderation/outputs/${report.generationId}`, { data: { action: "unhide" } })).status(), 409);
    await item.getByTestId("report-hide").click();
    await item.getByTestId("report-hide-confirm").click();
    await item.waitFor({ state: "detached" });
    assert.equal((await db().generation.findUniqueOrThrow({ where: { id: report.generationId } })).status, "hidden");

    const row = page.locator(`[data-testid="flagged-vote"][data-vote="${flagged.id}"]`);
    assert.match(await row.innerText(), /always picked side a/);
    await row.getByTestId("vote-count").click();
    await page.locator(`[data-testid="flagged-vote"][data-vote="${flagged.id}"][data-valid="true"]`).waitFor();
    const after = await db().vote.findUniqueOrThrow({ where: { id: flagged.id }, include: { reviewedBy: true } });
    assert.equal(after.valid, true);
    assert.equal(after.reviewedBy?.email, MOD_EMAIL);
    const voteAudit = await db().auditLog.findFirstOrThrow({ where: { targetId: flagged.id }, include: { actor: true } });
    assert.equal(voteAudit.action, "vote.count");
    assert.equal(voteAudit.actor?.email, MOD_EMAIL);
    // On a phone the page does not scroll sideways (the votes table scrolls inside its own box).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId("moderation-page").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "moderation-phone.png"), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    await ctx.close();
    // Restore the output for the suites that follow.
    await db().generation.update({ where: { id: report.generationId }, data: { status: "ready" } });
  });
});
