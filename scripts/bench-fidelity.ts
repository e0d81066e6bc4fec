/**
 * `npm run bench:fidelity -- <3DCodeBench checkout> [--profile preview|benchmark] [--results <run folder>]
 *   [--concurrency N] [--only A_seed0,B_seed0] [--no-references] [--json FILE]` (issue 14, part 7).
 *
 * Runs every reference script of the checkout through the sandboxed runner with the production
 * limits (lib/pipeline/profiles.ts) and prints the Exec rate, statuses, export statuses, the
 * benchmark's failure groups (ERR_EXEC only), time percentiles per phase and peak memory.
 * With --results, re-executes the scripts of a benchmark run folder (results/<model>/ or an agent
 * folder, read with the importer's untrusted readers) and prints how often our status agrees
 * with the one the benchmark recorded (renders/render_log.json, else log.json.final_render_status).
 * Prints, never asserts.
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import { describeCgroups } from "@/blender-runner/client/cgroup";
import { BENCHMARK_PROFILE, PREVIEW_PROFILE, type RunResult } from "@/blender-runner/client/types";
import { readCategorySet } from "@/lib/categories/read-folder";
import { readRunFolder } from "@/lib/runs/read-results";
import { limitsWith, profileLabel, type ExecSettings } from "@/lib/pipeline/profiles";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const VALUED = new Set(["--profile", "--results", "--concurrency", "--only", "--json"]);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const checkout = args.find((a, i) => !a.startsWith("--") && !VALUED.has(args[i - 1] ?? ""));
if (!checkout) {
  console.error("usage: npm run bench:fidelity -- <3DCodeBench checkout> [--profile preview|benchmark] [--results <run folder>] [--concurrency N] [--only ids] [--no-references] [--json FILE]");
  process.exit(2);
}
const profileName = flag("--profile") ?? "preview";
if (profileName !== "preview" && profileName !== "benchmark") throw new Error("--profile must be preview or benchmark");
const PROFILE = profileName === "benchmark" ? BENCHMARK_PROFILE : PREVIEW_PROFILE;
const CONCURRENCY = Math.max(1, Number(flag("--concurrency") ?? 1));
const ONLY = flag("--only")?.split(",").filter(Boolean) ?? null;
const num = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);
// The production defaults (lib/env.ts), overridable the same way.
const EXEC: ExecSettings = {
  EXEC_TIMEOUT_SEC: num("EXEC_TIMEOUT_SEC", 240),
  EXEC_EXPORT_TIMEOUT_SEC: num("EXEC_EXPORT_TIMEOUT_SEC", 180),
  EXEC_MEMORY_MIB: num("EXEC_MEMORY_MIB", 8192),
  EXEC_THREADS: num("EXEC_THREADS", 1),
};

/** The category folders of a checkout: <checkout>/benchmark/categories, <checkout>/categories, or the folder itself. */
function categoriesDir(dir: string): string {
  for (const c of [path.join(dir, "benchmark", "categories"), path.join(dir, "categories"), dir]) {
    if (existsSync(c) && readdirSync(c).some((n) => /_seed\d+$/.test(n))) return c;
  }
  throw new Error(`no <Name>_seed<N> folders under ${dir}`);
}

interface Row {
  id: string;
  status: string;
  exportStatus: string;
  group: string | null;
  detail: string | null;
  error: string | null;
  timings: Record<string, number>;
  peakMiB: number | null;
  /** The benchmark's recorded status (--results only). */
  theirs?: string | null;
}

const PHASES = ["startup", "script", "save", "handoff", "open", "render", "stats", "export", "outputs", "total"] as const;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const count = <T,>(xs: T[]) => {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
};

