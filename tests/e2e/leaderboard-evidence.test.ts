/**
 * What the leaderboard shows when the votes identify little (issue 11), on a fresh arena: its own
 * database on the test PostgreSQL server and its own Redis database, the real launcher with no
 * Blender sweep (the outputs are rows; nothing here renders a model), votes through the API and
 * straight into the database, and the pages in headless Chromium:
 *  - a one-vote scope: "not enough data", both models under "Needs more votes", no interval;
 *  - the reported style-control failure (3 models, 16 votes): sane plain ratings, no effect;
 *  - an undefeated newcomer (40 of 40): listed apart with its one-sided bound, no other published
 *    number moves by more than a point; one loss and it is on the board; a winless model likewise;
 *  - two groups never compared: two boards, the second marked as not comparable;
 *  - the reveal: both ratings after the vote, equal to what the next snapshot publishes.
 * Screenshots go to SCREENSHOT_DIR (docs/leaderboard/ holds the committed ones).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import type { LeaderboardResponse, Outcome, VoteResponse } from "@/lib/contracts";
import { mulberry32 } from "@/lib/math/mulberry32";
import { launchChromium } from "../support/browser";
import { requireEnv } from "../support/env";
import { Client, launch, type Launched } from "../support/stack";

const DATABASE = "arena_ratings_evidence";
const baseUrl = new URL(requireEnv("DATABASE_URL"));
const redisBase = requireEnv("REDIS_URL");
const freshUrl = Object.assign(new URL(baseUrl), { pathname: `/${DATABASE}` }).toString();
// This process talks to the fresh arena too (set before lib/db and the queue are loaded).
process.env.DATABASE_URL = freshUrl;
process.env.REDIS_URL = `${redisBase.replace(/\/\d*$/, "")}/3`;
const { db, disconnectDb } = await import("@/lib/db");
const { migrate } = await import("@/lib/db/migrate");
const { enqueue, closeQueues } = await import("@/lib/jobs/queue");
const { JOBS } = await import("@/lib/jobs/constants");

const PORT = process.env.E2E_PORT_EVIDENCE ?? "3116";
const env = {
  PORT,
  DATABASE_URL: freshUrl,
  REDIS_URL: process.env.REDIS_URL,
  // No category has this id: the launcher's sweep is empty, so no Blender run at all.
  ARENA_SWEEP_CATEGORIES: "NoSuchCategory_seed0",
  RENDER_PROFILE: "preview",
  RATE_LIMIT_VOTES_PER_MIN: "100000",
  RATE_LIMIT_IP_VOTES_PER_MIN: "100000",
  FRAUD_IP_BURST_MAX: "100000",
};
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(process.env.ARENA_DATA_DIR ?? ".data/test", "screenshots");
const P = "ev";

let stack: Launched;
let browser: Browser | null = null;
let page: Page;
const pageErrors: string[] = [];
let battles = 0;

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

/** Polls until the scope's snapshot counts `votes` votes (the worker debounces recomputes). */
async function settle(query: string, votes: number, timeoutMs = 60_000): Promise<LeaderboardResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await leaderboard(query);
    if (res.votes === votes && res.computedAt) return res;
    if (Date.now() > deadline) throw new Error(`leaderboard${query} at ${res.votes} votes, expected ${votes}`);
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** A vote straight into the database (scenario scopes); the worker is then asked to recompute. */
async function insertVote(a: string, b: string, cat: string, outcome: Outcome): Promise<void> {
  const id = `${P}bat${battles++}`;
  await db().battle.create({
    data: { id, track: "text", categoryId: `${P}cat-${cat}`, generationAId: `${P}gen-${a}-${cat}`, generationBId: `${P}gen-${b}-${cat}`, voterId: `${P}user`, tokenHash: id, expiresAt: new Date(Date.now() + 60_000) },
  });
  await db().vote.create({ data: { battleId: id, outcome, voterId: `${P}user` } });
}
const recompute = () => enqueue(JOBS.ratingsRecompute, { reason: "test" }, { delayMs: 0 });

/** Bradley-Terry votes among `models` (100 Elo apart in list order), in random display order. */
async function field(models: string[], count: number, cat: string, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  for (let k = 0; k < count; k++) {
    const i = Math.floor(rand() * models.length);
    let j = Math.floor(rand() * (models.length - 1));
    if (j >= i) j++;
    const p = 1 / (1 + 10 ** (((i - j) * 100) / 400));
    await insertVote(models[i]!, models[j]!, cat, rand() < 0.1 ? "tie" : rand() < p ? "a" : "b");
  }
}

async function shoot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

