/**
 * `npm run bench:runner`: timing of the sandboxed Blender runner on the bundled categories
 * (issue 3, "Fast, measured"). Prints, never asserts:
 *   - median / p95 latency split into startup (spawn -> bpy ready), script, export, render, total;
 *   - runs per minute at concurrency 1 and 2;
 *   - sandbox overhead: the same harness and script with plain Python/Blender outside bubblewrap
 *     (same CPU pinning and thread variables, no bwrap/prlimit/setpriv), as a ratio of wall time;
 *   - peak memory per run.
 * With --contact-sheet FILE, the first run's four views of every category are composed into one
 * PNG (rows = categories, columns = Image_005/015/025/035) with the bpy venv's Python + PIL.
 * Usage: npx tsx scripts/bench-runner.ts [--profile preview|benchmark] [--runs N] [--categories DIR]
 *        [--contact-sheet docs/runner/contact-sheet.png]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveBlender } from "@/blender-runner/client/blender";
import { readHarnessRecord } from "@/blender-runner/client/job-files";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import { startCpus } from "@/blender-runner/client/sandbox";
import { BENCHMARK_PROFILE, PREVIEW_PROFILE, type RenderProfile, type RunLimits, type RunResult } from "@/blender-runner/client/types";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const profileName = arg("profile", "preview");
const PROFILE: RenderProfile = profileName === "benchmark" ? BENCHMARK_PROFILE : PREVIEW_PROFILE;
if (profileName !== "benchmark" && profileName !== "preview") throw new Error(`--profile must be preview or benchmark`);
const RUNS = Number(arg("runs", "2"));
const CATEGORIES = path.resolve(ROOT, arg("categories", "benchmark/categories"));
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
  const wall = c.timeLimitSec + 300;
  return { wallSeconds: wall, cpuSeconds: wall * THREADS + 30, memoryMiB: 6144, maxProcesses: 512, maxFileMiB: 1024, threads: THREADS };
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
  startup: number;
  script: number;
  export: number;
  render: number;
  total: number;
  peakMiB: number | null;
}

function sampleOf(category: string, r: RunResult): Sample {
  return {
    category,
    status: r.status,
    startup: r.timings.startup,
    script: r.timings.script,
    export: (r.timings.stats ?? 0) + r.timings.export,
    render: r.timings.render,
    total: r.timings.total,
    peakMiB: r.peakMemoryMiB,
  };
}

/** The same harness on the same job, without the sandbox: the overhead baseline. */
async function runPlain(jobsRoot: string, id: string, c: Category): Promise<Sample> {
  const install = resolveBlender({ root: ROOT });
  const jobDir = path.join(jobsRoot, id);
  await rm(jobDir, { recursive: true, force: true });
  await mkdir(path.join(jobDir, "out"), { recursive: true });
  await writeFile(path.join(jobDir, "script.py"), c.code);
  const harness = path.join(ROOT, "blender-runner", "harness", "harness.py");
  const cpus = startCpus(/^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "0", THREADS);
  const n = String(THREADS);
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: jobDir,
    LANG: "C.UTF-8",
    TMPDIR: os.tmpdir(),
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONNOUSERSITE: "1",
    PYTHONUNBUFFERED: "1",
    ...(cpus ? { ARENA_CPUS: cpus.all } : {}),
    ...Object.fromEntries(["OMP_NUM_THREADS", "OIDN_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "TBB_NUM_THREADS"].map((v) => [v, n])),
  };
  const command =
    install.kind === "bpy-venv"
      ? [install.python, harness, "--job", jobDir]
      : [install.binary, "-b", "--factory-startup", "--python-exit-code", "1", "--python", harness, "--", "--job", jobDir];
  const argv = cpus ? ["/usr/bin/taskset", "--cpu-list", cpus.start, ...command] : command;
  const t0 = performance.now();
  await writeFile(path.join(jobDir, "input.json"), JSON.stringify({ script: "script.py", profile: PROFILE, render: true, threads: THREADS, spawnedAt: Date.now() / 1000 }));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: env as NodeJS.ProcessEnv, stdio: "ignore" });
    child.on("error", reject);
    child.on("close", () => resolve());
  });
  const total = (performance.now() - t0) / 1000;
  const read = await readHarnessRecord(jobDir);
  const rec = read.ok ? read.record : null;
  await rm(jobDir, { recursive: true, force: true });
  const t = rec?.timings ?? {};
  return {
    category: c.id,
    status: rec?.status ?? "ERR_NOLOG",
    startup: t.startup ?? 0,
    script: t.script ?? 0,
    export: (t.stats ?? 0) + (t.export ?? 0),
    render: t.render ?? 0,
    total,
    peakMiB: rec?.peakRssMiB ?? null,
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

function printLatency(title: string, samples: Sample[]): void {
  console.log(`\n${title} (${samples.length} runs; seconds)`);
  console.log("              median     p95");
  for (const k of ["startup", "script", "export", "render", "total"] as const) {
    const xs = samples.map((s) => s[k]);
    console.log(`  ${k.padEnd(10)} ${f(median(xs)).padStart(8)} ${f(quantile(xs, 0.95)).padStart(7)}`);
  }
}

async function main(): Promise<void> {
  const cats = loadCategories();
  if (!cats.length) throw new Error(`no categories in ${CATEGORIES}`);
  const jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-bench-runner-"));
  const runner = createLocalRunner({ root: ROOT, jobsRoot });
  const version = await runner.version();
  console.log(`Blender ${version} (${runner.kind}); profile ${PROFILE.name} ${JSON.stringify(PROFILE)}; ${RUNS} run(s) per category; ${cats.length} categories; threads ${THREADS}; ${os.cpus().length} CPUs`);
  let seq = 0;
  const sheetDir = SHEET ? await mkdtemp(path.join(os.tmpdir(), "arena-contact-sheet-")) : null;
  const sandboxed = async (c: Category) => {
    const r = await runner.run({ id: `bench-${process.pid}-${seq++}`, code: c.code, profile: PROFILE }, limitsFor(c));
    if (sheetDir && r.files.renders.length && !existsSync(path.join(sheetDir, c.id))) {
      await mkdir(path.join(sheetDir, c.id));
      for (const v of r.files.renders) await copyFile(v.path, path.join(sheetDir, c.id, v.name));
    }
    await r.cleanup();
    if (r.status !== "OK") console.log(`  ! ${c.id}: ${r.status} ${r.errorText?.split("\n")[0] ?? ""}`);
    return sampleOf(c.id, r);
  };

  // Warm the page cache (bpy is ~400 MB of shared libraries) so the first category is not penalised.
  await sandboxed(cats[0]!);
  await runPlain(jobsRoot, "warm", cats[0]!);

  // Concurrency 1, sandboxed and plain interleaved per run so drift on a shared machine hits both.
  const c1: Sample[] = [];
  const plain: Sample[] = [];
  let sandboxWall = 0;
  for (let run = 0; run < RUNS; run++) {
    for (const c of cats) {
      const s0 = performance.now();
      c1.push(await sandboxed(c));
      sandboxWall += performance.now() - s0;
      plain.push(await runPlain(jobsRoot, `plain-${seq++}`, c));
    }
  }
  const perMin1 = c1.length / (sandboxWall / 60_000);

  const c2: Sample[] = [];
  const t2 = performance.now();
  const jobs = Array.from({ length: RUNS }, () => cats).flat();
  await pool(jobs, 2, async (c) => {
    c2.push(await sandboxed(c));
  });
  const perMin2 = c2.length / ((performance.now() - t2) / 60_000);

  printLatency("Sandboxed, concurrency 1", c1);
  printLatency("Sandboxed, concurrency 2", c2);
  printLatency("Plain (no sandbox), concurrency 1", plain);

  console.log("\nPer category (concurrency 1, medians): total sandboxed / plain, peak memory");
  let sumS = 0;
  let sumP = 0;
  for (const c of cats) {
    const s = median(c1.filter((x) => x.category === c.id).map((x) => x.total));
    const p = median(plain.filter((x) => x.category === c.id).map((x) => x.total));
    const peak = Math.max(...c1.filter((x) => x.category === c.id).map((x) => x.peakMiB ?? 0));
    const statuses = [...new Set(c1.filter((x) => x.category === c.id).map((x) => x.status))].join(",");
    sumS += s;
    sumP += p;
    console.log(`  ${c.id.padEnd(18)} ${f(s).padStart(6)} s / ${f(p).padStart(6)} s = ${f(s / p, 3)}   peak ${f(peak, 0).padStart(5)} MiB   ${statuses}`);
  }
  const peaks = c1.map((x) => x.peakMiB ?? 0);
  console.log(`\nRuns per minute: ${f(perMin1, 1)} at concurrency 1, ${f(perMin2, 1)} at concurrency 2`);
  console.log(`Sandbox overhead (sum of per-category median wall times, sandboxed / plain): ${f(sumS / sumP, 3)} (target <= 1.10)`);
  console.log(`Peak memory per run: median ${f(median(peaks), 0)} MiB, max ${f(Math.max(...peaks), 0)} MiB`);
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

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
