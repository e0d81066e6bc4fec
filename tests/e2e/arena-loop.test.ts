/**
 * The whole arena loop, as a new user meets it: the one-command launcher builds and starts
 * everything and runs the baseline sweep (real Blender in the sandbox), the API contract holds
 * including every error case, a vote cast in headless Chromium moves the leaderboard within
 * seconds, and a restart is fast and keeps the data.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/browser";
import { Client, launch, type Launched } from "../support/stack";

const PORT = process.env.E2E_PORT ?? "3107";
const env = {
  PORT,
  // Two categories keep the suite fast; every stage still runs for real.
  ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
  RENDER_PROFILE: "preview",
};
const CONTESTANT_SLUGS = ["reference", "perturbed-reference", "blockout"];

let stack: Launched;
let browser: Browser | null = null;

before(async () => {
  stack = launch(env);
  await stack.waitFor(/web server up at/, 15 * 60_000);
  await stack.waitFor(/ready: open/, 10 * 60_000);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("launcher and health", () => {
  test("health reports every component with the Blender version", async () => {
    const res = await new Client(stack.url).request("GET", "/api/health");
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.status, "ok");
    for (const k of ["database", "redis", "blender", "workers"]) assert.equal(res.json.checks[k].ok, true, k);
    assert.match(res.json.checks.blender.detail, /^Blender 5\.\d+\.\d+/);
  });

  test("the sweep finished with every reference executing OK", () => {
    const last = stack.output().split("\n").filter((l) => l.includes("sweep [")).pop() ?? "";
    assert.match(last, /12\/12/, last);
  });
});

describe("API contract", () => {
  test("POST /api/battles serves two anonymous GLBs of one category", async () => {
    const c = new Client(stack.url);
    const res = await c.request("POST", "/api/battles", { track: "text" });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const b = res.json;
    assert.equal(typeof b.id, "string");
    assert.equal(typeof b.token, "string");
    assert.equal(b.track, "text");
    assert.ok(b.category.prompt.text.startsWith("A 3D model of"), b.category.prompt.text);
    for (const side of [b.a, b.b]) {
      assert.match(side.glbUrl, /^\/api\/battles\/[^/]+\/[ab]\.glb$/);
      assert.ok(side.stats.vertices > 0 && side.stats.faces > 0 && side.stats.parts > 0);
      const glb = await c.bytes(side.glbUrl);
      assert.equal(glb.status, 200);
      assert.equal(glb.headers.get("content-type"), "model/gltf-binary");
      assert.equal(Buffer.from(glb.bytes).subarray(0, 4).toString(), "glTF");
    }
    assert.notEqual(b.a.glbUrl, b.b.glbUrl);
    const text = JSON.stringify(b);
    for (const slug of CONTESTANT_SLUGS) assert.ok(!text.includes(slug), `battle leaks contestant ${slug}`);
    assert.ok(c.request, "cookie kept");
  });

  test("image track shows the reference as voters see it: its display views", async () => {
    const res = await new Client(stack.url).request("POST", "/api/battles", { track: "image" });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    // DISPLAY_PROFILE=fast in the suite: two display views, not the benchmark's four input views
    // (those stay what the Image -> 3D models are given; lib/generations/display-views.ts).
    assert.equal(res.json.category.prompt.images.length, 2);
    for (const url of res.json.category.prompt.images) assert.match(url, /\/display\/display_[01]\.png$/);
    for (const url of res.json.category.prompt.images) {
      const img = await fetch(stack.url + url);
      assert.equal(img.status, 200);
      assert.equal(img.headers.get("content-type"), "image/png");
    }
  });

  test("voting: 201 with reveal; the same vote again 200 with the same reveal; another outcome 409", async () => {
    const c = new Client(stack.url);
    const battle = (await c.request("POST", "/api/battles", { track: "text" })).json;
    const vote = await c.request("POST", `/api/battles/${battle.id}/vote`, { token: battle.token, outcome: "a" });
    assert.equal(vote.status, 201, JSON.stringify(vote.json));
    // Other suites may have added models to this database, so any contestant slug may be revealed.
    for (const side of ["a", "b"] as const) assert.match(vote.json.reveal[side].model, /^[a-z0-9][a-z0-9-]*$/);
    assert.notEqual(vote.json.reveal.a.model, vote.json.reveal.b.model);
    // A client whose answer was lost sends the same vote again: it gets that answer, nothing is added.
    const resent = await c.request("POST", `/api/battles/${battle.id}/vote`, { token: battle.token, outcome: "a" });
    assert.equal(resent.status, 200, JSON.stringify(resent.json));
    assert.deepEqual(resent.json, vote.json);
    const again = await c.request("POST", `/api/battles/${battle.id}/vote`, { token: battle.token, outcome: "b" });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "already_voted");
    // A retried battle request (same Idempotency-Key) gets the same battle, under a fresh token.
    const key = `retry-${Date.now()}`;
    const first = await c.request("POST", "/api/battles", { track: "image" }, undefined, { "idempotency-key": key });
    const retried = await c.request("POST", "/api/battles", { track: "image" }, undefined, { "idempotency-key": key });
    assert.deepEqual([first.status, retried.status], [201, 201]);
    assert.equal(retried.json.id, first.json.id);
    assert.notEqual(retried.json.token, first.json.token);
    assert.equal((await c.request("POST", `/api/battles/${first.json.id}/vote`, { token: first.json.token, outcome: "a" })).status, 403, "the first token was replaced");
    assert.equal((await c.request("POST", `/api/battles/${first.json.id}/vote`, { token: retried.json.token, outcome: "a" })).status, 201);
    assert.equal((await c.request("POST", "/api/battles", { track: "text" }, undefined, { "idempotency-key": "x" })).status, 422);
  });

  test("rejections: unknown battle 404, bad token 403, foreign voter 403, malformed 422", async () => {
    const c = new Client(stack.url);
    const battle = (await c.request("POST", "/api/battles", { track: "text" })).json;

    const unknown = await c.request("POST", `/api/battles/nope/vote`, { token: battle.token, outcome: "a" });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, "not_found");

    const forged = await c.request("POST", `/api/battles/${battle.id}/vote`, { token: "forged-token", outcome: "a" });
    assert.equal(forged.status, 403);
    assert.equal(forged.json.error.code, "bad_token");

    const stranger = new Client(stack.url);
    await stranger.request("POST", "/api/battles", { track: "text" }); // gets its own voter cookie
    const foreign = await stranger.request("POST", `/api/battles/${battle.id}/vote`, { token: battle.token, outcome: "a" });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.json.error.code, "foreign_battle");

    for (const bad of [{ token: battle.token, outcome: "c" }, { outcome: "a" }, null]) {
      const res = await c.request("POST", `/api/battles/${battle.id}/vote`, bad);
      assert.equal(res.status, 422, JSON.stringify(bad));
      assert.equal(res.json.error.code, "unprocessable");
      assert.equal(typeof res.json.error.message, "string");
    }
    const notJson = await c.request("POST", `/api/battles/${battle.id}/vote`, undefined, "{not json");
    assert.equal(notJson.status, 422);
    const badTrack = await c.request("POST", "/api/battles", { track: "audio" });
    assert.equal(badTrack.status, 422);

    // None of the rejections consumed the battle: the rightful voter can still vote once.
    const ok = await c.request("POST", `/api/battles/${battle.id}/vote`, { token: battle.token, outcome: "tie" });
    assert.equal(ok.status, 201);
  });

  test("GET /api/leaderboard has the contract's shape and rejects a bad track", async () => {
    const c = new Client(stack.url);
    const deadline = Date.now() + 20_000;
    let res = await c.request("GET", "/api/leaderboard?track=text");
    while (res.json.votes < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      res = await c.request("GET", "/api/leaderboard?track=text");
    }
    assert.equal(res.status, 200);
    assert.ok(res.json.computedAt);
    assert.ok(res.json.votes >= 2, `votes ${res.json.votes}`);
    for (const k of ["boards", "unrated", "notEnoughData", "minBoardVotes"]) assert.ok(k in res.json, k);
    // A model is rated once it has won and lost within a board, with minBoardVotes votes there; until
    // then the scope lists it with its record and what is missing, and says why nothing is ranked.
    if (res.json.entries.length === 0) {
      assert.match(res.json.notEnoughData, /^Not enough data/);
      assert.ok(res.json.unrated.length >= 2);
      for (const u of res.json.unrated) for (const k of ["model", "votes", "wins", "losses", "reason", "missing", "bound"]) assert.ok(k in u, k);
    }
    for (const e of res.json.entries) {
      for (const k of ["rank", "model", "elo", "ciLow", "ciHigh", "votes", "winRate", "execRate", "chamfer", "board", "order"]) assert.ok(k in e, k);
      assert.ok(e.ciLow < e.elo && e.elo < e.ciHigh);
    }
    const ref = res.json.entries.find((x: { model: string }) => x.model === "reference");
    if (ref) {
      assert.equal(ref.execRate, 1);
      assert.ok(ref.chamfer !== null && ref.chamfer < 1e-9, `reference vs itself has Chamfer ${ref.chamfer}`);
    }
    const bad = await c.request("GET", "/api/leaderboard?track=audio");
    assert.equal(bad.status, 422);
  });
});

describe("in the browser", () => {
  test("a vote cast in the UI reveals the models and moves the leaderboard", async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(`${stack.url}/leaderboard?track=text`);
    const before = Number(await page.getByTestId("leaderboard-total-votes").getAttribute("data-votes"));

    await page.goto(`${stack.url}/?track=text`);
    await page.getByTestId("viewer-a").and(page.locator('[data-loaded="true"]')).waitFor({ timeout: 60_000 });
    await page.getByTestId("viewer-b").and(page.locator('[data-loaded="true"]')).waitFor({ timeout: 60_000 });
    await page.getByTestId("vote-a").click();
    const revealA = await page.getByTestId("reveal-a").innerText();
    const revealB = await page.getByTestId("reveal-b").innerText();
    assert.ok(revealA.length > 0 && revealB.length > 0);

    await page.goto(`${stack.url}/leaderboard?track=text`);
    const deadline = Date.now() + 15_000;
    let after = before;
    while (after <= before && Date.now() < deadline) {
      await page.waitForTimeout(1000);
      await page.reload();
      after = Number(await page.getByTestId("leaderboard-total-votes").getAttribute("data-votes"));
    }
    assert.equal(after, before + 1, "the browser vote shows up on /leaderboard within seconds");
    // Both models of the vote are on the page: ranked, or under "Needs more votes" while few votes identify nothing.
    const listed = (await page.getByTestId("leaderboard-row").count()) + (await page.getByTestId("unrated-row").count());
    assert.ok(listed >= 2, `${listed} models listed`);
    assert.deepEqual(errors, []);
  });
});

describe("restart", () => {
  test("a second start is fast and keeps every vote", async () => {
    const c = new Client(stack.url);
    const votesBefore = (await c.request("GET", "/api/leaderboard?track=all")).json.votes;
    const code = await stack.stop();
    assert.equal(code, 0, stack.output().slice(-3000));
    assert.match(stack.output(), /stopped\./);

    const t0 = Date.now();
    stack = launch(env);
    await stack.waitFor(/ready: open/, 5 * 60_000);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`# warm restart to ready: ${seconds.toFixed(1)} s`);
    assert.doesNotMatch(stack.output(), /web app built/, "no rebuild when nothing changed");
    const votesAfter = (await new Client(stack.url).request("GET", "/api/leaderboard?track=all")).json.votes;
    assert.equal(votesAfter, votesBefore);
  });
});
