/**
 * The arena page as a voter uses it, in headless Chromium against the real stack: voting by mouse
 * and by key, synced and decoupled cameras, shading modes (checked on the canvas pixels), view
 * presets and the turntable, full screen, skipping, reporting, the reveal and auto-advance,
 * broken models, rate limits, and the phone layout; the next battle in the same canvases, fetched
 * ahead; the reveal's links, the code view and its 404, a vote recorded in another tab, the hint
 * after a quick vote; the sign-up form. Screenshots go to SCREENSHOT_DIR.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from "playwright-core";
import { launchChromium } from "../support/browser";
import { launch, type Launched } from "../support/stack";

const PORT = process.env.E2E_PORT_UI ?? "3108";
const env = {
  PORT,
  ARENA_SWEEP_CATEGORIES: "Mug_seed0,Stool_seed0",
  RENDER_PROFILE: "preview",
  // Every test votes from the same machine; the per-IP limit is not what is under test here.
  RATE_LIMIT_IP_VOTES_PER_MIN: "100000",
};
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(process.env.ARENA_DATA_DIR ?? ".data/test", "screenshots");
const DESKTOP = { width: 1440, height: 900 };

let stack: Launched;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  stack = launch(env);
  await stack.waitFor(/web server up at/, 15 * 60_000);
  await stack.waitFor(/ready: open/, 10 * 60_000);
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await stack?.stop();
});

// ---------------------------------------------------------------- helpers

interface Session {
  page: Page;
  errors: string[];
  votes: Record<string, unknown>[];
}

/** A fresh browser context per test: its own voter cookie, localStorage and rate-limit budget. */
async function open(opts: BrowserContextOptions = {}, track = "text"): Promise<Session> {
  const context = await browser.newContext({ viewport: DESKTOP, ...opts });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  const votes: Record<string, unknown>[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r: Request) => {
    if (r.method() === "POST" && /\/api\/battles\/[^/]+\/vote$/.test(r.url())) votes.push(r.postDataJSON() as Record<string, unknown>);
  });
  await page.goto(`${stack.url}/?track=${track}`);
  await ready(page);
  return { page, errors, votes };
}

/** Both models on screen and voting open. */
async function ready(page: Page): Promise<string> {
  await page.locator('[data-testid="battle"][data-phase="ready"]').waitFor({ timeout: 90_000 });
  return battleId(page);
}

async function battleId(page: Page): Promise<string> {
  return (await page.getByTestId("battle").getAttribute("data-battle-id"))!;
}

async function waitForNewBattle(page: Page, previous: string, timeoutMs = 30_000): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const id = document.querySelector('[data-testid="battle"]')?.getAttribute("data-battle-id");
      return Boolean(id && id !== prev);
    },
    previous,
    { timeout: timeoutMs },
  );
  return battleId(page);
}

type Vec = [number, number, number];
async function camera(page: Page, side: "a" | "b"): Promise<Vec> {
  const raw = await page.getByTestId(`viewer-${side}`).getAttribute("data-camera");
  assert.ok(raw, `viewer-${side} has no data-camera`);
  const v = raw.split(",").map(Number);
  assert.equal(v.length, 3, raw);
  return v as Vec;
}
async function cameras(page: Page): Promise<{ a: Vec; b: Vec }> {
  return { a: await camera(page, "a"), b: await camera(page, "b") };
}
const near = (p: Vec, q: Vec, tol = 0.0015) => p.every((x, i) => Math.abs(x - q[i]!) <= tol);
const same = (p: Vec, q: Vec) => near(p, q, 1e-9);

/**
 * Waits until viewer `side`'s camera stops moving (orbit damping settles) and returns it. Software
 * WebGL can take a few hundred ms per frame, so "still" means unchanged for a whole second.
 */
async function settled(page: Page, side: "a" | "b"): Promise<Vec> {
  let last = await camera(page, side);
  let stillFor = 0;
  for (let i = 0; i < 80; i++) {
    await page.waitForTimeout(200);
    const now = await camera(page, side);
    stillFor = same(now, last) ? stillFor + 200 : 0;
    if (stillFor >= 1000) return now;
    last = now;
  }
  throw new Error(`viewer-${side} camera never settled (${last.join(",")})`);
}

/** Waits until both cameras are at rest at the same pose (synced), or fails naming both poses. */
async function settledTogether(page: Page): Promise<{ a: Vec; b: Vec }> {
  let last = await cameras(page);
  let stillFor = 0;
  for (let i = 0; i < 100; i++) {
    await page.waitForTimeout(200);
    const now = await cameras(page);
    const still = same(now.a, last.a) && same(now.b, last.b) && near(now.a, now.b);
    stillFor = still ? stillFor + 200 : 0;
    if (stillFor >= 1000) return now;
    last = now;
  }
  throw new Error(`B never came to rest on A's pose: a=${last.a.join(",")} b=${last.b.join(",")}`);
}

