/**
 * Registry metrics on the leaderboard (issue 16 part 5), on a fresh arena (own database, no Blender
 * sweep): six models whose votes follow a known strength order, MetricScore rows seeded as the
 * `metric.score` job stores them (one command metric configured and available, one configured but
 * missing), then the API and the page in headless Chromium:
 *  - the API carries every metric (available or with its reason), per-model conditional and
 *    penalised means, and each metric's Spearman rho vs Elo with a bootstrap CI;
 *  - the table shows the metric columns, toggled from the picker (kept in the URL);
 *  - a scatter per metric with its rho, a correlation table, the unavailable one says why;
 *  - desktop 1440x900 and phone 390x844 without sideways scrolling.
 * Screenshots go to SCREENSHOT_DIR (docs/leaderboard/ holds the committed ones).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import type { LeaderboardResponse, Outcome } from "@/lib/contracts";
import { mulberry32 } from "@/lib/math/mulberry32";
import { launchChromium } from "../support/browser";
import { requireEnv } from "../support/env";
import { Client, launch, type Launched } from "../support/stack";

const DATABASE = "arena_leaderboard_metrics";
const baseUrl = new URL(requireEnv("DATABASE_URL"));
const redisBase = requireEnv("REDIS_URL");
const freshUrl = Object.assign(new URL(baseUrl), { pathname: `/${DATABASE}` }).toString();
process.env.DATABASE_URL = freshUrl;
process.env.REDIS_URL = `${redisBase.replace(/\/\d*$/, "")}/4`;
const { db, disconnectDb } = await import("@/lib/db");
const { migrate } = await import("@/lib/db/migrate");
const { enqueue, closeQueues } = await import("@/lib/jobs/queue");
const { JOBS } = await import("@/lib/jobs/constants");

const FIXTURE = path.join(process.cwd(), "tests/fixtures/metric-commands/extent-ratio.mjs");
const SCORES = [
  { key: "extentRatio", label: "Extent ratio", higherIsBetter: true, penalty: "zero" },
  { key: "viewCoverage", label: "Views present", higherIsBetter: true, penalty: "excluded" },
];
const METRIC_COMMANDS = JSON.stringify([
  { id: "extent", label: "Extent", version: "1", command: [process.execPath, FIXTURE], needs: ["pointCloud", "renders"], scores: SCORES },
  { id: "uni3d", label: "Uni3D", version: "1", command: ["/nonexistent/uni3d-score"], needs: ["pointCloud"], scores: [{ key: "shape", label: "3D-3D", higherIsBetter: true }] },
]);
const PORT = process.env.E2E_PORT_METRICS ?? "3117";
const env = {
  PORT,
  DATABASE_URL: freshUrl,
  REDIS_URL: process.env.REDIS_URL,
  ARENA_SWEEP_CATEGORIES: "NoSuchCategory_seed0",
  RENDER_PROFILE: "preview",
  METRIC_COMMANDS,
};
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(process.env.ARENA_DATA_DIR ?? ".data/test", "screenshots");
const P = "lm";
const MODELS = ["a", "b", "c", "d", "e", "f"];
const VOTES = 240;
const COLUMN = "command:extent/extentRatio";

let stack: Launched;
let browser: Browser | null = null;
let page: Page;
const pageErrors: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function leaderboard(query = ""): Promise<LeaderboardResponse> {
  const res = await new Client(stack.url).request("GET", `/api/leaderboard${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json as LeaderboardResponse;
}

async function settle(votes: number, timeoutMs = 60_000): Promise<LeaderboardResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await leaderboard();
    if (res.votes === votes && res.computedAt) return res;
    if (Date.now() > deadline) throw new Error(`leaderboard at ${res.votes} votes, expected ${votes}`);
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** Extent ratio by model: falls with the model's strength rank (a strongest), so rho vs Elo is high. */
const extent = (i: number, k: number) => 0.9 - 0.1 * i - 0.02 * k;