before(async () => {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${DATABASE}"`);
  });
  await migrate(freshUrl, path.join(process.cwd(), "prisma/migrations"));
  stack = launch(env);
  await stack.waitFor(/ready: open/, 15 * 60_000);

  // The launcher seeded the bundled categories and the three baselines. Their outputs, as rows with
  // the mesh statistics the real ones have (the arena serves them; no one downloads a GLB here).
  const baselines = await db().contestant.findMany({ where: { slug: { in: ["reference", "perturbed-reference", "blockout"] } } });
  const stats: Record<string, { faces: number; parts: number; hasMaterials: boolean }[]> = {
    reference: [{ faces: 1984, parts: 3, hasMaterials: true }, { faces: 780, parts: 5, hasMaterials: true }],
    "perturbed-reference": [{ faces: 2112, parts: 3, hasMaterials: true }, { faces: 812, parts: 5, hasMaterials: true }],
    blockout: [{ faces: 12, parts: 1, hasMaterials: false }, { faces: 36, parts: 3, hasMaterials: false }],
  };
  const cats = await db().category.findMany({ where: { instanceId: { in: ["Mug_seed0", "Stool_seed0"] } }, orderBy: { instanceId: "asc" } });
  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  for (const c of baselines) {
    for (const [k, cat] of cats.entries()) {
      for (const track of ["text", "image"] as const) {
        await db().generation.create({
          data: { contestantId: c.id, categoryId: cat.id, track, sweepId: `${P}sweep`, status: "ready", execStatus: "OK", readyAt: new Date(), displayGlbKey: `${P}/${c.slug}-${k}-${track}.glb`, meshStats: { ...stats[c.slug]![k]!, vertices: 100 } },
        });
      }
    }
  }
  // Scenario models, in categories of their own (one tag each), never served in a battle.
  await db().user.create({ data: { id: `${P}user`, anonymous: true } });
  const models = ["a", "b", "c", "d", "new", "winless", "x", "y", "z", "w"];
  await db().contestant.createMany({
    data: models.map((m) => ({ id: `${P}con-${m}`, slug: `model-${m}`, displayName: `Model ${m.toUpperCase()}`, organisation: "Evidence Labs", kind: "llm" as const, provider: "openai", providerModelId: m, harness: "single-shot" })),
  });
  for (const cat of ["newcomer", "groups"]) {
    await db().category.create({ data: { id: `${P}cat-${cat}`, instanceId: `Ev${cat}_seed0`, name: `Ev ${cat}`, setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h", tags: [cat] } });
    await db().generation.createMany({
      data: models.map((m) => ({ id: `${P}gen-${m}-${cat}`, contestantId: `${P}con-${m}`, categoryId: `${P}cat-${cat}`, track: "text" as const, sweepId: `${P}sweep`, status: "failed" as const })),
    });
  }
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

describe("a fresh board through the API and in the browser", () => {
  const voters = () => Array.from({ length: 4 }, () => new Client(stack.url));
  let clients: Client[];

  async function castThroughApi(c: Client, outcome: (a: { faces: number }, b: { faces: number }) => Outcome): Promise<VoteResponse & { battle: { a: { stats: { faces: number } }; b: { stats: { faces: number } } } }> {
    const battle = await c.request("POST", "/api/battles", { track: "text" });
    assert.equal(battle.status, 201, JSON.stringify(battle.json));
    const vote = await c.request("POST", `/api/battles/${battle.json.id}/vote`, { token: battle.json.token, outcome: outcome(battle.json.a.stats, battle.json.b.stats), decisionMs: 4000 });
    assert.equal(vote.status, 201, JSON.stringify(vote.json));
    return { ...(vote.json as VoteResponse), battle: battle.json };
  }

  test("one vote: not enough data, both models listed with what they miss, no interval anywhere", async () => {
    clients = voters();
    const first = await castThroughApi(clients[0]!, () => "a");
    // The reveal of a first vote: nobody is rated yet, and it says why.
    for (const side of ["a", "b"] as const) {
      assert.equal(first.reveal[side].status, "unrated");
      assert.equal(first.reveal[side].eloAfter, null);
      assert.equal(first.reveal[side].votes, 1);
    }
    assert.deepEqual([first.reveal.a.missing, first.reveal.b.missing], ["no loss yet", "no win yet"]);

    const board = await settle("", 1);
    assert.deepEqual(board.entries, []);
    assert.deepEqual(board.boards, []);
    assert.match(board.notEnoughData ?? "", /^Not enough data: 1 vote/);
    assert.deepEqual(board.unrated.map((u) => [u.reason, u.votes]).sort(), [["no-loss", 1], ["no-win", 1]]);
    assert.ok(board.unrated.every((u) => u.bound === null), "one result bounds nothing");

    await page.goto(`${stack.url}/leaderboard`);
    await page.getByTestId("leaderboard-not-enough").waitFor();
    assert.equal(await page.getByTestId("leaderboard-row").count(), 0);
    assert.equal(await page.getByTestId("unrated-row").count(), 2);
    assert.deepEqual((await page.getByTestId("unrated-missing").allInnerTexts()).sort(), ["no loss yet", "no win yet"]);
    assert.ok(!(await page.content()).includes("95% confidence interval"), "no interval is shown");
    await shoot("leaderboard-one-vote.png");
  });

  test("16 votes on 3 models: style control shows the plain ratings, sane, and no effect", async () => {
    // As reported: voters mostly prefer the side with more faces, sometimes call a tie or both bad.
    const rand = mulberry32(2026);
    for (let k = 1; k < 16; k++) {
      await castThroughApi(clients[k % clients.length]!, (a, b) => {
        const more: Outcome = a.faces >= b.faces ? "a" : "b";
        const u = rand();
        return u < 0.1 ? "tie" : u < 0.15 ? "both_bad" : u < 0.8 ? more : more === "a" ? "b" : "a";
      });
    }
    const plain = await settle("", 16);
    const style = await settle("?style=on", 16);
    assert.equal(style.method, "bradley-terry-style-control");
    assert.equal(style.styleControlled, false, JSON.stringify(style.effects));
    for (const e of style.effects!) {
      assert.equal(e.estimable, false, e.key);
      assert.ok(e.status === "little-variation" || e.status === "collinear", `${e.key} ${e.status}`);
    }
    assert.deepEqual(
      style.entries.map((e) => [e.model, e.elo, e.ciLow, e.ciHigh]),
      plain.entries.map((e) => [e.model, e.elo, e.ciLow, e.ciHigh]),
      "the plain ratings, exactly",
    );
    for (const e of style.entries) {
      assert.ok(Math.abs(e.elo - 1000) < 1000 && e.ciLow > -1000 && e.ciHigh < 3000, `${e.model} ${e.elo} [${e.ciLow}, ${e.ciHigh}]`);
      assert.ok(e.ciHigh - e.ciLow > 1, `${e.model} has a real interval`);
    }

    await page.goto(`${stack.url}/leaderboard?style=on`);
    await page.getByTestId("style-not-estimable").waitFor();
    const html = await page.content();
    assert.ok(!html.includes("NaN"));
    // Every number drawn on the charts is an Elo a person can read, not 4e12.
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll("svg text, svg tspan")].flatMap((el) =>
        [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? ""),
      ),
    );
    const numbers = drawn.flatMap((t) => (t.match(/-?\d[\d,]*(\.\d+)?(e[+-]?\d+)?/gi) ?? []).map((x) => Number(x.replace(/,/g, ""))));
    assert.ok(numbers.length > 10, `${numbers.length} numbers drawn`);
    assert.ok(numbers.every((v) => Math.abs(v) < 100_000), `numbers drawn: ${numbers.filter((v) => Math.abs(v) >= 100_000)}`);
    await page.getByTestId("chart-style-effects").scrollIntoViewIfNeeded();
    assert.match(await page.getByTestId("chart-style-effects").innerText(), /Not estimable yet/);
    await shoot("leaderboard-style-fresh.png");
  });

  test("the reveal carries both ratings after the vote, which the next snapshot publishes", async () => {
    const before = await settle("?track=text", 16);
    assert.ok(before.entries.length >= 2, "two models are rated on the text track");
    // Vote until a battle pairs two rated models; the reveal then has numbers.
    let voted: Awaited<ReturnType<typeof castThroughApi>> | null = null;
    for (let k = 0; k < 12 && !voted; k++) {
      const v = await castThroughApi(clients[k % clients.length]!, () => "b");
      if (v.reveal.a.status === "rated" && v.reveal.b.status === "rated") voted = v;
      else await settle("?track=text", 17 + k);
    }
    assert.ok(voted, "a battle between two rated models");
    const { a, b } = voted.reveal;
    assert.ok(b.change! > 0 && a.change! < 0, `winner ${b.change}, loser ${a.change}`);
    assert.ok(Math.abs(a.eloAfter! - a.elo! - a.change!) < 1e-9);
    assert.equal(typeof a.provisional, "boolean");
    const after = await settle("?track=text", await db().vote.count({ where: { battle: { track: "text" } } }));
    for (const side of [a, b]) {
      const published = after.entries.find((e) => e.model === side.model);
      assert.ok(published, `${side.model} still rated`);
      assert.ok(Math.abs(published.elo - side.eloAfter!) < 0.01, `${side.model}: reveal ${side.eloAfter}, published ${published.elo}`);
    }
  });
});

describe("scenarios in their own category groups", () => {
  test("an undefeated newcomer moves no published number; one loss and it is on the board", async () => {
    await field(["a", "b", "c", "d"], 60, "newcomer", 1);
    await recompute();
    const before = await settle("?tag=newcomer", 60);
    assert.equal(before.entries.length, 4);
    for (let k = 0; k < 40; k++) {
      const other = ["a", "b", "c", "d"][k % 4]!;
      await (k % 2 ? insertVote("new", other, "newcomer", "a") : insertVote(other, "new", "newcomer", "b"));
    }
    for (let k = 0; k < 12; k++) await insertVote("winless", ["a", "b", "c", "d"][k % 4]!, "newcomer", "b");
    await recompute();
    const during = await settle("?tag=newcomer", 112);
    assert.deepEqual(during.entries.map((e) => e.model).sort(), before.entries.map((e) => e.model).sort(), "neither is ranked");
    for (const e of before.entries) {
      const now = during.entries.find((x) => x.model === e.model)!;
      for (const key of ["elo", "ciLow", "ciHigh"] as const) assert.ok(Math.abs(now[key] - e[key]) <= 1, `${e.model} ${key}: ${e[key]} -> ${now[key]}`);
    }
    const newcomer = during.unrated.find((u) => u.model === "model-new")!;
    assert.deepEqual([newcomer.reason, newcomer.missing, newcomer.wins, newcomer.losses], ["no-loss", "no loss yet", 40, 0]);
    assert.equal(newcomer.bound?.side, "above");
    assert.ok(newcomer.bound!.elo > 400 && newcomer.bound!.elo < 450, `${newcomer.bound!.elo}`);
    const winless = during.unrated.find((u) => u.model === "model-winless")!;
    assert.deepEqual([winless.reason, winless.missing], ["no-win", "no win yet"]);
    assert.ok(winless.bound!.side === "below" && winless.bound!.elo < -150);

    await page.goto(`${stack.url}/leaderboard?tag=newcomer`);
    await page.getByTestId("unrated-list").waitFor();
    assert.equal(await page.getByTestId("leaderboard-row").count(), 4);
    const row = page.locator('[data-testid="unrated-row"][data-model="model-new"]');
    assert.match(await row.innerText(), /40–0[\s\S]*no loss yet[\s\S]*at least \+4\d\d over its opponents/);
    assert.equal(await page.locator('[data-testid="leaderboard-row"][data-model="model-new"]').count(), 0);
    // The order column: a mark for every model but the last of the board.
    assert.equal(await page.getByTestId("rank-confidence").count(), 3);
    const title = await page.getByTestId("rank-confidence").first().getAttribute("title");
    assert.match(title ?? "", /sure it is above Model [A-D]: (settled|about [\d,]+ more votes|a near tie)/);
    await shoot("leaderboard-newcomer.png");

    await insertVote("c", "new", "newcomer", "a");
    await recompute();
    const joined = await settle("?tag=newcomer", 113);
    const rated = joined.entries.find((e) => e.model === "model-new")!;
    assert.ok(rated, "rated once it has lost");
    assert.deepEqual([rated.board, rated.rank], [0, 1]);
    assert.deepEqual(joined.unrated.map((u) => u.model), ["model-winless"]);
  });

  test("two groups never compared: two boards, the second marked as not comparable", async () => {
    await field(["x", "y", "z"], 30, "groups", 3);
    await field(["w", "a"], 12, "groups", 4);
    await recompute();
    const groups = await settle("?tag=groups", 42);
    assert.deepEqual(groups.boards.map((b) => [b.label, b.models, b.comparable]), [["Main board", 3, true], ["Group 2", 2, false]]);
    for (const b of groups.boards) {
      const members = groups.entries.filter((e) => e.board === b.index);
      assert.ok(Math.abs(members.reduce((s, e) => s + e.elo, 0) / members.length - 1000) < 1e-6, `${b.label} is centred on its own models`);
    }
    await page.goto(`${stack.url}/leaderboard?tag=groups`);
    await page.getByTestId("board-not-comparable").waitFor();
    assert.equal(await page.getByTestId("leaderboard-board").count(), 2);
    assert.equal(await page.locator('[data-testid="leaderboard-table"][data-board="1"] [data-testid="leaderboard-row"]').count(), 2);
    assert.match(await page.getByTestId("board-not-comparable").innerText(), /cannot be compared with the main board/);
    await shoot("leaderboard-groups.png");
  });

  test("a model page lists the scopes where it still needs votes", async () => {
    await page.goto(`${stack.url}/models/model-winless`);
    await page.getByTestId("model-unrated").waitFor();
    assert.match(await page.getByTestId("model-unrated").innerText(), /needs more votes — no win yet \(0–12 in 12 votes\); at least \d+ below its opponents/);
    await page.goto(`${stack.url}/models/model-b`);
    await page.getByTestId("model-ratings").waitFor();
    const orders = page.getByTestId("model-order");
    assert.ok((await orders.count()) >= 1, "rank confidence against its neighbours");
    assert.match((await orders.first().getAttribute("title")) ?? "", /sure it is (above|below) Model/);
  });
});