async function drag(page: Page, side: "a" | "b", dx: number, dy = 0): Promise<void> {
  const box = (await page.getByTestId(`viewer-${side}`).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 12 });
  await page.mouse.up();
}

/**
 * The canvas once it has stopped changing: two shots in a row alike. Software WebGL under load
 * can take a while to draw the frame after a change (and the first frames after loading).
 */
async function canvasShot(page: Page, side: "a" | "b"): Promise<Buffer> {
  const shoot = async () => {
    // Two animation frames: the demand-driven canvas draws on the first after a change.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(150);
    return page.getByTestId(`viewer-${side}`).locator("canvas").screenshot();
  };
  let last = await shoot();
  for (let k = 0; k < 10; k++) {
    const next = await shoot();
    if (next.equals(last)) return next;
    last = next;
  }
  return last;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function pressed(page: Page, testId: string, attr = "aria-pressed"): Promise<boolean> {
  return (await page.getByTestId(testId).getAttribute(attr)) === "true";
}

async function revealed(page: Page): Promise<{ a: string; b: string }> {
  await page.getByTestId("reveal-a").waitFor({ timeout: 15_000 });
  const a = (await page.getByTestId("reveal-a-name").innerText()).trim();
  const b = (await page.getByTestId("reveal-b-name").innerText()).trim();
  assert.ok(a.length > 0 && b.length > 0, "both names revealed");
  return { a, b };
}

// ---------------------------------------------------------------- voting

describe("voting", () => {
  test("a mouse vote reveals both models and sends the quality signals", async () => {
    const { page, errors, votes } = await open();
    await page.screenshot({ path: path.join(SHOTS, "arena-desktop.png") });
    await page.getByTestId("vote-a").click();
    await revealed(page);
    assert.equal(await pressed(page, "vote-a"), true);
    assert.equal(votes.length, 1);
    assert.equal(votes[0]!.outcome, "a");
    assert.equal(votes[0]!.bothLoaded, true);
    assert.equal(votes[0]!.interacted, false, "nobody touched the viewers");
    assert.equal(typeof votes[0]!.decisionMs, "number");

    // Next battle: look around first, and the vote says so.
    const first = await battleId(page);
    await page.getByTestId("next-battle").click();
    await waitForNewBattle(page, first);
    await ready(page);
    await drag(page, "a", 80);
    await page.getByTestId("vote-tie").click();
    await revealed(page);
    assert.equal(votes[1]!.outcome, "tie");
    assert.equal(votes[1]!.interacted, true);
    assert.deepEqual(errors, []);
  });

  test("each vote key (A, B, T, X) casts that vote and reveals the names; N moves on", async () => {
    const { page, errors, votes } = await open();
    const keys: [string, string][] = [
      ["a", "a"],
      ["b", "b"],
      ["t", "tie"],
      ["x", "both_bad"],
    ];
    for (const [key, outcome] of keys) {
      const id = await ready(page);
      await page.keyboard.press(key);
      await revealed(page);
      assert.equal(await pressed(page, `vote-${outcome}`), true, `key ${key} selects ${outcome}`);
      assert.equal(votes.at(-1)!.outcome, outcome);
      await page.keyboard.press("n");
      await waitForNewBattle(page, id);
    }
    assert.equal(votes.length, 4);
    assert.deepEqual(errors, []);
  });

  test("skip (S key and button) loads a different battle without voting", async () => {
    const { page, errors, votes } = await open();
    const first = await battleId(page);
    await page.getByTestId("hotkey-legend").waitFor();
    await page.keyboard.press("s");
    const second = await waitForNewBattle(page, first);
    await ready(page);
    await page.getByTestId("skip-battle").click();
    const third = await waitForNewBattle(page, second);
    assert.notEqual(third, first);
    await ready(page);
    assert.equal(votes.length, 0, "skipping never votes");
    assert.deepEqual(errors, []);
  });

  test("Next keeps both canvases and shows the battle fetched ahead, whose models came with their length", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Everything the page fetches: the first battle, the one fetched ahead and their GLBs.
    const battles: string[] = [];
    const glbs: { url: string; length: number; declared: string | null; at: number }[] = [];
    page.on("response", async (res) => {
      const url = new URL(res.url());
      if (url.pathname === "/api/battles" && res.request().method() === "POST") battles.push(((await res.json()) as { id: string }).id);
      if (url.pathname.endsWith(".glb")) glbs.push({ url: url.pathname, length: (await res.body()).byteLength, declared: res.headers()["content-length"] ?? null, at: Date.now() });
    });
    await page.goto(`${stack.url}/?track=text`);
    const first = await ready(page);
    assert.equal(battles[0], first);
    await page.evaluate(() => {
      (window as unknown as { canvases: Element[] }).canvases = [...document.querySelectorAll('[data-testid^="viewer-"] canvas')];
    });
    // Both models are on screen, so the next battle and both of its models are fetched now.
    await waitUntil(() => battles.length === 2 && glbs.filter((g) => g.url.startsWith(`/api/battles/${battles[1]}/`)).length === 2, 30_000, "prefetch");
    const ahead = battles[1]!;
    assert.notEqual(ahead, first);
    for (const g of glbs) assert.equal(g.declared, String(g.length), `${g.url} declares its length, so progress is a percentage`);

    await page.getByTestId("vote-a").click();
    await revealed(page);
    const clicked = Date.now();
    await page.getByTestId("next-battle").click();
    assert.equal(await waitForNewBattle(page, first), ahead, "Next shows the battle fetched ahead");
    await ready(page);
    assert.equal(glbs.filter((g) => g.at >= clicked && g.url.startsWith(`/api/battles/${ahead}/`)).length, 0, "its models were not downloaded again");
    const sameCanvases = await page.evaluate(() => {
      const before = (window as unknown as { canvases: Element[] }).canvases;
      const now = [...document.querySelectorAll('[data-testid^="viewer-"] canvas')];
      return before.length === 2 && now.length === 2 && before.every((c, i) => c === now[i] && c.isConnected);
    });
    assert.equal(sameCanvases, true, "the two WebGL canvases are the same elements after Next");
    assert.equal(await page.getByTestId("viewer-loading").count(), 0, "no loading overlay over drawn models");
    assert.equal(await page.getByTestId("reveal-a").count(), 0, "the new battle starts unrevealed");
    assert.equal(await page.getByTestId("report-a").getAttribute("data-reported"), "false", "and unreported");
    // The new battle votes as usual and is followed by yet another prefetched one.
    await page.keyboard.press("b");
    await revealed(page);
    await waitUntil(() => battles.length === 3, 30_000, "second prefetch");
    assert.deepEqual(errors, []);
  });

  test("after the reveal, Next battle loads a new one; auto-advance does it alone and is remembered", async () => {
    const { page, errors } = await open();
    const first = await battleId(page);
    await page.getByTestId("vote-b").click();
    await revealed(page);
    assert.equal(await page.getByTestId("skip-battle").count(), 0, "Skip gives way to Next after the vote");
    await page.getByTestId("next-battle").click();
    const second = await waitForNewBattle(page, first);
    assert.equal(await page.getByTestId("reveal-a").count(), 0);
    await ready(page);

    assert.equal(await pressed(page, "auto-advance", "aria-checked"), false);
    await page.getByTestId("auto-advance").click();
    assert.equal(await pressed(page, "auto-advance", "aria-checked"), true);
    await page.keyboard.press("a");
    await revealed(page);
    await page.locator('[data-testid="arena-status"][data-advance-in]').waitFor();
    await waitForNewBattle(page, second, 15_000);

    await page.reload();
    await ready(page);
    assert.equal(await pressed(page, "auto-advance", "aria-checked"), true, "remembered in localStorage");
    assert.equal(await page.evaluate(() => localStorage.getItem("arena:auto-advance")), "1");
    assert.deepEqual(errors, []);
  });
});

