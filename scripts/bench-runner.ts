/**
 * `npm run bench:runner`: timing of the sandboxed Blender runner on the bundled categories
 * (issue 3 "Fast, measured"; issue 10 "measure the cost against today"). Prints, never asserts:
 *   - median / p95 latency per phase: startup (spawn -> bpy ready), script, save (.blend),
 *     handoff (kill check + copying the .blend), open (process 2 reads it), export (stats + both
 *     GLBs), render, outputs (host: read, check, sanitise, compress), total;
 *   - runs per minute at concurrency 1 and 2, for both runners;
 *   - the two-process / one-process ratio: each run is repeated, interleaved, with the runner of
 *     the last one-process commit (ONE_PROCESS_REF, or --baseline <git ref>) taken from git into
 *     .data/bench-baseline/<ref>, plus that commit's display-GLB compression (done by its
 *     store-run.ts), so both sides do the same work from spawn to storable outputs;
 *   - peak memory per run.
 * With --contact-sheet FILE, the first run's four views of every category are composed into one
 * PNG (rows = categories, columns = Image_005/015/025/035) with the bpy venv's Python + PIL.
 * Capacity (docs/deploy.md): with --no-baseline only this runner is timed, at the concurrencies of
 * --concurrency (default 1,2), and the CPU seconds per run give runs/hour per core.
 * Usage: npx tsx scripts/bench-runner.ts [--profile preview|benchmark] [--runs N] [--categories DIR]
 *        [--baseline <git ref> | --no-baseline] [--concurrency 1|2|1,2] [--wall SEC] [--no-warmup]
 *        [--contact-sheet docs/runner/contact-sheet.png]
 * --wall replaces the wall-clock limit (category limit + 300 s): on a loaded machine a benchmark-
 * profile render can outlast it, and capacity is measured in CPU time, not against the limit.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveBlender } from "@/blender-runner/client/blender";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import { BENCHMARK_PROFILE, PREVIEW_PROFILE, type RenderProfile, type RunLimits, type RunResult, type Runner } from "@/blender-runner/client/types";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** main's last commit before the two-process runner (issue 10): the one-process baseline. */
const ONE_PROCESS_REF = "9c1f3018516f9b76088128a47c316fa514689a52";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const profileName = arg("profile", "preview");
const PROFILE: RenderProfile = profileName === "benchmark" ? BENCHMARK_PROFILE : PREVIEW_PROFILE;
if (profileName !== "benchmark" && profileName !== "preview") throw new Error(`--profile must be preview or benchmark`);
const RUNS = Number(arg("runs", "2"));
const CATEGORIES = path.resolve(ROOT, arg("categories", "benchmark/categories"));
const BASELINE = arg("baseline", ONE_PROCESS_REF);
const NO_BASELINE = process.argv.includes("--no-baseline");
const NO_WARMUP = process.argv.includes("--no-warmup");
const WALL = process.argv.includes("--wall") ? Number(arg("wall", "0")) : null;
const CONCURRENCY = new Set(arg("concurrency", "1,2").split(",").map(Number));
// The production defaults (lib/env.ts EXEC_*, lib/pipeline/profiles.ts limitsFor), one thread.
const THREADS = 1;
const SHEET = process.argv.includes("--contact-sheet") ? path.resolve(ROOT, arg("contact-sheet", "docs/runner/contact-sheet.png")) : null;

const COMPOSE = `
import os, sys
from PIL import Image, ImageDraw
src, out, label = sys.argv[1], sys.argv[2], sys.argv[3]
cats = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
views = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"]
size = Image.open(os.path.join(src, cats[0], views[0])).size[0]
pad, head, left = 6, 44, 120
sheet = Image.new("RGB", (left + 4 * (size + pad), head + len(cats) * (size + pad)), (24, 24, 30))
draw = ImageDraw.Draw(sheet)
draw.text((6, 8), label, fill=(220, 220, 220))
for j, v in enumerate(views):
    draw.text((left + j * (size + pad) + 4, head - 16), v + "  az %d" % (45 + 90 * j), fill=(170, 170, 170))
for i, c in enumerate(cats):
    y = head + i * (size + pad)
    draw.text((6, y + size // 2 - 6), c.replace("_seed0", ""), fill=(220, 220, 220))
    for j, v in enumerate(views):
        p = os.path.join(src, c, v)
        if os.path.exists(p):
            tile = Image.new("RGBA", (size, size), (48, 48, 56, 255))
            tile.alpha_composite(Image.open(p).convert("RGBA").resize((size, size)))
            sheet.paste(tile.convert("RGB"), (left + j * (size + pad), y))
sheet.save(out, optimize=True)
`;

