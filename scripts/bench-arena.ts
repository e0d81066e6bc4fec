/**
 * `npm run bench:arena`: how long a voter waits for both models, in headless Chromium under a
 * fixed throttling profile (prints, never asserts).
 *
 * Starts a fresh stack like `npm run up` (throwaway PostgreSQL and Redis in .data/bench-arena, the
 * launcher with a two-category baseline sweep), opens the arena and measures, for the first battle
 * (from navigation) and for each next one (from the click on "Next"), the time until both viewers
 * report a drawn model. Between battles the voter looks for --dwell seconds and votes, as people do.
 *
 *   npm run bench:arena [-- --battles 5 --dwell 3 --cpu 4 --url http://localhost:3000]
 *
 * Profile: CPU slowed --cpu times through the DevTools protocol (Emulation.setCPUThrottlingRate),
 * network at 20 Mbit/s down, 5 Mbit/s up, 40 ms latency (Network.emulateNetworkConditions), WebGL
 * on SwiftShader (software, no GPU here): absolute figures are far above a real GPU's, the ratio
 * between first and next battles is the point.
 */
import { loadavg } from "node:os";
import { freshBenchStack } from "@/scripts/bench-stack";
import type { Page } from "playwright-core";
import { launchChromium } from "@/tests/support/browser";

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const urlArg = (() => {
  const i = process.argv.indexOf("--url");
  return i > 0 ? process.argv[i + 1]! : null;
})();
const BATTLES = arg("battles", 5);
const DWELL_S = arg("dwell", 3);
const CPU = arg("cpu", 4);
const PORT = arg("port", 3191);
/** --profile: a JavaScript CPU profile of the page from each click on Next, summarised by function. */
const PROFILE = process.argv.includes("--profile");
const TIMEOUT_MS = 180_000;

async function freshStack(): Promise<{ base: string; stop: () => Promise<void> }> {
  const stack = await freshBenchStack({ name: "bench-arena", port: PORT, pgPort: arg("pg-port", 54398), redisPort: arg("redis-port", 6458) });
  return { base: stack.base.origin, stop: stack.stop };
}

/** Until the battle on screen is not `previous` and both of its models are drawn. */
async function bothVisible(page: Page, previous: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const battle = document.querySelector('[data-testid="battle"]');
      const id = battle?.getAttribute("data-battle-id");
      if (!id || id === prev) return false;
      return document.querySelectorAll('[data-testid^="viewer-"][data-loaded="true"]').length === 2;
    },
    previous,
    { timeout: TIMEOUT_MS, polling: 20 },
  );
  return (await page.getByTestId("battle").getAttribute("data-battle-id"))!;
}

/**
 * Where the time after the click went, per viewer, from the viewers' performance marks (page
 * clock, from the bench's own mark just before the click): the model in the scene (React state
 * and commit), the first frame with it started, the frame drawn (shader compile, uploads, draw).
 */
async function steps(page: Page): Promise<string> {
  // Plain data out of the page: helpers defined inside evaluate() would be renamed by tsx.
  const entries = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => [m.name, m.startTime] as const));
  const at = new Map<string, number>(entries);
  const t0 = at.get("bench:next");
  const rel = (name: string) => {
    const t = at.get(name);
    return t === undefined || t0 === undefined || t < t0 ? "?" : `${Math.round(t - t0)} ms`;
  };
  return (["a", "b"] as const)
    .map((s) => `${s}: in scene ${rel(`viewer-${s}:in-scene`)}, frame started ${rel(`viewer-${s}:first-frame`)}, drawn ${rel(`viewer-${s}:drawn`)}`)
    .join("; ");
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function (top 12), so the cost after the click has a name. */
function summarise(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i]!)!;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").at(-1) ?? ""}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const top = [...self].sort((x, y) => y[1] - x[1]).slice(0, 12);
  return top.map(([k, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${k}`).join("\n");
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const stack = urlArg ? { base: urlArg.replace(/\/$/, ""), stop: async () => undefined } : await freshStack();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 40,
      downloadThroughput: (20 * 1024 * 1024) / 8,
      uploadThroughput: (5 * 1024 * 1024) / 8,
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // When each battle's answer and its GLBs arrived: was the next battle fetched ahead in time?
    const arrived = new Map<string, number>();
    page.on("response", (res) => {
      const url = new URL(res.url());
      const record = async () => {
        if (url.pathname === "/api/battles" && res.request().method() === "POST" && res.ok()) {
          const id = ((await res.json()) as { id: string }).id;
          arrived.set(id, Date.now());
        }
        const glb = /^\/api\/battles\/([^/]+)\/[ab]\.glb$/.exec(url.pathname);
        if (glb) {
          await res.finished();
          arrived.set(`${glb[1]}:${url.pathname.slice(-5)}`, Date.now());
        }
      };
      // A prefetch still in flight when the browser closes at the end must not crash the bench
      // (and leave its stack running).
      record().catch(() => undefined);
    });

    console.log(`› load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; CPU x${CPU}, 20/5 Mbit/s, 40 ms; dwell ${DWELL_S} s`);
    let started = Date.now();
    await page.goto(`${stack.base}/?track=text`);
    let id = await bothVisible(page, null);
    const first = Date.now() - started;
    console.log(`battle 1 (first, from navigation): ${fmt(first)}`);

    const next: number[] = [];
    for (let i = 0; i < BATTLES; i++) {
      await page.waitForTimeout(DWELL_S * 1000);
      await page.getByTestId("vote-a").click();
      await page.getByTestId("next-battle").waitFor({ timeout: TIMEOUT_MS });
      await page.evaluate(() => {
        performance.clearMarks("bench:next");
        performance.mark("bench:next");
      });
      if (PROFILE) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 1000 });
        await cdp.send("Profiler.start");
      }
      started = Date.now();
      await page.getByTestId("next-battle").click();
      id = await bothVisible(page, id);
      next.push(Date.now() - started);
      const ahead = [arrived.get(id), arrived.get(`${id}:a.glb`), arrived.get(`${id}:b.glb`)];
      const ready = ahead.every((t) => t !== undefined && t <= started) ? "fetched ahead" : "not yet fetched at the click";
      console.log(`battle ${i + 2} (from the click on Next): ${fmt(next.at(-1)!)} (${ready}); ${await steps(page)}`);
      if (PROFILE) console.log(summarise((await cdp.send("Profiler.stop")).profile));
    }
    const canvases = await page.locator('[data-testid^="viewer-"] canvas').count();
    console.log("");
    console.log(`time to both models visible: first ${fmt(first)}; next ${next.map(fmt).join(", ")}`);
    console.log(`next battles: median ${fmt(median(next))}, max ${fmt(Math.max(...next))} (${((median(next) / first) * 100).toFixed(0)}% of the first)`);
    console.log(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(" ")}; canvases on the page ${canvases}; page errors ${errors.length}`);
    for (const e of errors) console.log(`  page error: ${e}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