describe("reveal", () => {
  test("links to both model pages and to each side's code, for this voter only and only after the vote", async () => {
    const { page, errors } = await open();
    const id = await battleId(page);
    // Before the vote the code would unblind the battle: the same 404 as for a battle that does not exist.
    const early = await page.request.get(`${stack.url}/battles/${id}/code/a`);
    assert.equal(early.status(), 404);
    await page.getByTestId("vote-a").click();
    await revealed(page);
    for (const side of ["a", "b"] as const) {
      const model = await page.getByTestId(`reveal-${side}`).getAttribute("data-model");
      assert.equal(await page.getByTestId(`reveal-${side}-model-link`).getAttribute("href"), `/models/${model}`);
      assert.equal(await page.getByTestId(`reveal-${side}-code-link`).getAttribute("href"), `/battles/${id}/code/${side}`);
    }
    const name = (await page.getByTestId("reveal-b-name").innerText()).trim();
    const [code] = await Promise.all([page.context().waitForEvent("page"), page.getByTestId("reveal-b-code-link").click()]);
    await code.getByTestId("code-view").waitFor();
    assert.ok((await code.getByTestId("code-model").innerText()).includes(name), "the code page names the model revealed");
    assert.match(await code.getByTestId("code-view-source").innerText(), /import bpy/);
    assert.ok((await code.locator('[data-token="keyword"]').count()) > 0, "keywords are highlighted");
    await code.setViewportSize({ width: 390, height: 844 });
    assert.ok(await code.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), "no sideways scroll on a phone");
    // A tab opened by a link stays in the background, and a background tab may not paint for a screenshot.
    await code.bringToFront();
    await code.screenshot({ path: path.join(SHOTS, "reveal-code.png") });
    await code.close();
    // Another voter (another browser) gets nothing, not even whether the battle exists.
    const stranger = await browser.newContext();
    contexts.push(stranger);
    const lost = await stranger.newPage();
    await lost.setViewportSize(DESKTOP);
    assert.equal((await lost.goto(`${stack.url}/battles/${id}/code/b`))?.status(), 404);
    // The styled 404, with a way back.
    assert.equal(await lost.getByTestId("not-found-home").getAttribute("href"), "/");
    await lost.screenshot({ path: path.join(SHOTS, "not-found.png") });
    assert.deepEqual(errors, []);
  });

  test("a vote already cast in another tab shows that vote and its reveal; a quick vote gets a gentle hint", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const tokens = new Map<string, string>();
    page.on("response", async (res) => {
      if (new URL(res.url()).pathname === "/api/battles" && res.request().method() === "POST") {
        const b = (await res.json()) as { id: string; token: string };
        tokens.set(b.id, b.token);
      }
    });
    await page.goto(`${stack.url}/?track=text`);
    const id = await ready(page);
    // "Another tab": the same voter (same cookies) votes B on this battle first.
    const other = await page.request.post(`${stack.url}/api/battles/${id}/vote`, { data: { token: tokens.get(id), outcome: "b" } });
    assert.equal(other.status(), 201);
    await page.getByTestId("vote-a").click();
    await revealed(page);
    await page.locator('[data-testid="arena-status"][data-recorded-elsewhere="true"]').waitFor();
    assert.equal(await pressed(page, "vote-b"), true, "the recorded vote (B) is the one highlighted");
    assert.equal(await pressed(page, "vote-a"), false);
    assert.match(await page.getByTestId("arena-status").innerText(), /already had your vote/);
    await page.screenshot({ path: path.join(SHOTS, "arena-409.png") });

    // The server calls a vote sent right after the battle was served too fast...
    const fresh = await page.request.post(`${stack.url}/api/battles`, { data: { track: "text" }, headers: { "idempotency-key": crypto.randomUUID() } });
    const battle = (await fresh.json()) as { id: string; token: string };
    const quick = await page.request.post(`${stack.url}/api/battles/${battle.id}/vote`, { data: { token: battle.token, outcome: "tie" } });
    assert.equal(quick.status(), 201);
    assert.equal(((await quick.json()) as { tooFast?: boolean }).tooFast, true);
    // ...and the page turns that into a hint, not a scolding. (Models take longer than the
    // minimum to draw here, so the flag is added to a real answer to see the page's side.)
    await page.route("**/api/battles/*/vote", async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), tooFast: true } });
    });
    await page.getByTestId("next-battle").click();
    await waitForNewBattle(page, id);
    await ready(page);
    assert.equal(await page.getByTestId("vote-hint").count(), 0);
    await page.getByTestId("vote-tie").click();
    await revealed(page);
    assert.match(await page.getByTestId("vote-hint").innerText(), /quick/i);
    assert.deepEqual(errors, []);
  });
});