interface Category {
  id: string;
  code: string;
  timeLimitSec: number;
}

function loadCategories(): Category[] {
  return readdirSync(CATEGORIES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("_") && existsSync(path.join(CATEGORIES, d.name, `${d.name}.py`)))
    .map((d) => {
      const cfgFile = path.join(CATEGORIES, d.name, "arena.json");
      const cfg = existsSync(cfgFile) ? (JSON.parse(readFileSync(cfgFile, "utf8")) as { timeLimitSec?: number }) : {};
      return { id: d.name, code: readFileSync(path.join(CATEGORIES, d.name, `${d.name}.py`), "utf8"), timeLimitSec: cfg.timeLimitSec ?? 180 };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function limitsFor(c: Category): RunLimits {
  const wall = WALL ?? c.timeLimitSec + 300;
  return { wallSeconds: wall, cpuSeconds: wall * THREADS + 30, memoryMiB: 8192, maxProcesses: 512, maxFileMiB: 1024, threads: THREADS };
}

const quantile = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "-");

interface Sample {
  category: string;
  status: string;
  phases: Record<string, number>;
  total: number;
  peakMiB: number | null;
  /** CPU seconds (user + system) of both sandboxes' busiest processes. */
  cpu?: number;
}

const NEW_PHASES = ["startup", "script", "save", "handoff", "open", "export", "render", "outputs", "total"] as const;
const OLD_PHASES = ["startup", "script", "export", "render", "compress", "total"] as const;

function sampleOf(category: string, r: RunResult): Sample {
  const t = r.timings;
  return {
    category,
    status: r.status,
    phases: {
      startup: t.startup,
      script: t.script,
      save: t.save ?? 0,
      handoff: t.handoff ?? 0,
      open: t.open ?? 0,
      export: (t.stats ?? 0) + t.export,
      render: t.render,
      outputs: t.outputs ?? 0,
      total: t.total,
    },
    total: t.total,
    peakMiB: r.peakMemoryMiB,
    cpu: t.cpu,
  };
}

/** The one-process runner and its display-GLB compression, as of `ref` (its own types: any-typed on purpose). */
interface Baseline {
  run(c: Category, id: string): Promise<Sample>;
}

async function loadBaseline(ref: string, jobsRoot: string): Promise<Baseline> {
  const sha = execFileSync("git", ["-C", ROOT, "rev-parse", "--verify", `${ref}^{commit}`], { encoding: "utf8" }).trim();
  // Inside the repository, so its imports resolve against this node_modules.
  const dir = path.join(ROOT, ".data", "bench-baseline", sha.slice(0, 12));
  if (!existsSync(path.join(dir, "blender-runner", "client", "local-runner.ts"))) {
    await mkdir(dir, { recursive: true });
    const tar = execFileSync("git", ["-C", ROOT, "archive", sha, "blender-runner"]);
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
  }
  type OldRunner = { run(job: unknown, limits: RunLimits): Promise<{ status: string; timings: Record<string, number>; peakMemoryMiB: number | null; files: { displayGlb: string | null }; cleanup(): Promise<void> }> };
  const runnerMod = (await import(path.join(dir, "blender-runner", "client", "local-runner.ts"))) as { createLocalRunner(o: object): OldRunner };
  const glbMod = (await import(path.join(dir, "blender-runner", "client", "display-glb.ts"))) as { compressDisplayGlb(p: string): Promise<{ cleanup(): Promise<void> }> };
  const runner = runnerMod.createLocalRunner({ root: ROOT, jobsRoot, harnessDir: path.join(dir, "blender-runner", "harness") });
  console.log(`Baseline: one-process runner at ${sha.slice(0, 12)} (${dir})`);
  return {
    async run(c, id) {
      const t0 = performance.now();
      const r = await runner.run({ id, code: c.code, profile: PROFILE }, limitsFor(c));
      // What that commit's store-run.ts did next, before anything could be stored.
      const tc = performance.now();
      if (r.files.displayGlb) await (await glbMod.compressDisplayGlb(r.files.displayGlb)).cleanup();
      const compress = (performance.now() - tc) / 1000;
      const total = (performance.now() - t0) / 1000;
      await r.cleanup();
      const t = r.timings;
      return {
        category: c.id,
        status: r.status,
        phases: { startup: t.startup ?? 0, script: t.script ?? 0, export: (t.stats ?? 0) + (t.export ?? 0), render: t.render ?? 0, compress, total },
        total,
        peakMiB: r.peakMemoryMiB,
      };
    },
  };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

function printLatency(title: string, samples: Sample[], phases: readonly string[]): void {
  console.log(`\n${title} (${samples.length} runs; seconds)`);
  console.log("              median     p95");
  for (const k of phases) {
    const xs = samples.map((s) => s.phases[k] ?? 0);
    console.log(`  ${k.padEnd(10)} ${f(median(xs)).padStart(8)} ${f(quantile(xs, 0.95)).padStart(7)}`);
  }
}

async function main(): Promise<void> {
  const cats = loadCategories();
  if (!cats.length) throw new Error(`no categories in ${CATEGORIES}`);
  const jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-bench-runner-"));
  const runner: Runner = createLocalRunner({ root: ROOT, jobsRoot });
  const version = await runner.version();
  console.log(`Blender ${version} (${runner.kind}); profile ${PROFILE.name} ${JSON.stringify(PROFILE)}; ${RUNS} run(s) per category; ${cats.length} categories; threads ${THREADS}; ${os.cpus().length} CPUs`);
  const baseline = NO_BASELINE ? null : await loadBaseline(BASELINE, jobsRoot);
  let seq = 0;
  const sheetDir = SHEET ? await mkdtemp(path.join(os.tmpdir(), "arena-contact-sheet-")) : null;
  const twoProcess = async (c: Category) => {
    const r = await runner.run({ id: `bench-${process.pid}-${seq++}`, code: c.code, profile: PROFILE }, limitsFor(c));
    if (sheetDir && r.files.renders.length && !existsSync(path.join(sheetDir, c.id))) {
      await mkdir(path.join(sheetDir, c.id));
      for (const v of r.files.renders) await writeFile(path.join(sheetDir, c.id, v.name), v.png);
    }
    await r.cleanup();
    if (r.status !== "OK") console.log(`  ! ${c.id}: ${r.status} ${r.errorText?.split("\n")[0] ?? ""}`);
    if (r.tamper.suspected) console.log(`  ! ${c.id}: tampering suspected on a reference script: ${JSON.stringify(r.tamper.evidence)}`);
    return sampleOf(c.id, r);
  };
  const onePro = async (c: Category) => {
    const s = await baseline!.run(c, `bench-${process.pid}-${seq++}`);
    if (s.status !== "OK") console.log(`  ! ${c.id} (one-process): ${s.status}`);
    return s;
  };

  // Warm the page cache (bpy is ~400 MB of shared libraries) so the first category is not penalised.
  if (!NO_WARMUP) await twoProcess(cats[0]!);
  if (baseline && !NO_WARMUP) await onePro(cats[0]!);
  if (NO_BASELINE) return capacity(cats, twoProcess, version, jobsRoot);

  // Concurrency 1, both runners interleaved per run (order alternating) so drift on a shared
  // machine hits both alike.
  const c1: Sample[] = [];
  const one: Sample[] = [];
  let twoWall = 0;
  for (let run = 0; run < RUNS; run++) {
    for (const c of cats) {
      const order = (run + cats.indexOf(c)) % 2 === 0 ? ["two", "one"] : ["one", "two"];
      for (const which of order) {
        if (which === "one") one.push(await onePro(c));
        else {
          const s0 = performance.now();
          c1.push(await twoProcess(c));
          twoWall += performance.now() - s0;
        }
      }
    }
  }
  const perMin1 = c1.length / (twoWall / 60_000);

  const c2: Sample[] = [];
  const t2 = performance.now();
  const jobs = Array.from({ length: RUNS }, () => cats).flat();
  await pool(jobs, 2, async (c) => {
    c2.push(await twoProcess(c));
  });
  const perMin2 = c2.length / ((performance.now() - t2) / 60_000);
  // Throughput at concurrency 2 for the one-process baseline too: process 2's pre-start spends a
  // second Blender start-up per run, which costs CPU when both cores are busy.
  const one2: Sample[] = [];
  const t3 = performance.now();
  await pool(jobs, 2, async (c) => {
    one2.push(await onePro(c));
  });
  const perMinOne2 = one2.length / ((performance.now() - t3) / 60_000);
  const oneWall = one.reduce((a, s) => a + s.total, 0);
  const perMinOne1 = one.length / (oneWall / 60);

  printLatency("Two processes, concurrency 1", c1, NEW_PHASES);
  printLatency("Two processes, concurrency 2", c2, NEW_PHASES);
  printLatency(`One process (${BASELINE.slice(0, 12)}), concurrency 1`, one, OLD_PHASES);

  console.log("\nPer category (concurrency 1, medians): total two-process / one-process, peak memory (two-process)");
  let sumTwo = 0;
  let sumOne = 0;
  for (const c of cats) {
    const s = median(c1.filter((x) => x.category === c.id).map((x) => x.total));
    const p = median(one.filter((x) => x.category === c.id).map((x) => x.total));
    const peak = Math.max(...c1.filter((x) => x.category === c.id).map((x) => x.peakMiB ?? 0));
    const statuses = [...new Set(c1.filter((x) => x.category === c.id).map((x) => x.status))].join(",");
    sumTwo += s;
    sumOne += p;
    console.log(`  ${c.id.padEnd(18)} ${f(s).padStart(6)} s / ${f(p).padStart(6)} s = ${f(s / p, 3)}   peak ${f(peak, 0).padStart(5)} MiB   ${statuses}`);
  }
  const peaks = c1.map((x) => x.peakMiB ?? 0);
  console.log(`\nRuns per minute, two processes: ${f(perMin1, 1)} at concurrency 1, ${f(perMin2, 1)} at concurrency 2`);
  console.log(`Runs per minute, one process:  ${f(perMinOne1, 1)} at concurrency 1, ${f(perMinOne2, 1)} at concurrency 2`);
  console.log(`Two-process / one-process (sum of per-category median totals, spawn to storable outputs): ${f(sumTwo / sumOne, 3)} (target <= 1.25 on preview)`);
  console.log(`Peak memory per run (two processes, both trees): median ${f(median(peaks), 0)} MiB, max ${f(Math.max(...peaks), 0)} MiB`);
  await rm(jobsRoot, { recursive: true, force: true });
  if (SHEET && sheetDir) {
    const install = resolveBlender({ root: ROOT });
    if (install.kind !== "bpy-venv") throw new Error("--contact-sheet needs the bpy venv's Python (PIL)");
    await mkdir(path.dirname(SHEET), { recursive: true });
    const label = `3DCodeArena runner, Blender ${version}, profile ${PROFILE.name}: ${PROFILE.samples} spp, ${PROFILE.resolution} px, denoise ${PROFILE.denoise ? "OIDN" : "off"}`;
    const r = spawnSync(install.python, ["-c", COMPOSE, sheetDir, SHEET, label], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`contact sheet failed: ${r.stderr}`);
    console.log(`Contact sheet: ${path.relative(ROOT, SHEET)}`);
    await rm(sheetDir, { recursive: true, force: true });
  }
}

/**
 * This runner alone: wall-clock throughput at each concurrency and CPU seconds per run. With
 * threads = 1 a run keeps at most about one core busy, so 3600 / CPU seconds is the runs per hour
 * one core sustains when the worker runs one job per core (EXEC_CONCURRENCY = cores); the
 * wall-clock figure on a shared machine is a lower bound.
 */
async function capacity(cats: Category[], run: (c: Category) => Promise<Sample>, version: string, jobsRoot: string): Promise<void> {
  const jobs = Array.from({ length: RUNS }, () => cats).flat();
  const load0 = os.loadavg()[0]!;
  const lines: string[] = [];
  for (const n of [...CONCURRENCY].sort()) {
    const samples: Sample[] = [];
    const t0 = performance.now();
    await pool(jobs, n, async (c) => {
      samples.push(await run(c));
    });
    const wallH = (performance.now() - t0) / 3_600_000;
    printLatency(`This runner, concurrency ${n}`, samples, NEW_PHASES);
    const cpu = samples.map((s) => s.cpu ?? NaN);
    const failed = samples.filter((s) => s.status !== "OK").length;
    lines.push(
      `concurrency ${n}: ${samples.length} runs (${failed} not OK) in ${f(wallH * 60, 1)} min wall = ${f(samples.length / wallH, 0)} runs/hour` +
        ` (${f(samples.length / wallH / n, 0)} per busy slot); CPU per run median ${f(median(cpu), 1)} s, mean ${f(cpu.reduce((a, b) => a + b, 0) / cpu.length, 1)} s` +
        ` -> ${f(3600 / (cpu.reduce((a, b) => a + b, 0) / cpu.length), 0)} runs/hour per core; peak memory max ${f(Math.max(...samples.map((s) => s.peakMiB ?? 0)), 0)} MiB`,
    );
  }
  console.log(`\nCapacity, Blender ${version}, profile ${PROFILE.name}, threads ${THREADS}, ${os.cpus().length} CPUs, load average ${f(load0, 2)} at start, ${f(os.loadavg()[0]!, 2)} at end:`);
  for (const l of lines) console.log(`  ${l}`);
  await rm(jobsRoot, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  },
);
