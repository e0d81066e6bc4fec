/**
 * The LLM judge on the real stack (launcher, web, workers) with the judge model mocked at the wire:
 * an admin estimates and starts a run from /admin/judge, the generation worker judges every
 * human-voted battle, and the page shows the agreement figures, the confusion matrix and both
 * boards, readable on a desktop and a phone (no sideways scroll). Screenshots go to SCREENSHOT_DIR.
 * Also: who may not see or start runs, and a hostile request body.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, signedInContext } from "../support/browser";
import { seedAccount } from "../support/accounts";
import { requireEnv } from "../support/env";
import { Client, launch, type Launched } from "../support/stack";
import { startAllMockProviders, type AllMockProviders } from "../support/mock-providers";
import { markedVerdict, seedJudgeBattles, type JudgeSeed } from "../support/judge-seed";

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");

const PORT = process.env.E2E_PORT_JUDGE ?? "3118";
const P = "jdge2e";
const ADMIN_EMAIL = "judge-admin@example.test";
const VOTER_EMAIL = "judge-voter@example.test";
const PASSWORD = "correct horse battery";
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(process.env.ARENA_DATA_DIR ?? ".data/test", "screenshots");
mkdirSync(SHOTS, { recursive: true });

let mocks: AllMockProviders;
let stack: Launched;
let browser: Browser;
let seed: JudgeSeed;
let admin: { ctx: BrowserContext; page: Page };

before(async () => {
  mocks = await startAllMockProviders();
  seed = await seedJudgeBattles(P, [{ key: "marked", model: "mock-judge-marked" }], mocks.openai.url);
  for (const email of [ADMIN_EMAIL, VOTER_EMAIL]) await db().user.deleteMany({ where: { email } });
  await seedAccount({ email: ADMIN_EMAIL, password: PASSWORD, role: "admin" });
  await seedAccount({ email: VOTER_EMAIL, password: PASSWORD });
  stack = launch({
    ...mocks.env,
    PORT,
    // No sweep: the battles are seeded; the generation worker is what judges them.
    ARENA_SWEEP_CATEGORIES: "NoSuchCategory_seed0",
    RENDER_PROFILE: "preview",
    PROVIDER_RATE_LIMITER: "memory",
  });
  await stack.waitFor(/ready: open/, 15 * 60_000);
  browser = await launchChromium();
  admin = await signedInContext(browser, { url: stack.url, email: ADMIN_EMAIL, isNew: false, password: PASSWORD, context: { viewport: { width: 1440, height: 900 } } });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await mocks?.close();
  await seed?.cleanup();
  await db().user.deleteMany({ where: { email: { in: [ADMIN_EMAIL, VOTER_EMAIL] } } });
  await disconnectDb();
});

/** A phone browser widens its layout viewport to fit wide content, so compare with the device width. */
async function noSideScroll(page: Page, deviceWidth: number): Promise<void> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= deviceWidth, `page is ${scroll}px wide on a ${deviceWidth}px screen`);
}

