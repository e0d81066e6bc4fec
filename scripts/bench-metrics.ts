/**
 * `npm run bench:metrics -- [--views <dir>] [--runs N] [--resolution R]`: the CPU cost per output of
 * each image metric (lib/metrics/image), measured as the metric.score job measures it
 * (process.cpuUsage around compute: decode, preprocess, embed 4 + 4 views, pair).
 *
 * Always with the tiny fixture models (tests/fixtures/metrics); also with the real exports where
 * METRIC_SIGLIP2_DIR / METRIC_DINOV3_DIR point at other folders. Views: Image_005/015/025/035.png
 * from --views (used as both generated and reference), else synthetic RGBA renders at the
 * benchmark's 512 px (a shaded disc on a transparent background, different per view).
 * The first run of each (session load) is reported apart. Prints, never asserts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Math.max(1, Number(opt("--runs") ?? 5));
const RES = Math.max(16, Number(opt("--resolution") ?? 512));
const VIEWS = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"];

const realSiglip = process.env.METRIC_SIGLIP2_DIR;
const realDino = process.env.METRIC_DINOV3_DIR;
const FIXTURES = path.join(ROOT, "tests", "fixtures", "metrics");

function syntheticView(k: number, side: string): Buffer {
  const p = new PNG({ width: RES, height: RES });
  const c = RES / 2;
  for (let y = 0; y < RES; y++)
    for (let x = 0; x < RES; x++) {
      const i = (y * RES + x) * 4;
      const r = Math.hypot(x - c - k * 8, y - c) / (RES * 0.35);
      const inside = r < 1;
      p.data[i] = inside ? Math.round(200 * (1 - r * 0.5)) : 0;
      p.data[i + 1] = inside ? Math.round(60 + 40 * k + (side === "r" ? 20 : 0)) : 0;
      p.data[i + 2] = inside ? Math.round(80 * r) : 0;
      p.data[i + 3] = inside ? 255 : 0;
    }
  return PNG.sync.write(p);
}

async function viewsIn(dir: string): Promise<{ gen: string[]; ref: string[] }> {
  const src = opt("--views");
  if (src) {
    const files = VIEWS.map((v) => path.join(src, v));
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length) throw new Error(`--views: missing ${missing.join(", ")}`);
    return { gen: files, ref: files };
  }
  const gen: string[] = [];
  const ref: string[] = [];
  for (const [k, v] of VIEWS.entries()) {
    gen.push(path.join(dir, `g-${v}`));
    ref.push(path.join(dir, `r-${v}`));
    await writeFile(gen[k]!, syntheticView(k, "g"));
    await writeFile(ref[k]!, syntheticView(3 - k, "r"));
  }
  return { gen, ref };
}

interface Row {
  models: string;
  metric: string;
  firstMs: number;
  cpuMs: number[];
  wallMs: number[];
  status: string;
}

async function measure(label: string, siglip: string | undefined, dino: string | undefined, views: { gen: string[]; ref: string[] }, workDir: string): Promise<Row[]> {
  if (siglip) process.env.METRIC_SIGLIP2_DIR = siglip;
  else delete process.env.METRIC_SIGLIP2_DIR;
  if (dino) process.env.METRIC_DINOV3_DIR = dino;
  else delete process.env.METRIC_DINOV3_DIR;
  const { resetEnvCache } = await import("@/lib/env");
  resetEnvCache();
  const { metricPlugins } = await import("@/lib/metrics/registry");
  const rows: Row[] = [];
  for (const plugin of metricPlugins()) {
    const avail = await plugin.availability();
    if (!avail.available) {
      rows.push({ models: label, metric: plugin.id, firstMs: NaN, cpuMs: [], wallMs: [], status: `unavailable: ${avail.reason}` });
      continue;
    }
    const input = { generationId: "bench", track: "text" as const, renders: views.gen, referenceRenders: views.ref, prompt: "A wooden armchair with a curved back and four legs.", workDir };
    const run = async () => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const out = await plugin.compute(input);
      const c = process.cpuUsage(c0);
      return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0, status: out.status === "ok" ? "ok" : `failed: ${out.reason}` };
    };
    const first = await run();
    const row: Row = { models: label, metric: plugin.id, firstMs: first.cpu, cpuMs: [], wallMs: [], status: first.status };
    for (let i = 0; i < RUNS; i++) {
      const r = await run();
      row.cpuMs.push(r.cpu);
      row.wallMs.push(r.wall);
    }
    rows.push(row);
  }
  return rows;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

const workDir = await mkdtemp(path.join(os.tmpdir(), "arena-bench-metrics-"));
try {
  process.env.METRIC_DEVICE ??= "cpu";
  const views = await viewsIn(workDir);
  const { metricDevice } = await import("@/lib/metrics/image/encoder");
  const rows = await measure("fixtures (tiny, random)", path.join(FIXTURES, "siglip2-tiny"), path.join(FIXTURES, "dinov3-tiny"), views, workDir);
  const isFixture = (d: string | undefined) => !d || path.resolve(d).startsWith(FIXTURES);
  if (!isFixture(realSiglip) || !isFixture(realDino)) {
    rows.push(...(await measure("configured (METRIC_*_DIR)", isFixture(realSiglip) ? undefined : realSiglip, isFixture(realDino) ? undefined : realDino, views, workDir)));
  }
  console.log(`bench:metrics · ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}) · device ${metricDevice()} · views ${opt("--views") ?? `synthetic ${RES} px`} · ${RUNS} runs after a first`);
  console.log("");
  const head = ["models", "metric", "first run CPU ms", "CPU ms / output (median)", "wall ms (median)", "status"];
  const table = rows.map((r) => [r.models, r.metric, Number.isNaN(r.firstMs) ? "—" : r.firstMs.toFixed(0), r.cpuMs.length ? median(r.cpuMs).toFixed(0) : "—", r.wallMs.length ? median(r.wallMs).toFixed(0) : "—", r.status]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const t of table) console.log(line(t));
  if (isFixture(realSiglip) && isFixture(realDino)) console.log("\nReal weights: set METRIC_SIGLIP2_DIR / METRIC_DINOV3_DIR to exported folders (docs/metrics.md) to measure them too.");
} finally {
  await rm(workDir, { recursive: true, force: true });
}