async function runAll(jobs: { id: string; code: string; timeLimitSec: number | null; theirs?: string | null }[]): Promise<Row[]> {
  const jobsRoot = await mkdtemp(path.join(os.tmpdir(), "arena-fidelity-"));
  const runner = createLocalRunner({ root: ROOT, jobsRoot });
  const rows: Row[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      let r: RunResult;
      try {
        r = await runner.run({ id: `fid-${job.id}-${process.pid}`.slice(0, 120), code: job.code, profile: PROFILE }, limitsWith(EXEC, job, PROFILE));
      } catch (err) {
        rows.push({ id: job.id, status: "SANDBOX_ERROR", exportStatus: "NOT_RUN", group: null, detail: null, error: (err as Error).message, timings: {}, peakMiB: null, theirs: job.theirs });
        continue;
      }
      const row: Row = {
        id: job.id,
        status: r.status,
        exportStatus: r.export.status,
        group: r.failure?.group ?? null,
        detail: r.failure?.detail ?? null,
        error: r.errorText?.split("\n")[0]?.slice(0, 160) ?? null,
        timings: { ...r.timings } as Record<string, number>,
        peakMiB: r.peakMemoryMiB,
        ...(job.theirs !== undefined ? { theirs: job.theirs } : {}),
      };
      rows.push(row);
      await r.cleanup();
      const done = rows.length;
      const eta = ((performance.now() - t0) / done) * (jobs.length - done) / 1000;
      console.log(`[${done}/${jobs.length}] ${job.id}: ${r.status} (export ${r.export.status}) ${r.timings.total.toFixed(1)} s, peak ${r.peakMemoryMiB ?? "?"} MiB${row.error ? ` - ${row.error}` : ""}  (eta ${Math.round(eta)} s)`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await rm(jobsRoot, { recursive: true, force: true });
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

function report(title: string, rows: Row[]): void {
  const n = rows.length;
  const ok = rows.filter((r) => r.status === "OK").length;
  console.log(`\n== ${title} ==`);
  console.log(`Exec rate: ${ok}/${n} = ${((100 * ok) / Math.max(1, n)).toFixed(1)} %`);
  console.log(`statuses: ${count(rows.map((r) => r.status)).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(`export step: ${count(rows.map((r) => r.exportStatus)).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const exec = rows.filter((r) => r.status === "ERR_EXEC");
  console.log(`failure groups (ERR_EXEC only, the benchmark's rules): ${exec.length ? count(exec.map((r) => `${r.group}/${r.detail}`)).map(([k, v]) => `${k} ${v}`).join(", ") : "none"}`);
  console.log("\nseconds   " + ["p50", "p90", "p95", "max"].map((h) => h.padStart(8)).join(""));
  for (const phase of PHASES) {
    const v = rows.map((r) => r.timings[phase]).filter((x): x is number => typeof x === "number");
    if (!v.length) continue;
    console.log(phase.padEnd(10) + [50, 90, 95, 100].map((p) => pct(v, p).toFixed(2).padStart(8)).join(""));
  }
  const peaks = rows.map((r) => r.peakMiB).filter((x): x is number => typeof x === "number");
  if (peaks.length) console.log(`peak memory (both processes), MiB: p50 ${pct(peaks, 50).toFixed(0)}, p95 ${pct(peaks, 95).toFixed(0)}, max ${Math.max(...peaks).toFixed(0)}`);
  for (const r of rows.filter((x) => x.status !== "OK")) console.log(`  ${r.id}: ${r.status} ${r.error ?? ""}`);
}

/** The benchmark records SystemExit as status null; we record ERR_EXEC (docs/benchmark.md). */
const agrees = (r: Row) => r.theirs === r.status || (r.theirs === "null" && r.status === "ERR_EXEC");

function agreement(rows: Row[]): void {
  const cmp = rows.filter((r) => r.theirs !== undefined);
  const agree = cmp.filter(agrees).length;
  console.log(`\n== status agreement with the run folder ==`);
  console.log(`${agree}/${cmp.length} agree (${((100 * agree) / Math.max(1, cmp.length)).toFixed(1)} %)`);
  for (const [pair, k] of count(cmp.map((r) => `${r.theirs ?? "none"} -> ${r.status}`))) console.log(`  theirs ${pair} (ours): ${k}`);
  for (const r of cmp.filter((x) => !agrees(x))) console.log(`  ${r.id}: theirs ${r.theirs ?? "none"}, ours ${r.status} ${r.error ?? ""}`);
}

const dir = categoriesDir(path.resolve(checkout));
const { categories, problems } = await readCategorySet(dir);
console.log(`3DCodeBench checkout ${dir}: ${categories.length} categories${problems.length ? `, ${problems.length} unreadable` : ""}`);
console.log(`profile ${profileLabel(PROFILE)}, concurrency ${CONCURRENCY}, limits ${JSON.stringify(limitsWith(EXEC, { timeLimitSec: null }, PROFILE))}`);
console.log(`memory: ${describeCgroups()}`);
const picked = categories.filter((c) => !ONLY || ONLY.includes(c.instanceId));
const skipRefs = args.includes("--no-references");
const refs = skipRefs ? [] : await runAll(picked.map((c) => ({ id: c.instanceId, code: c.referenceScript, timeLimitSec: c.timeLimitSec })));
if (!skipRefs) report(`references (${profileLabel(PROFILE)})`, refs);

let results: Row[] | null = null;
const resultsDir = flag("--results");
if (resultsDir) {
  const { instances, problems: bad } = await readRunFolder(path.resolve(resultsDir));
  for (const p of bad) console.log(`skipped ${p.path}: ${p.reason}`);
  const withCode = instances.filter((i) => i.code && i.code.trim() && (!ONLY || ONLY.includes(i.instanceId)));
  console.log(`\nrun folder ${resultsDir}: ${instances.length} instances, ${withCode.length} with code`);
  results = await runAll(withCode.map((i) => ({ id: i.instanceId, code: i.code!, timeLimitSec: null, theirs: i.execStatus })));
  report(`run folder (${profileLabel(PROFILE)})`, results);
  agreement(results);
}
const out = flag("--json");
if (out) await writeFile(out, JSON.stringify({ profile: profileLabel(PROFILE), exec: EXEC, references: refs, results }, null, 2));