describe("LLM judge console", () => {
  test("signed-out visitors and voters can neither read nor start runs", async () => {
    const anon = new Client(stack.url);
    for (const [method, url, body] of [
      ["GET", "/api/admin/judge/overview"],
      ["GET", "/api/admin/judge/runs"],
      ["POST", "/api/admin/judge/plan", { judge: seed.judgeSlug("marked"), mode: "code", track: "text", budgetUsd: 1 }],
      ["POST", "/api/admin/judge/runs", { judge: seed.judgeSlug("marked"), mode: "code", track: "text", budgetUsd: 1 }],
    ] as [string, string, unknown?][]) {
      const res = await anon.request(method, url, body, undefined, { origin: stack.url });
      assert.equal(res.status, 401, `${method} ${url}: ${JSON.stringify(res.json)}`);
      assert.doesNotMatch(JSON.stringify(res.json), /jdge2e|mock-judge/);
    }
    const voter = await signedInContext(browser, { url: stack.url, email: VOTER_EMAIL, isNew: false, password: PASSWORD });
    await voter.page.goto(`${stack.url}/admin/judge`);
    await voter.page.getByTestId("admin-forbidden").waitFor();
    assert.doesNotMatch(await voter.page.content(), /mock-judge|Judge marked/);
    const res = await voter.page.evaluate(async () => (await fetch("/api/admin/judge/overview")).status);
    assert.equal(res, 403);
    await voter.ctx.close();
    assert.equal(await db().judgeRun.count({ where: { judgeContestantId: seed.judgeId("marked") } }), 0);
  });

  test("a hostile request body is refused with a readable error", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/judge`);
    const post = (body: unknown) =>
      page.evaluate(async (b) => {
        const r = await fetch("/api/admin/judge/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
        return { status: r.status, body: await r.text() };
      }, body);
    const negative = await post({ judge: seed.judgeSlug("marked"), mode: "code", track: "text", budgetUsd: -1 });
    assert.equal(negative.status, 422, negative.body);
    assert.match(negative.body, /budgetUsd/);
    const extra = await post({ judge: seed.judgeSlug("marked"), mode: "code", track: "text", budgetUsd: 1, temperature: 2 });
    assert.equal(extra.status, 422, extra.body);
    const noModel = await post({ judge: `${P}-x`, mode: "code", track: "text", budgetUsd: 1 });
    assert.equal(noModel.status, 422, noModel.body);
    assert.doesNotMatch(noModel.body, /at \/|\.ts:\d/);
  });

  test("an admin sees the estimate, starts a run, and reads agreement and boards (desktop and phone)", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/judge`);
    await page.getByTestId("judge-model").selectOption(seed.judgeSlug("marked"));
    await page.getByTestId("judge-mode").selectOption("code");
    await page.getByTestId("judge-track").selectOption("text");
    await page.getByTestId("judge-set").selectOption(seed.setName);
    await page.getByTestId("judge-budget").fill("2");
    assert.equal(await page.getByTestId("judge-start").isDisabled(), true, "no start before an estimate");
    await page.getByTestId("judge-estimate").click();
    const plan = page.getByTestId("judge-plan");
    await plan.waitFor({ timeout: 20_000 });
    assert.match(await plan.innerText(), /24 battles with a valid human vote; 0 already judged.*24 to judge.*Expected cost \$/s);
    await page.getByTestId("judge-start").click();

    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await db().judgeRun.findFirst({ where: { judgeContestantId: seed.judgeId("marked") } });
      if (run?.finishedAt) {
        assert.equal(run.status, "completed");
        break;
      }
      assert.ok(Date.now() < deadline, "the run did not finish in 2 minutes");
      await new Promise((r) => setTimeout(r, 500));
    }
    const verdicts = await db().judgeVerdict.findMany({ where: { judgeContestantId: seed.judgeId("marked") } });
    assert.equal(verdicts.length, 24);
    for (const v of verdicts) assert.equal(v.verdict, markedVerdict(seed.battles.find((b) => b.id === v.battleId)!), v.battleId);
    assert.equal(mocks.openai.calls.filter((c) => c.model === "mock-judge-marked").length, 24);

    await page.goto(`${stack.url}/admin/judge`);
    const group = page.locator(`[data-testid="judge-group"][data-judge="${seed.judgeSlug("marked")}"]`);
    await group.waitFor();
    // Exact agreement 15/24 = 62.5%; the 14 decisive pairs (x-y 7, x-z 7) are under the minimum of 20.
    assert.match(await group.innerText(), /62\.5%/);
    assert.match(await group.innerText(), /not enough data \(n=14, need 20\)/);
    assert.equal(await group.getByTestId("judge-cell-0-0").innerText(), "6");
    await group.getByTestId("judge-board").waitFor();
    await group.getByTestId("human-board").waitFor();
    assert.match(await group.getByTestId("judge-board").innerText(), /Model X: not rated, no loss yet/);
    const run = page.locator('[data-testid="judge-run"][data-status="completed"]').first();
    assert.equal(await run.getByTestId("judge-run-done").getAttribute("data-count"), "24");
    await noSideScroll(page, 1440);
    await page.screenshot({ path: path.join(SHOTS, "judge-desktop.png"), fullPage: true });

    const phoneCtx = await browser.newContext({ storageState: await admin.ctx.storageState(), viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phone = await phoneCtx.newPage();
    await phone.goto(`${stack.url}/admin/judge`);
    await phone.locator(`[data-testid="judge-group"][data-judge="${seed.judgeSlug("marked")}"]`).waitFor();
    await noSideScroll(phone, 390);
    await phone.screenshot({ path: path.join(SHOTS, "judge-phone.png"), fullPage: true });
    await phoneCtx.close();
  });
});