// ---------------------------------------------------------------- seeing

describe("viewing", () => {
  test("cameras are synced by default and can be decoupled", async () => {
    const { page, errors } = await open();
    const start = await cameras(page);
    assert.ok(same(start.a, start.b), "both viewers start at the same pose");
    assert.equal(await pressed(page, "sync-cameras", "aria-checked"), true);

    await drag(page, "a", 160, 30);
    // The orbit glides on after the drag (damped, one step per frame: seconds in software WebGL),
    // so compare the two once both have come to rest.
    const { a: a1 } = await settledTogether(page);
    assert.ok(!near(a1, start.a), "dragging A orbits it");

    await page.getByTestId("sync-cameras").click();
    assert.equal(await pressed(page, "sync-cameras", "aria-checked"), false);
    // Where B rests once decoupled (under load a glide can outlast a second without a frame).
    const bRest = await settled(page, "b");
    assert.ok(!near(bRest, start.b), "B had followed A while synced");
    await drag(page, "a", -200);
    const a2 = await settled(page, "a");
    assert.ok(!near(a2, a1), "A moved again");
    assert.ok(same(await camera(page, "b"), bRest), "decoupled: B stays put");

    // Re-syncing brings B to A's latest pose.
    await page.getByTestId("sync-cameras").click();
    // No named helpers inside page functions: tsx's keepNames would reference its __name shim there.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="viewer-a"]')?.getAttribute("data-camera") ===
        document.querySelector('[data-testid="viewer-b"]')?.getAttribute("data-camera"),
    );
    assert.deepEqual(errors, []);
  });

  test("each shading mode switches both viewers and changes the pixels", async () => {
    const { page, errors } = await open();
    assert.equal(await page.getByTestId("viewer-a").getAttribute("data-shading"), "materials");
    let previous = await canvasShot(page, "a");
    const seen = [previous];
    for (const mode of ["clay", "wireframe", "normals", "materials"]) {
      await page.getByTestId(`shading-mode-${mode}`).click();
      assert.equal(await pressed(page, `shading-mode-${mode}`), true);
      for (const side of ["a", "b"]) assert.equal(await page.getByTestId(`viewer-${side}`).getAttribute("data-shading"), mode);
      const shot = await canvasShot(page, "a");
      assert.ok(!shot.equals(previous), `${mode} changes the canvas`);
      if (mode !== "materials") assert.ok(!seen.some((s) => s.equals(shot)), `${mode} looks unlike the other modes`);
      seen.push(shot);
      previous = shot;
    }
    assert.ok(seen[4]!.equals(seen[0]!), "back to materials looks as it started");
    assert.deepEqual(errors, []);
  });

  test("view presets, the V key and reset move both cameras", async () => {
    const { page, errors } = await open();
    const home = await camera(page, "a");
    assert.equal(await page.getByTestId("view-presets").getAttribute("data-view"), "1");

    await page.getByTestId("view-preset-top").click();
    let { a, b } = await cameras(page);
    assert.ok(a[1] > 2 && Math.abs(a[0]) < 0.01 && Math.abs(a[2]) < 0.01, `top view from above: ${a}`);
    assert.ok(same(a, b));
    await page.getByTestId("view-preset-front").click();
    ({ a } = await cameras(page));
    assert.ok(a[2] > 2 && Math.abs(a[0]) < 0.001 && Math.abs(a[1]) < 0.001, `front view along +Z: ${a}`);
    await page.getByTestId("view-preset-side").click();
    ({ a } = await cameras(page));
    assert.ok(a[0] > 2 && Math.abs(a[1]) < 0.001 && Math.abs(a[2]) < 0.001, `side view along +X: ${a}`);

    // The benchmark views: azimuth 45/135/225/315°, elevation atan(1/3).
    const views: Vec[] = [];
    for (const n of [1, 2, 3, 4]) {
      await page.getByTestId(`view-preset-${n}`).click();
      assert.equal(await pressed(page, `view-preset-${n}`), true);
      ({ a } = await cameras(page));
      const r = Math.hypot(...a);
      assert.ok(Math.abs(a[1] / Math.hypot(a[0], a[2]) - 1 / 3) < 0.002, `elevation of view ${n}: ${a}`);
      const azimuth = ((Math.atan2(-a[2], a[0]) * 180) / Math.PI + 360) % 360;
      assert.ok(Math.abs(azimuth - (45 + 90 * (n - 1))) < 0.2, `azimuth of view ${n}: ${azimuth}`);
      assert.ok(r > 2);
      views.push(a);
    }
    assert.ok(near(views[0]!, home), "view 1 is where the cameras start");

    // V steps through the presets: 4 → front → side → top → 1.
    const order = ["front", "side", "top", "1"];
    for (const name of order) {
      const before = await camera(page, "a");
      await page.keyboard.press("v");
      await page.locator(`[data-testid="view-presets"][data-view="${name}"]`).waitFor();
      assert.equal(await pressed(page, `view-preset-${name}`), true);
      assert.ok(!near(await camera(page, "a"), before), `V to ${name} moves the camera`);
    }

    await drag(page, "b", 120);
    await settled(page, "b");
    assert.equal(await page.getByTestId("view-presets").getAttribute("data-view"), "", "orbiting leaves the preset");
    await page.getByTestId("view-reset").click();
    assert.ok(near(await camera(page, "a"), home) && near(await camera(page, "b"), home), "reset returns both to view 1");
    assert.deepEqual(errors, []);
  });

  test("the turntable spins both (in step) until switched off", async () => {
    const { page, errors } = await open();
    assert.equal(await pressed(page, "turntable-toggle"), false);
    await page.getByTestId("turntable-toggle").click();
    assert.equal(await pressed(page, "turntable-toggle"), true);
    const t0 = await camera(page, "a");
    // Software WebGL under load may take a while for the first frames: wait for the turn to show.
    await page.waitForFunction(
      (start) => document.querySelector('[data-testid="viewer-a"]')?.getAttribute("data-camera") !== start,
      t0.map((v) => v.toFixed(3)).join(","),
      { timeout: 15_000 },
    );
    await page.waitForTimeout(1200);
    const both = await page.evaluate(() =>
      ["a", "b"].map((s) => document.querySelector(`[data-testid="viewer-${s}"]`)!.getAttribute("data-camera")),
    );
    const t1 = await camera(page, "a");
    assert.ok(!near(t1, t0, 0.01), `the camera turns: ${t0} → ${t1}`);
    assert.equal(both[0], both[1], "B turns with A");
    assert.ok(Math.abs(t1[1] - t0[1]) < 0.001, "about the vertical axis");

    await page.getByTestId("turntable-toggle").click();
    assert.equal(await pressed(page, "turntable-toggle"), false);
    const stopped = await settled(page, "a");
    await page.waitForTimeout(600);
    assert.ok(same(await camera(page, "a"), stopped), "stops when switched off");
    assert.deepEqual(errors, []);
  });

  test("full screen per side, with an exit control and Esc", async () => {
    const { page, errors } = await open();
    for (const side of ["a", "b"] as const) {
      await page.getByTestId(`fullscreen-${side}`).click();
      await page.locator(`[data-testid="side-${side}"][data-fullscreen]`).waitFor();
      const box = (await page.getByTestId(`viewer-${side}`).boundingBox())!;
      assert.ok(box.width >= DESKTOP.width - 2 && box.height > DESKTOP.height * 0.8, `viewer fills the screen: ${JSON.stringify(box)}`);
      const mode = await page.getByTestId(`side-${side}`).getAttribute("data-fullscreen");
      if (mode === "native") {
        assert.equal(await page.evaluate(() => document.fullscreenElement?.getAttribute("data-testid")), `side-${side}`);
      }
      if (side === "a") await page.keyboard.press("Escape");
      else await page.getByTestId(`fullscreen-exit-${side}`).click();
      await page.locator(`[data-testid="side-${side}"]:not([data-fullscreen])`).waitFor();
      await page.waitForFunction(() => document.fullscreenElement === null);
    }
    // Voting still works afterwards, from the keyboard.
    await page.keyboard.press("b");
    await revealed(page);
    assert.deepEqual(errors, []);
  });

  test("side stats and the image track's enlargeable reference views", async () => {
    const { page, errors } = await open({}, "image");
    for (const side of ["a", "b"]) {
      const stats = page.getByTestId(`side-stats-${side}`);
      for (const k of ["data-vertices", "data-faces", "data-parts"]) assert.ok(Number(await stats.getAttribute(k)) > 0, `${side} ${k}`);
      const floats = (await stats.getAttribute("data-floats-apart")) === "true";
      assert.equal(await page.getByTestId(`float-warning-${side}`).count(), floats ? 1 : 0);
    }
    // The reference as voters see it: its display views (DISPLAY_PROFILE=fast: two, 512 px), not
    // the benchmark's four 256 px input views.
    assert.equal(await page.locator('[data-testid^="reference-image-"]').count(), 2);
    const refImages = page.getByTestId("reference-images").locator("img");
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="reference-images"] img')].every((i) => i.complete && i.naturalWidth > 0));
    for (const w of await refImages.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth))) assert.ok(w >= 512, `display view of ${w} px`);
    assert.ok((await refImages.first().getAttribute("src"))?.includes("/display/display_0.png"));
    await page.getByTestId("reference-image-1").click();
    await page.getByTestId("reference-lightbox").waitFor();
    await page.keyboard.press("a"); // ignored while the lightbox is open
    assert.equal(await page.getByTestId("reveal-a").count(), 0);
    await page.keyboard.press("Escape");
    await page.getByTestId("reference-lightbox").waitFor({ state: "detached" });
    assert.deepEqual(errors, []);
  });
});

