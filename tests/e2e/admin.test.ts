/**
 * The admin console on the real stack with mock model APIs at the wire: register models, test
 * their connection, plan and start a sweep, watch it finish live, retry a failure, inspect a
 * generation, pause/resume/cancel, and the role checks on every admin route.
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
import { startAllMockProviders, type AllMockProviders } from "../support/mock-providers";

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");

const PORT = process.env.E2E_PORT_ADMIN ?? "3110";
const ADMIN_EMAIL = "admin@example.test";
const VOTER_EMAIL = "plain-voter@example.test";
const CATEGORIES = ["Mug_seed0", "Stool_seed0"];
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(process.env.ARENA_DATA_DIR ?? ".data/test", "screenshots");

let mocks: AllMockProviders;
let stack: Launched;
let browser: Browser;
let admin: { ctx: BrowserContext; page: Page };
let mainSweepId = "";

before(async () => {
  mocks = await startAllMockProviders();
  stack = launch({
    ...mocks.env,
    PORT,
    ARENA_SWEEP_CATEGORIES: CATEGORIES.join(","),
    RENDER_PROFILE: "preview",
    ADMIN_EMAILS: ADMIN_EMAIL,
    PROVIDER_RATE_LIMITER: "memory",
    // "The new outputs are served" asks for up to 60 battles as 60 new visitors from one machine:
    // what the per-IP limit on new voters exists to stop (tests/e2e/network.test.ts covers it).
    RATE_LIMIT_IP_NEW_VOTERS_PER_MIN: "100000",
    // SigLIP-2 on the tiny fixture models (docs/metrics.md); DINOv3 left unconfigured.
    METRIC_SIGLIP2_DIR: path.resolve("tests/fixtures/metrics/siglip2-tiny"),
    METRIC_DINOV3_DIR: "",
  });
  await stack.waitFor(/ready: open/, 15 * 60_000);
  browser = await launchChromium();
  admin = await signedIn(ADMIN_EMAIL);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await mocks?.close();
  // Later suites share this database and expect only the built-in contestants in the arena and
  // on the leaderboard: hide the models registered here (their outputs cannot be deleted once
  // served in a battle).
  await db().contestant.updateMany({ where: { kind: { in: ["llm", "agent"] } }, data: { status: "hidden" } });
  await disconnectDb();
});

async function signedIn(email: string, password?: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const isNew = !(await db().user.findUnique({ where: { email } }));
  // The admin proves its address first: ADMIN_EMAILS applies only to a verified one.
  const verificationLink = email === ADMIN_EMAIL ? () => loggedVerificationLink(stack, email) : undefined;
  return signedInContext(browser, { url: stack.url, email, isNew, password, verificationLink, context: { viewport: { width: 1400, height: 1000 } } });
}

async function registerModel(page: Page, m: { slug: string; provider: string; modelId: string; name: string; harness: string }): Promise<string> {
  await page.goto(`${stack.url}/admin/models/new`);
  await page.getByTestId("model-provider").selectOption(m.provider);
  await page.getByTestId("model-id").fill(m.modelId);
  await page.getByTestId("model-slug").fill(m.slug);
  await page.getByTestId("model-name").fill(m.name);
  await page.getByTestId("model-org").fill("Mock Labs");
  await page.getByTestId("model-harness").selectOption(m.harness);
  await page.getByTestId("model-priceInput").fill("2");
  await page.getByTestId("model-priceOutput").fill("8");
  await page.getByTestId("model-save").click();
  await page.locator(`[data-testid="admin-model"][data-slug="${m.slug}"]`).waitFor({ timeout: 20_000 });
  return (await db().contestant.findUniqueOrThrow({ where: { slug: m.slug } })).id;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 5 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("admin console", () => {
  test("the header links admins to the console", async () => {
    await admin.page.goto(stack.url);
    await admin.page.getByTestId("nav-admin").click();
    await admin.page.getByTestId("admin-dashboard").waitFor();
    await admin.page.getByTestId("queue-health").waitFor();
  });

  test("register two models and test their connections", async () => {
    const { page } = admin;
    const good = await registerModel(page, { slug: "mock-good-openai", provider: "openai", modelId: "mock-good", name: "Mock Good", harness: "multi-turn" });
    await page.getByTestId("model-test").click();
    const result = page.getByTestId("model-test-result");
    await result.waitFor({ timeout: 30_000 });
    assert.equal(await result.getAttribute("data-ok"), "true", await result.innerText());
    assert.match(await result.innerText(), /Connection OK in \d+ ms/);

    await registerModel(page, { slug: "mock-flaky-anthropic", provider: "anthropic", modelId: "mock-flaky-code", name: "Mock Flaky", harness: "multi-turn" });
    await page.getByTestId("model-test").click();
    await page.locator('[data-testid="model-test-result"][data-ok="true"]').waitFor({ timeout: 30_000 });

    // A wrong request is refused with a readable message, not a stack trace.
    await page.goto(`${stack.url}/admin/models/new`);
    await page.getByTestId("model-provider").selectOption("openai");
    await page.getByTestId("model-id").fill("x");
    await page.getByTestId("model-slug").fill("mock-good-openai");
    await page.getByTestId("model-name").fill("dup");
    await page.getByTestId("model-save").click();
    assert.match(await page.getByTestId("model-error").innerText(), /exists already/);

    await page.goto(`${stack.url}/admin/models`);
    await page.locator('[data-testid="model-row"][data-slug="mock-good-openai"]').waitFor();
    const audit = await db().auditLog.findMany({ where: { targetId: good } });
    assert.deepEqual(audit.map((a) => a.action).sort(), ["model.create", "model.test"]);
  });

  test("stored keys show only their last four characters", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/models`);
    await page.getByTestId("key-name").fill("e2e-key");
    await page.getByTestId("key-value").fill("sk-secret-value-9876");
    await page.getByTestId("key-save").click();
    await page.locator('[data-testid="key-row"][data-name="e2e-key"]').waitFor();
    assert.match(await page.locator('[data-testid="key-row"][data-name="e2e-key"]').innerText(), /…9876/);
    const listed = await page.request.get(`${stack.url}/api/admin/keys`);
    const text = await listed.text();
    assert.ok(!text.includes("sk-secret-value"), "the key value never goes back to the browser");
    assert.ok((await page.content()).indexOf("sk-secret-value") === -1);
    assert.equal((await page.request.delete(`${stack.url}/api/admin/keys/e2e-key`)).status(), 200);
  });

  test("plan, start and watch a multi-turn sweep complete live", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/sweeps/new`);
    await page.getByTestId("sweep-name").fill("e2e mock sweep");
    await page.locator('[data-testid="sweep-model"][data-slug="mock-good-openai"]').check();
    await page.locator('[data-testid="sweep-model"][data-slug="mock-flaky-anthropic"]').check();
    await page.getByTestId("sweep-categories-list").check();
    for (const c of CATEGORIES) await page.locator(`[data-testid="sweep-category"][data-id="${c}"]`).check();
    // Nothing to plan: the form says what is missing, in plain words, instead of "Planning…" forever.
    await page.getByTestId("sweep-track-text").uncheck();
    await page.getByTestId("sweep-track-image").uncheck();
    assert.match(await page.getByTestId("sweep-plan-missing").innerText(), /at least one track/);
    assert.equal(await page.getByTestId("sweep-start").count(), 0, "nothing to start");
    await page.getByTestId("sweep-track-text").check();
    await page.getByTestId("sweep-track-image").check();
    await page.getByTestId("sweep-categories-tag").check();
    assert.match(await page.getByTestId("sweep-plan-missing").innerText(), /^Pick at least one tag/);
    await page.getByTestId("sweep-categories-list").check();
    await page.getByTestId("sweep-harness").selectOption("multi-turn");
    await page.getByTestId("sweep-retries").selectOption("2");
    const plan = page.getByTestId("sweep-plan-ready");
    await plan.waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="sweep-plan-ready"][data-generations="8"]').waitFor();
    // 2 models x 2 categories x 2 tracks, 3 attempts each, up to 4 parse tries per attempt.
    assert.equal(await plan.getAttribute("data-calls"), String(8 * 3 * 4));
    const expectedCalls = Number(await page.getByTestId("plan-expected-calls").innerText());
    assert.ok(expectedCalls >= 8 && expectedCalls < 8 * 3, `expected calls ${expectedCalls}`);
    assert.match(await page.getByTestId("plan-cost").innerText(), /^\$\d/);

    await page.getByTestId("sweep-start").click();
    await page.getByTestId("sweep-live").waitFor({ timeout: 20_000 });
    mainSweepId = page.url().split("/").pop()!;
    // Marks this document: a reload would drop it.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await page.locator('[data-testid="sweep-live"][data-status="completed"]').waitFor({ timeout: 8 * 60_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, "the page updated without a reload");
    assert.equal(await page.getByTestId("sweep-live").getAttribute("data-done"), "8");
    assert.equal(await page.locator('[data-testid="stage-ready"]').getAttribute("data-count"), "8");
    assert.ok(Number(await page.getByTestId("sweep-spent").getAttribute("data-usd")) > 0, "costs are shown");
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "admin-sweep.png"), fullPage: true });

    const sweep = await db().sweep.findUniqueOrThrow({ where: { id: mainSweepId }, include: { generations: { include: { contestant: true, _count: { select: { attempts: true } } } } } });
    assert.equal(sweep.plannedCalls, 96);
    assert.ok((sweep.estimatedCostUsd ?? 0) > 0);
    assert.deepEqual((sweep.config as { harness?: string }).harness, "multi-turn");
    const flaky = sweep.generations.filter((g) => g.contestant.slug === "mock-flaky-anthropic");
    assert.ok(flaky.every((g) => g.status === "ready" && g._count.attempts >= 2), "the flaky model fixed its code on Blender feedback");
    assert.ok(sweep.generations.every((g) => g.costUsd > 0));
  });

  test("the categories page shows reference preparation and follows a re-preparation live", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/categories`);
    await page.getByTestId("admin-categories").waitFor();
    // The startup sweep needed the references of its two categories: prepared with the reference
    // profile (preview in the test suite, scripts/test.ts) and the worker's Blender version.
    const mug = page.locator('[data-testid="reference-row"][data-instance="Mug_seed0"]');
    assert.equal(await mug.getAttribute("data-state"), "prepared");
    assert.match(await mug.innerText(), /preview\(8spp,256px\)[\s\S]*5\.\d+\.\d+[\s\S]*8 spp, 256 px, no denoiser/);
    const count = async (state: string) => Number(await page.getByTestId(`reference-count-${state}`).getAttribute("data-count"));
    const prepared = await count("prepared");
    assert.ok(prepared >= CATEGORIES.length, `prepared ${prepared}`);
    assert.equal(prepared + (await count("unprepared")) + (await count("failed")) + (await count("stale")), await page.getByTestId("reference-row").count());
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "admin-categories.png"), fullPage: true });

    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await mug.getByTestId("reference-prepare-one").click();
    // Queued or already rendering, then prepared again: followed without a reload.
    await page.locator('[data-testid="reference-row"][data-instance="Mug_seed0"]:not([data-state="prepared"])').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="reference-row"][data-instance="Mug_seed0"][data-state="prepared"]').waitFor({ timeout: 3 * 60_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, "the page updated without a reload");
    const audit = await db().auditLog.findFirst({ where: { action: "categories.prepare" }, orderBy: { createdAt: "desc" } });
    assert.deepEqual(audit?.details, { categories: 1, force: true, enqueued: 1 });
    const api = await page.request.get(`${stack.url}/api/admin/categories/references`);
    const body = (await api.json()) as { counts: Record<string, number>; categories: { instanceId: string; state: string; blenderVersion: string }[] };
    assert.equal(body.categories.find((c) => c.instanceId === "Mug_seed0")?.state, "prepared");
    // The dashboard counts them too, linking here.
    await page.goto(`${stack.url}/admin`);
    assert.match(await page.locator('a[href="/admin/categories"]').last().innerText(), new RegExp(`References prepared\\s+${body.counts.prepared}/${body.categories.length}`));
    // Hostile input: not a list of ids, or ids that do not exist.
    assert.equal((await page.request.post(`${stack.url}/api/admin/categories/references`, { data: { categoryIds: "all" } })).status(), 422);
    assert.equal((await page.request.post(`${stack.url}/api/admin/categories/references`, { data: { categoryIds: ["nope"] } })).status(), 404);
  });

  test("the metrics page shows each registry metric, its progress, and an audited compute-for-all", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/metrics`);
    await page.getByTestId("admin-metrics").waitFor();
    // DINOv3 has no folder here: unavailable with the reason, nothing computed, no button.
    const dino = page.getByTestId("metric-dinov3-image");
    assert.equal(await dino.getByTestId("metric-unavailable").innerText(), "Unavailable: METRIC_DINOV3_DIR not set");
    assert.equal(await dino.getByTestId("metric-compute-dinov3-image").count(), 0);
    // SigLIP-2 runs on the fixtures. Outputs that earlier suites left in this database were made
    // without it: "Compute for all outputs" queues them (audited), and the page follows
    // (auto-refresh) until none is missing. (Rows made automatically after scoring: metrics.test.ts.)
    await page.getByTestId("metric-compute-all").click();
    const audit = async () => db().auditLog.findFirst({ where: { action: "metrics.backfill" }, orderBy: { createdAt: "desc" } });
    for (let i = 0; i < 50 && !(await audit()); i++) await new Promise((r) => setTimeout(r, 200));
    const details = (await audit())?.details as { metric: string; queued: Record<string, number> } | undefined;
    assert.equal(details?.metric, "all");
    assert.deepEqual(Object.keys(details?.queued ?? {}).sort(), ["siglip2-image", "siglip2-text"]);
    await page.locator('[data-testid="metric-siglip2-image"] [data-missing="0"]').waitFor({ timeout: 5 * 60_000 });
    const counts = page.locator('[data-testid="metric-siglip2-image"] [data-missing="0"]');
    const computed = Number(await counts.getAttribute("data-computed"));
    assert.ok(computed > 0, `computed ${computed}`);
    assert.equal(await db().metricScore.count({ where: { metric: "siglip2-image", status: "ok" } }), computed);
    assert.equal(await db().metricScore.count({ where: { metric: "dinov3-image" } }), 0);
    // Hostile or impossible requests.
    assert.equal((await page.request.post(`${stack.url}/api/admin/metrics`, { data: { metric: 5 } })).status(), 422);
    assert.equal((await page.request.post(`${stack.url}/api/admin/metrics`, { data: { metric: "nope" } })).status(), 404);
    assert.equal((await page.request.post(`${stack.url}/api/admin/metrics`, { data: { metric: "dinov3-image" } })).status(), 409);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "admin-metrics.png"), fullPage: true });
  });

  test("a generation's detail shows every attempt, its code, usage and model", async () => {
    const { page } = admin;
    await page.goto(`${stack.url}/admin/sweeps/${mainSweepId}`);
    await page.getByTestId("filter-model").selectOption("mock-flaky-anthropic");
    await page.getByTestId("filter-track").selectOption("text");
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="generation-row"]')];
      return rows.length === 2 && rows.every((r) => r.getAttribute("data-model") === "mock-flaky-anthropic");
    });
    await page.getByTestId("generation-link").first().click();
    await page.getByTestId("admin-generation").waitFor();
    const attempts = page.getByTestId("attempt");
    assert.ok((await attempts.count()) >= 2);
    await page.getByTestId("attempt-code").first().waitFor();
    assert.match(await page.getByTestId("attempt-exec").first().innerText(), /ERR_/);
    // The failure taxonomy of the failed attempt (Blender 5 API change: use_auto_smooth).
    assert.match(await page.getByTestId("attempt-failure").first().innerText(), /B5-API/);
    assert.match(await page.getByTestId("attempt-exec").last().innerText(), /OK/);
    assert.ok((await page.locator('[data-testid="attempt-code"] span').count()) > 5, "code is highlighted");
    await page.locator('[data-testid="generation-viewer"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(SHOTS, "admin-generation.png"), fullPage: true });

    // Approve, then hide and unhide: hidden outputs leave the arena.
    const id = page.url().split("/").pop()!;
    await page.getByTestId("generation-approve").click();
    await waitFor("approval", async () => (await db().generation.findUniqueOrThrow({ where: { id } })).reviewedAt);
    await page.getByTestId("generation-hide").click();
    await page.locator('[data-testid="admin-generation"][data-status="hidden"]').waitFor();
    await page.getByTestId("generation-unhide").click();
    await page.locator('[data-testid="admin-generation"][data-status="ready"]').waitFor();

    // Tamper evidence: the runner checked this run (evidence [] = clean, no badge); a run with
    // evidence shows the badge and each sign, its status untouched.
    const checked = await db().generation.findUniqueOrThrow({ where: { id } });
    assert.deepEqual([checked.tamperSuspected, checked.tamperEvidence], [false, []]);
    assert.equal(await page.getByTestId("tamper-badge").count(), 0);
    const evidence = [
      { source: "audit", event: "gc.get_objects", site: "/job/script.py:3", detail: null },
      { source: "channel", event: "duplicate record", site: null, detail: '2 "script" records' },
    ];
    await db().generation.update({ where: { id }, data: { tamperSuspected: true, tamperEvidence: evidence } });
    try {
      await page.reload();
      await page.getByTestId("tamper-badge").waitFor();
      assert.equal(await page.getByTestId("tamper-evidence-item").count(), 2);
      assert.match(await page.getByTestId("tamper-evidence").innerText(), /gc\.get_objects at \/job\/script\.py:3/);
      assert.equal(await page.getByTestId("generation-status").innerText(), "ready");
    } finally {
      await db().generation.update({ where: { id }, data: { tamperSuspected: false, tamperEvidence: [] } });
    }
  });

  test("the new outputs are served in the arena", async () => {
    const ours = new Set((await db().generation.findMany({ where: { sweepId: mainSweepId, status: "ready" }, select: { id: true } })).map((g) => g.id));
    let found = false;
    for (let k = 0; k < 60 && !found; k++) {
      const c = new Client(stack.url);
      const res = await c.request("POST", "/api/battles", { track: k % 2 ? "image" : "text" });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const b = await db().battle.findUniqueOrThrow({ where: { id: res.json.id } });
      found = ours.has(b.generationAId) || ours.has(b.generationBId);
    }
    assert.ok(found, "a battle paired one of the sweep's outputs");
  });

  test("a failed generation is retried from its failed stage", async () => {
    const { page } = admin;
    const quota = await registerModel(page, { slug: "mock-quota-openai", provider: "openai", modelId: "mock-quota", name: "Mock Quota", harness: "single-shot" });
    await page.getByTestId("model-test").click();
    const result = page.getByTestId("model-test-result");
    await result.waitFor({ timeout: 30_000 });
    assert.equal(await result.getAttribute("data-ok"), "false");
    assert.match(await result.innerText(), /quota|credit|billing/i);

    const started = await page.request.post(`${stack.url}/api/admin/sweeps`, {
      data: { name: "e2e quota", contestants: ["mock-quota-openai"], categories: { mode: "list", ids: ["Mug_seed0"] }, tracks: ["text"], retries: 0 },
    });
    assert.equal(started.status(), 201, await started.text());
    const { sweepId } = (await started.json()) as { sweepId: string };
    await page.goto(`${stack.url}/admin/sweeps/${sweepId}`);
    await page.locator('[data-testid="generation-row"][data-status="failed"]').waitFor({ timeout: 120_000 });
    const failed = await db().generation.findFirstOrThrow({ where: { sweepId } });
    assert.match(failed.errorText ?? "", /quota|credit|billing/i);
    await page.locator('[data-testid="sweep-failures"]').waitFor();

    // The admin fixes the model (a new key or model id), then retries: the model is called again.
    const fixed = await page.request.put(`${stack.url}/api/admin/models/${quota}`, {
      data: { slug: "mock-quota-openai", displayName: "Mock Quota", organisation: "Mock Labs", provider: "openai", providerModelId: "mock-good", harness: "single-shot", priceInput: 2, priceOutput: 8 },
    });
    assert.equal(fixed.status(), 200, await fixed.text());
    await page.getByTestId("sweep-retry").click();
    await page.locator('[data-testid="generation-row"][data-status="ready"]').waitFor({ timeout: 180_000 });
    await page.locator('[data-testid="sweep-live"][data-status="completed"]').waitFor({ timeout: 30_000 });
    const after = await db().generation.findFirstOrThrow({ where: { sweepId }, include: { attempts: true } });
    assert.equal(after.status, "ready");
    assert.equal(after.errorText, null);
    assert.equal(after.attempts.length, 1);
    assert.ok(await db().auditLog.findFirst({ where: { action: "sweep.retry", targetId: sweepId } }));
  });

  test("pause holds new model calls, resume finishes, cancel fails what is open", async () => {
    const { page } = admin;
    const start = async (name: string) => {
      const res = await page.request.post(`${stack.url}/api/admin/sweeps`, {
        data: { name, contestants: ["mock-good-openai"], categories: { mode: "list", ids: CATEGORIES }, tracks: ["text", "image"], harness: "single-shot" },
      });
      assert.equal(res.status(), 201, await res.text());
      return ((await res.json()) as { sweepId: string }).sweepId;
    };
    const act = (id: string, action: string) => page.request.post(`${stack.url}/api/admin/sweeps/${id}`, { data: { action } });

    const paused = await start("e2e pause");
    assert.equal((await act(paused, "pause")).status(), 200);
    assert.equal((await act(paused, "pause")).status(), 409);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await db().sweep.findUniqueOrThrow({ where: { id: paused } })).status, "paused");
    assert.equal((await act(paused, "resume")).status(), 200);
    await waitFor("resumed sweep to complete", async () => (await db().sweep.findUniqueOrThrow({ where: { id: paused } })).status === "completed", 180_000);
    assert.equal(await db().generation.count({ where: { sweepId: paused, status: "ready" } }), 4);

    const cancelled = await start("e2e cancel");
    assert.equal((await act(cancelled, "pause")).status(), 200);
    assert.equal((await act(cancelled, "cancel")).status(), 200);
    const gens = await db().generation.findMany({ where: { sweepId: cancelled } });
    const open = gens.filter((g) => g.status !== "ready");
    assert.ok(open.length > 0);
    const notCancelled = open.filter((g) => g.status !== "failed" || g.errorText !== `cancelled by ${ADMIN_EMAIL}`);
    assert.deepEqual(notCancelled.map((g) => [g.status, g.errorText]), [], "every open generation is cancelled");
    // Model calls already in flight at cancel still land (and their cost counts), but nothing moves
    // a cancelled generation on: no execution, no further call, the reason stays.
    await new Promise((r) => setTimeout(r, 4000));
    const settled = await db().generationAttempt.count({ where: { generation: { sweepId: cancelled } } });
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await db().generationAttempt.count({ where: { generation: { sweepId: cancelled } } }), settled, "no model call after cancel");
    assert.equal((await db().sweep.findUniqueOrThrow({ where: { id: cancelled } })).status, "cancelled");
    const later = await db().generation.findMany({ where: { id: { in: open.map((g) => g.id) } } });
    assert.ok(later.every((g) => g.status === "failed" && g.errorText === `cancelled by ${ADMIN_EMAIL}`), "cancelled generations stay cancelled");

    const actions = (await db().auditLog.findMany({ where: { targetId: { in: [paused, cancelled] } }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    assert.deepEqual(actions, ["sweep.start", "sweep.pause", "sweep.resume", "sweep.start", "sweep.pause", "sweep.cancel"]);

    await page.goto(`${stack.url}/admin/audit?action=sweep.`);
    const row = page.locator('[data-testid="audit-row"][data-action="sweep.cancel"]').first();
    await row.waitFor();
    // Readable: a link to the sweep, details as "key: value" rather than raw JSON.
    assert.equal(await row.locator(`a[href="/admin/sweeps/${cancelled}"]`).count(), 1);
    const details = await row.getByTestId("audit-details").innerText();
    assert.ok(!details.includes("{") && !details.includes('"'), `details read as text: ${details}`);
  });

  test("a coding agent registered in the form runs through a sweep and its generation shows the agent run", async () => {
    const { page } = admin;
    const fixtures = path.resolve(import.meta.dirname, "../fixtures/agents");
    await page.goto(`${stack.url}/admin/models/new`);
    await page.getByTestId("model-provider").selectOption("claude-code");
    assert.equal(await page.getByTestId("model-harness").inputValue(), "agent");
    await page.getByTestId("model-id").fill("fake-model-1");
    await page.getByTestId("model-slug").fill("e2e-fake-agent");
    await page.getByTestId("model-name").fill("Fake Agent");
    await page.getByTestId("model-org").fill("Agent Labs");
    await page.getByTestId("model-agent-command").fill(["node", path.join(fixtures, "fake-agent.mjs"), "--mode", "ok", "--model", "{model}", "-p", "{prompt}"].join("\n"));
    await page.getByTestId("model-agent-binds").fill(fixtures);
    await page.getByTestId("model-agent-time").fill("120");
    await page.getByTestId("model-save").click();
    await page.locator('[data-testid="admin-model"][data-slug="e2e-fake-agent"]').waitFor({ timeout: 20_000 });
    const model = await db().contestant.findUniqueOrThrow({ where: { slug: "e2e-fake-agent" } });
    assert.deepEqual([model.kind, model.provider, model.harness], ["agent", "claude-code", "agent"]);
    assert.equal((model.settings as { agent: { timeLimitSec: number } }).agent.timeLimitSec, 120);

    await page.goto(`${stack.url}/admin/sweeps/new`);
    await page.getByTestId("sweep-name").fill("e2e agent sweep");
    await page.locator('[data-testid="sweep-model"][data-slug="e2e-fake-agent"]').check();
    await page.getByTestId("sweep-categories-list").check();
    await page.locator(`[data-testid="sweep-category"][data-id="${CATEGORIES[0]}"]`).check();
    await page.locator('[data-testid="sweep-plan-ready"][data-generations="2"]').waitFor({ timeout: 20_000 });
    await page.getByTestId("sweep-start").click();
    await page.getByTestId("sweep-live").waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="sweep-live"][data-status="completed"]').waitFor({ timeout: 8 * 60_000 });
    const sweepId = page.url().split("/").pop()!;
    const gens = await db().generation.findMany({ where: { sweepId } });
    assert.deepEqual(gens.map((g) => [g.track, g.status, (g.agentRun as { status: string }).status]).sort(), [
      ["image", "ready", "OK_AGENT_DONE"],
      ["text", "ready", "OK_AGENT_DONE"],
    ]);

    await page.goto(`${stack.url}/admin/generations/${gens.find((g) => g.track === "image")!.id}`);
    const run = page.getByTestId("generation-agent-run");
    await run.waitFor();
    assert.equal(await run.getAttribute("data-agent-status"), "OK_AGENT_DONE");
    assert.match(await run.innerText(), /run_blender 2× \(ERR_EXEC, OK\)/);
    assert.match(await page.getByTestId("attempt-raw").textContent() ?? "", /use_auto_smooth is gone/);
    assert.match(await page.getByTestId("usage-cost").first().innerText(), /0\.04/);
    await page.screenshot({ path: path.join(SHOTS, "admin-agent-generation.png"), fullPage: true });
  });
});

describe("admin role checks", () => {
  const ROUTES: [string, string, unknown?][] = [
    ["GET", "/api/admin/models"],
    ["POST", "/api/admin/models", {}],
    ["PUT", "/api/admin/models/x", {}],
    ["POST", "/api/admin/models/x", { action: "hide" }],
    ["GET", "/api/admin/keys"],
    ["POST", "/api/admin/keys", { name: "openai", value: "sk-stolen-0000" }],
    ["DELETE", "/api/admin/keys/openai"],
    ["GET", "/api/admin/sweeps"],
    ["POST", "/api/admin/sweeps", {}],
    ["POST", "/api/admin/sweeps/plan", {}],
    ["GET", "/api/admin/sweeps/x"],
    ["POST", "/api/admin/sweeps/x", { action: "cancel" }],
    ["GET", "/api/admin/generations/x"],
    ["POST", "/api/admin/generations/x", { action: "hide" }],
    ["POST", "/api/admin/import", {}],
    ["GET", "/api/admin/audit"],
    ["GET", "/api/admin/queues"],
    ["GET", "/api/admin/categories/references"],
    ["POST", "/api/admin/categories/references", {}],
    ["GET", "/api/admin/metrics"],
    ["POST", "/api/admin/metrics", {}],
  ];

  test("anonymous: 401 on every admin route, redirect to sign-in on pages", async () => {
    const anon = new Client(stack.url);
    for (const [method, url, body] of ROUTES) {
      const res = await anon.request(method, url, body);
      assert.equal(res.status, 401, `${method} ${url}`);
      assert.equal(res.json.error.code, "unauthorized");
    }
    for (const p of ["/admin", "/admin/sweeps", "/admin/models/new"]) {
      const res = await fetch(`${stack.url}${p}`, { redirect: "manual" });
      assert.ok([303, 307, 308].includes(res.status), `anonymous ${p} → ${res.status}`);
      assert.match(res.headers.get("location") ?? "", /\/signin/);
    }
  });

  test("a signed-in voter: 403 on every admin route and the admins-only page", async () => {
    const { ctx, page } = await signedIn(VOTER_EMAIL);
    for (const [method, url, body] of ROUTES) {
      const res = await ctx.request.fetch(`${stack.url}${url}`, { method, data: body });
      assert.equal(res.status(), 403, `${method} ${url}`);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "forbidden");
    }
    assert.equal(await page.getByTestId("nav-admin").count(), 0);
    for (const p of ["/admin", "/admin/sweeps", "/admin/audit", "/admin/categories"]) {
      await page.goto(`${stack.url}${p}`);
      await page.getByTestId("admin-forbidden").waitFor();
    }
    assert.equal(await db().providerKey.count({ where: { name: "openai" } }), 0);
    await ctx.close();
  });
});