before(async () => {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${DATABASE}"`);
  });
  await migrate(freshUrl, path.join(process.cwd(), "prisma/migrations"));
  stack = launch(env);
  await stack.waitFor(/ready: open/, 15 * 60_000);

  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  await db().user.create({ data: { id: `${P}user`, anonymous: true } });
  await db().contestant.createMany({
    data: MODELS.map((m) => ({ id: `${P}con-${m}`, slug: `model-${m}`, displayName: `Model ${m.toUpperCase()}`, organisation: "Metric Labs", kind: "llm" as const, provider: "openai", providerModelId: m, harness: "single-shot" })),
  });
  for (const k of [0, 1, 2]) {
    await db().category.create({ data: { id: `${P}cat${k}`, instanceId: `Lm${k}_seed0`, name: `Lm ${k}`, setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h", tags: ["metrics"] } });
    await db().generation.createMany({
      data: MODELS.map((m) => ({ id: `${P}gen-${m}-${k}`, contestantId: `${P}con-${m}`, categoryId: `${P}cat${k}`, track: "text" as const, sweepId: `${P}sweep`, status: "ready" as const, execStatus: "OK" as const })),
    });
  }
  // Stored as the metric.score job stores them: model f's third output failed (counts 0 in the
  // penalised mean), model e's third has not been scored yet (in neither mean).
  const definition = { kind: "command", test: true };
  for (const [i, m] of MODELS.entries()) {
    for (const k of [0, 1, 2]) {
      if (m === "e" && k === 2) continue;
      const failed = m === "f" && k === 2;
      await db().metricScore.create({
        data: {
          generationId: `${P}gen-${m}-${k}`,
          metric: "command:extent",
          version: "1",
          status: failed ? "failed" : "ok",
          values: failed ? {} : { extentRatio: extent(i, k), viewCoverage: k === 0 ? 0.75 : 1 },
          details: failed ? { reason: "command timed out after 120 s" } : {},
          definition,
        },
      });
    }
  }
  // An older version's rows are not mixed in.
  await db().metricScore.create({ data: { generationId: `${P}gen-a-0`, metric: "command:extent", version: "0", status: "ok", values: { extentRatio: -5, viewCoverage: 0 }, definition } });

  // Bradley-Terry votes, 100 Elo apart in list order.
  const rand = mulberry32(16);
  for (let n = 0; n < VOTES; n++) {
    const i = Math.floor(rand() * MODELS.length);
    let j = Math.floor(rand() * (MODELS.length - 1));
    if (j >= i) j++;
    const p = 1 / (1 + 10 ** (((i - j) * 100) / 400));
    const outcome: Outcome = rand() < 0.1 ? "tie" : rand() < p ? "a" : "b";
    const id = `${P}bat${n}`;
    const k = n % 3;
    await db().battle.create({
      data: { id, track: "text", categoryId: `${P}cat${k}`, generationAId: `${P}gen-${MODELS[i]}-${k}`, generationBId: `${P}gen-${MODELS[j]}-${k}`, voterId: `${P}user`, tokenHash: id, expiresAt: new Date(Date.now() + 60_000) },
    });
    await db().vote.create({ data: { battleId: id, outcome, voterId: `${P}user` } });
  }
  await enqueue(JOBS.ratingsRecompute, { reason: "test" }, { delayMs: 0 });
  await settle(VOTES);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  assert.deepEqual(pageErrors, [], "no page errors");
  await browser?.close();
  await stack?.stop();
  await closeQueues();
  await disconnectDb();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`));
});

describe("registry metrics on the leaderboard", () => {
  test("the API carries every metric, the means and the correlations; the missing one says why", async () => {
    const board = await leaderboard();
    assert.deepEqual(
      board.metrics.map((m) => [m.id, m.available, m.reason]),
      [
        ["command:extent", true, null],
        ["command:uni3d", false, "command /nonexistent/uni3d-score not found"],
      ],
    );
    assert.equal(board.entries.length, MODELS.length, "all six on the main board");
    const close = (a: number | null | undefined, b: number) => assert.ok(a != null && Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
    const cell = (m: string, column = COLUMN) => board.entries.find((e) => e.model === `model-${m}`)!.metricScores[column]!;
    // a: three values, all scored; version 0's -5 is not mixed in.
    close(cell("a").conditional, (extent(0, 0) + extent(0, 1) + extent(0, 2)) / 3);
    close(cell("a").penalised, (extent(0, 0) + extent(0, 1) + extent(0, 2)) / 3);
    // f: the failed output counts 0 in the penalised mean only.
    close(cell("f").conditional, (extent(5, 0) + extent(5, 1)) / 2);
    close(cell("f").penalised, (extent(5, 0) + extent(5, 1)) / 3);
    // e: the unscored output is in neither mean; the coverage says 2 of 3.
    close(cell("e").penalised, (extent(4, 0) + extent(4, 1)) / 2);
    assert.deepEqual([cell("e").scored, cell("e").outputs], [2, 3]);
    // An "excluded" score has a conditional mean only.
    assert.equal(cell("a", "command:extent/viewCoverage").penalised, null);
    close(cell("a", "command:extent/viewCoverage").conditional, (0.75 + 1 + 1) / 3);
    assert.equal(board.entries.some((e) => "command:uni3d/shape" in e.metricScores), false, "no number for an unavailable metric");

    const corr = new Map(board.correlations.map((c) => [c.column, c]));
    const extentCorr = corr.get(COLUMN)!;
    assert.equal(extentCorr.n, 6);
    assert.ok(extentCorr.rho! > 0.5, `rho ${extentCorr.rho}`);
    assert.ok(extentCorr.ciLow! <= extentCorr.rho! && extentCorr.rho! <= extentCorr.ciHigh!);
    assert.equal(corr.get("command:uni3d/shape")!.note, "unavailable: command /nonexistent/uni3d-score not found");
    assert.equal(corr.get("command:uni3d/shape")!.rho, null);
    // Every outcome is OK and no chamfer was computed: exec has no spread, chamfer no values.
    assert.match(corr.get("execRate")!.note!, /same value/);
    assert.equal(corr.get("chamfer")!.note, "not enough data (n=0; needs 5 models)");
  });

  test("desktop: metric columns, toggled from the picker and kept in the URL; a scatter per metric; the reason of the unavailable one", async () => {
    await page.goto(`${stack.url}/leaderboard`);
    const table = page.getByTestId("leaderboard-table").first();
    await table.waitFor();
    assert.equal(await table.getAttribute("data-metric-columns"), `${COLUMN},command:extent/viewCoverage`);
    const headers = await table.locator("thead th").allInnerTexts();
    assert.ok(headers.some((h) => /Extent ratio/i.test(h)) && headers.some((h) => /Views present/i.test(h)), headers.join("|"));
    const aCell = page.locator(`[data-model="model-a"] td[data-column="${COLUMN}"]`);
    assert.equal((await aCell.innerText()).split("\n")[0], ((extent(0, 0) + extent(0, 1) + extent(0, 2)) / 3).toFixed(3));

    const picker = page.getByTestId("metric-picker");
    await picker.locator("summary").click();
    const reason = page.getByTestId("metric-unavailable");
    assert.equal(await reason.innerText(), "Uni3D unavailable: command /nonexistent/uni3d-score not found");
    await page.screenshot({ path: path.join(SHOTS, "leaderboard-metrics-picker.png") });

    // Toggle the view-coverage column off: gone from the table, and the URL says so.
    await page.locator(`[data-testid="metric-toggle"][data-column="command:extent/viewCoverage"]`).click();
    await page.waitForURL(/cols=/);
    assert.match(decodeURIComponent(page.url()), new RegExp(`cols=${COLUMN}$`));
    await page.waitForFunction(() => document.querySelector('[data-testid="leaderboard-table"]')?.getAttribute("data-metric-columns") === "command:extent/extentRatio");
    assert.equal(await page.locator('th[data-column="command:extent/viewCoverage"]').count(), 0);
    // The tabs keep the choice.
    assert.match(decodeURIComponent((await page.getByTestId("scope-tag-all").getAttribute("href")) ?? ""), /cols=command:extent\/extentRatio/);

    const chart = page.getByTestId(`chart-metric-${COLUMN}`);
    await chart.scrollIntoViewIfNeeded();
    assert.match(await chart.innerText(), /Spearman ρ = \d\.\d\d, 95% CI -?\d\.\d\d – \d\.\d\d \(n = 6\)/);
    const table2 = page.getByTestId("correlation-table");
    const uni = table2.locator('[data-column="command:uni3d/shape"]');
    assert.equal(await uni.getByTestId("correlation-note").innerText(), "unavailable: command /nonexistent/uni3d-score not found");
    assert.ok((await page.content()).includes("unavailable: command /nonexistent/uni3d-score not found"));
    await page.goto(`${stack.url}/leaderboard`);
    await page.getByTestId("leaderboard-table").first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, "leaderboard-metrics-desktop.png"), fullPage: true });
    await chart.scrollIntoViewIfNeeded();
    await page.getByTestId(`chart-metric-${COLUMN}`).screenshot({ path: path.join(SHOTS, "leaderboard-metric-scatter.png") });
    await page.getByTestId("correlation-table").screenshot({ path: path.join(SHOTS, "leaderboard-metric-correlations.png") });
  });

  test("the model page shows the model's metric means per track and the unavailable metric's reason", async () => {
    await page.goto(`${stack.url}/models/model-f`);
    const text = page.getByTestId("model-metrics-text");
    await text.waitFor();
    const stats = await text.getByTestId("model-registry-metric").allInnerTexts();
    const f = [(extent(5, 0) + extent(5, 1)) / 3, (extent(5, 0) + extent(5, 1)) / 2].map((v) => v.toFixed(3)).join(" / ");
    assert.ok(stats.some((t) => /extent ratio/i.test(t) && t.includes(f)), stats.join(" | "));
    assert.equal(await page.getByTestId("model-metric-unavailable").innerText(), "Uni3D unavailable: command /nonexistent/uni3d-score not found");
    await page.getByTestId("model-metrics-text").screenshot({ path: path.join(SHOTS, "model-page-metrics.png") });
  });

  test("phone 390x844: no sideways scrolling, the table scrolls inside its frame", async () => {
    const phone = await browser!.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.on("pageerror", (e) => pageErrors.push(e.message));
    await phone.goto(`${stack.url}/leaderboard`);
    await phone.getByTestId("leaderboard-table").first().waitFor();
    await phone.getByTestId("metric-picker").locator("summary").click();
    // On failure, name what sticks out (its test id or tag and class).
    // A string: tsx would wrap named functions in a helper the page does not have.
    const wide = () =>
      phone.evaluate<string[]>(`(() => {
        const scrolled = (el) => {
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
          }
          return false;
        };
        return [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > 391 && !scrolled(el))
          .slice(0, 6)
          .map((el) => (el.getAttribute("data-testid") || el.tagName.toLowerCase()) + "(" + Math.round(el.getBoundingClientRect().width) + ")." + String(el.getAttribute("class")).slice(0, 50));
      })()`);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width}px wide: ${(await wide()).join(" | ")}`);
    await phone.getByTestId("correlation-table").scrollIntoViewIfNeeded();
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await phone.screenshot({ path: path.join(SHOTS, "leaderboard-metrics-phone-correlations.png") });
    await phone.evaluate(() => window.scrollTo(0, 0));
    await phone.getByTestId("metric-picker").scrollIntoViewIfNeeded();
    await phone.screenshot({ path: path.join(SHOTS, "leaderboard-metrics-phone.png") });
    await phone.close();
  });
});