// ---------------------------------------------------------------- failures, reports, limits

describe("when things go wrong", () => {
  test("a broken model shows a readable message on its side and the battle can be skipped", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Point side B at a file that does not exist.
    await page.route("**/api/battles", async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      if (json.b) json.b.glbUrl = "/api/assets/missing/not-there.glb";
      await route.fulfill({ response: res, json });
    });
    await page.goto(`${stack.url}/?track=text`);
    await page.locator('[data-testid="viewer-b"][data-error="true"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="viewer-a"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    const message = await page.getByTestId("viewer-b").getByTestId("viewer-error").innerText();
    assert.match(message, /could not be displayed/i);
    assert.match(message, /HTTP 4\d\d/);
    assert.equal(await page.getByTestId("viewer-a").getAttribute("data-error"), "false");
    assert.equal(await page.getByTestId("vote-a").isDisabled(), true, "no vote on a battle that cannot be judged");
    await page.locator('[data-testid="arena-status"][data-state="model-error"]').waitFor();

    await page.unroute("**/api/battles");
    const id = await battleId(page);
    await page.getByTestId("skip-battle").click();
    await waitForNewBattle(page, id);
    await ready(page);
    assert.deepEqual(errors, []);
  });

  test("429 on a vote: a countdown, then the same vote is sent again by itself", async () => {
    const { page, errors, votes } = await open();
    let limited = 0;
    await page.route("**/api/battles/*/vote", async (route) => {
      if (limited++ === 0) {
        await route.fulfill({
          status: 429,
          headers: { "Retry-After": "2" },
          json: { error: { code: "rate_limited", message: "Too many votes from you in the last minute. Please wait 2 s." } },
        });
      } else {
        await route.continue();
      }
    });
    await page.getByTestId("vote-b").click();
    const status = page.locator('[data-testid="arena-status"][data-state="rate-limited"]');
    await status.waitFor();
    assert.match(await status.innerText(), /in [12] s/);
    await revealed(page);
    assert.equal(votes.length, 2, "sent, limited, resent");
    assert.deepEqual(votes[1], votes[0], "the resent vote is the same vote");
    assert.deepEqual(errors, []);
  });

  test("429 on a new battle: a friendly countdown, then it loads by itself", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    let limited = 0;
    await page.route("**/api/battles", async (route) => {
      if (limited++ === 0) {
        await route.fulfill({
          status: 429,
          headers: { "Retry-After": "2" },
          json: { error: { code: "rate_limited", message: "Too many battles from you in the last minute. Please wait 2 s." } },
        });
      } else {
        await route.continue();
      }
    });
    await page.goto(`${stack.url}/?track=text`);
    await page.locator('[data-testid="arena-status"][data-state="rate-limited"]').waitFor();
    await page.getByTestId("rate-limit-countdown").waitFor();
    await ready(page);
    assert.ok(limited >= 2);
  });

  test("report: pick a reason, add a note, send, see the confirmation", async () => {
    const { page, errors } = await open();
    const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/report"));
    await page.getByTestId("report-a").click();
    const dialog = page.getByTestId("report-dialog");
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute("data-side"), "a");
    assert.equal(await page.getByTestId("report-submit").isDisabled(), true, "a reason is required");
    await page.keyboard.press("b"); // typing keys do not vote while the dialog is open
    await page.getByTestId("report-reason-not_prompt").check();
    await page.getByTestId("report-note").fill("It is a cube, not a mug.");
    await page.getByTestId("report-submit").click();
    const body = (await sent).postDataJSON();
    assert.equal(body.side, "a");
    assert.equal(body.reason, "not_prompt");
    assert.equal(body.note, "It is a cube, not a mug.");
    assert.equal(typeof body.token, "string");
    await page.getByTestId("report-done").waitFor({ timeout: 10_000 });
    await page.getByTestId("report-done").getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("report-a").getAttribute("data-reported"), "true");
    assert.equal(await page.getByTestId("reveal-a").count(), 0, "no vote was cast");
    assert.deepEqual(errors, []);
  });
});

// ---------------------------------------------------------------- phone

describe("phone", () => {
  test("390x844: both models side by side on the first screen, never under the vote bar, no key hints, full reveal", async () => {
    const { page, errors } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.screenshot({ path: path.join(SHOTS, "arena-phone.png") });
    const a = (await page.getByTestId("viewer-a").boundingBox())!;
    const b = (await page.getByTestId("viewer-b").boundingBox())!;
    const bar = (await page.getByTestId("vote-bar").boundingBox())!;
    // In CSS pixels of what is on screen (a page that is too wide gets zoomed out on phones).
    const screen = await page.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
    assert.ok(Math.abs(a.y - b.y) < 1 && b.x >= a.x + a.width - 1, `A and B side by side: a=${JSON.stringify(a)} b=${JSON.stringify(b)}`);
    for (const [side, box] of [["a", a], ["b", b]] as const) {
      assert.ok(box.y >= 0 && box.y + box.height <= bar.y + 0.5, `viewer ${side} on the first screen, above the vote bar: ${JSON.stringify({ box, bar, screen })}`);
      assert.ok(box.width >= 160 && box.height >= 180, `viewer ${side} is big enough to judge: ${JSON.stringify(box)}`);
    }
    // A first visit explains the arena in a strip that leaves the models on screen (checked above) and goes when dismissed.
    await page.getByTestId("how-it-works").waitFor();
    await page.getByTestId("how-it-works-dismiss").tap();
    await page.getByTestId("how-it-works").waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => localStorage.getItem("arena:intro-dismissed")), "1", "remembered");
    // Touch device: no keyboard hints anywhere.
    const visibleKbd = await page.locator("kbd").evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().width > 0).length);
    assert.equal(visibleKbd, 0, "keyboard hints are hidden on a touch screen");
    for (const o of ["a", "b", "tie", "both_bad"]) {
      const box = (await page.getByTestId(`vote-${o}`).boundingBox())!;
      const onScreen = box.y >= 0 && box.y + box.height <= screen.h + 0.5 && box.x >= 0 && box.x + box.width <= screen.w + 0.5;
      assert.ok(onScreen, `vote-${o} on screen: ${JSON.stringify({ box, screen })}`);
    }
    await page.getByTestId("vote-a").tap();
    const names = await revealed(page);
    // The reveal cards follow the viewers on a phone: they cover no part of either model, and the
    // viewers keep their size and stay above the vote bar.
    for (const side of ["a", "b"] as const) {
      const card = (await page.getByTestId(`reveal-${side}`).boundingBox())!;
      const viewer = (await page.getByTestId(`viewer-${side}`).boundingBox())!;
      const barNow = (await page.getByTestId("vote-bar").boundingBox())!;
      const overlap = Math.max(0, Math.min(card.y + card.height, viewer.y + viewer.height) - Math.max(card.y, viewer.y)) * Math.max(0, Math.min(card.x + card.width, viewer.x + viewer.width) - Math.max(card.x, viewer.x));
      assert.equal(overlap, 0, `reveal-${side} covers its viewer: ${JSON.stringify({ card, viewer })}`);
      assert.ok(viewer.height >= 180 && viewer.y + viewer.height <= barNow.y + 0.5, `viewer ${side} after the reveal: ${JSON.stringify({ viewer, barNow })}`);
    }
    // The reveal line under the status names both models in full (wrapped, not cut off).
    const compact = page.getByTestId("compact-reveal");
    const line = await compact.innerText();
    assert.ok(line.includes(names.a) && line.includes(names.b), `full names in "${line}"`);
    assert.ok(await compact.evaluate((el) => el.scrollWidth <= el.clientWidth + 0.5), "nothing is cut off");
    await page.screenshot({ path: path.join(SHOTS, "arena-phone-reveal.png") });
    assert.deepEqual(errors, []);

    const widths = await page.evaluate(() => {
      const client = document.documentElement.clientWidth;
      // Name the culprits, innermost first, so a failure says what to fix.
      const wide = [...document.querySelectorAll<HTMLElement>("body *")]
        .filter((el) => el.getBoundingClientRect().right > client + 0.5)
        .reverse()
        .slice(0, 12)
        .map((el) => ({
          inMain: el.closest("main") !== null,
          el: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""}.${String(el.className).slice(0, 60)} → ${Math.round(el.getBoundingClientRect().right)}`,
        }));
      return { scroll: document.documentElement.scrollWidth, client, wide };
    });
    // The arena itself first, then the whole page (which includes the site header).
    assert.ok(!widths.wide.some((w) => w.inMain), `arena content fits: ${JSON.stringify(widths.wide, null, 1)}`);
    assert.ok(widths.scroll <= widths.client, `no horizontal scroll: ${JSON.stringify(widths, null, 1)}`);
  });
});

// ---------------------------------------------------------------- small things

describe("sign-up form", () => {
  test("labelled fields, a heading that follows the mode, length limits, and errors that clear", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.url}/signin`);
    assert.equal((await page.getByTestId("signin-heading").innerText()).trim(), "Sign in");
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByTestId("signin-submit").click();
    await page.getByTestId("signin-error").waitFor();
    await page.getByLabel("Password").pressSequentially("x");
    assert.equal(await page.getByTestId("signin-error").count(), 0, "editing clears the stale error");

    await page.getByTestId("signin-toggle").click();
    assert.equal((await page.getByTestId("signin-heading").innerText()).trim(), "Create an account");
    await page.getByLabel("Name").waitFor();
    assert.equal(await page.getByLabel("Email").getAttribute("maxlength"), "254");
    assert.equal(await page.getByLabel("Name").getAttribute("maxlength"), "80");
    await page.screenshot({ path: path.join(SHOTS, "signup-phone.png") });
    // The server holds the same limits for anyone who skips the form.
    const long = await page.request.post(`${stack.url}/api/auth/register`, {
      data: { email: `${"a".repeat(5000)}@example.com`, password: "correct horse battery", name: "n".repeat(81) },
    });
    assert.equal(long.status(), 422);
    const message = ((await long.json()) as { error: { message: string } }).error.message;
    assert.match(message, /254/);
    assert.match(message, /80/);
  });

  test("signing in from the header comes back to the page it was clicked on, query included", async () => {
    const { seedAccount } = await import("../support/accounts");
    const { disconnectDb } = await import("@/lib/db");
    try {
      await seedAccount({ email: "back-to-page@example.test", password: "correct horse battery" });
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${stack.url}/leaderboard?track=text`);
      await page.getByTestId("nav-signin").click();
      await page.waitForURL((u) => u.pathname === "/signin");
      assert.equal(new URL(page.url()).searchParams.get("callbackUrl"), "/leaderboard?track=text");
      await page.getByLabel("Email").fill("back-to-page@example.test");
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByTestId("signin-submit").click();
      await page.waitForURL((u) => u.pathname === "/leaderboard", { timeout: 30_000 });
      assert.equal(new URL(page.url()).search, "?track=text");
      await page.getByTestId("nav-user").waitFor();
    } finally {
      await disconnectDb();
    }
  });
});
