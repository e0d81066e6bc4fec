/** Turning what a finished sandbox left behind into a RunResult (statuses: benchmark-compat §2.4). */
import { rm } from "node:fs/promises";
import { readHarnessRecord, safeJobFile, type HarnessRecord } from "./job-files";
import { SandboxError } from "./errors";
import type { ProcOutcome } from "./sandbox-process";
import { classifyFailure } from "./taxonomy";
import type { ExecStatus, RenderedView, RunJob, RunLimits, RunResult, RunTimings } from "./types";

const FRAMES = [5, 15, 25, 35] as const;

function describeExit(p: ProcOutcome): string {
  if (p.signal) return `killed by ${p.signal}`;
  if (p.code !== null && p.code > 128) return `exit code ${p.code} (signal ${p.code - 128})`;
  return `exit code ${p.code}`;
}

export async function collectResult(
  job: RunJob,
  limits: RunLimits,
  jobDir: string,
  p: ProcOutcome,
  uid: number | null,
  total: number,
): Promise<RunResult> {
  const read = await readHarnessRecord(jobDir);
  const record: HarnessRecord | null = read.ok ? read.record : null;
  // No record at all means Blender never reached the harness: a sandbox/setup problem, unless
  // the limits stopped it first.
  if (!record && !p.timedOut && !p.cpuLimited && (/^bwrap: |^arena: /m.test(p.stderr) || p.code === 125 || p.code === 126 || p.code === 127)) {
    throw new SandboxError(`sandbox failed to start (${describeExit(p)}): ${p.stderr.slice(-1500)}`);
  }

  let status: ExecStatus;
  let errorText: string | null;
  const phase = record?.phase ?? null;
  if (record && record.status !== "RUNNING") {
    // A final record wins even if a limit struck while the process was exiting.
    status = record.status;
    errorText = record.error ?? null;
  } else if (p.memoryLimited) {
    // RLIMIT_AS turns one process's excess into MemoryError; this is the job's processes together.
    status = phase === "render" ? "ERR_RENDER" : phase === "stats" || phase === "export" ? "ERR_EXPORT" : "ERR_EXEC";
    errorText = `MemoryLimitExceeded: the job's processes together used more than ${limits.memoryMiB} MiB (out of memory; the kernel stopped them, phase: ${phase ?? "startup"})`;
  } else if (p.diskLimited) {
    // A resource the script exhausted, like MemoryError: blamed on the phase that was running.
    status = phase === "render" ? "ERR_RENDER" : phase === "stats" || phase === "export" ? "ERR_EXPORT" : "ERR_EXEC";
    errorText = `DiskLimitExceeded: ${p.diskLimited}; the sandbox was stopped (phase: ${phase ?? "startup"})`;
  } else if (p.timedOut || p.cpuLimited) {
    status = "ERR_TIMEOUT";
    errorText = p.timedOut
      ? `Wall-clock limit of ${limits.wallSeconds} s exceeded (phase: ${phase ?? "startup"})`
      : `CPU time limit of ${limits.cpuSeconds} s exceeded (phase: ${phase ?? "startup"})`;
  } else {
    status = "ERR_NOLOG";
    const why = record ? `Blender stopped during the "${phase}" phase` : `Blender produced no result (${read.ok ? "" : read.reason})`;
    errorText = `${why}, ${describeExit(p)}.\n${p.stderr.trim()}`;
  }
  if (status === "OK") errorText = null;

  const renders: RenderedView[] = [];
  if (status === "OK" && record) {
    for (const frame of FRAMES) {
      const name = `Image_${String(frame).padStart(3, "0")}.png`;
      const file = await safeJobFile(jobDir, `out/renders/${name}`);
      const view = record.views.find((v) => v.name === name);
      if (file && view) renders.push({ name, path: file, azimuthDeg: view.azimuthDeg, elevationDeg: view.elevationDeg });
    }
  }
  // Kept whenever they were written (e.g. an ERR_RENDER run still has valid geometry).
  const metricGlb = record ? await safeJobFile(jobDir, "out/metric.glb") : null;
  const displayGlb = record ? await safeJobFile(jobDir, "out/display.glb") : null;
  if (status === "OK" && (job.render ?? true) && renders.length !== FRAMES.length) {
    status = "ERR_RENDER";
    errorText = `only ${renders.length} of ${FRAMES.length} views were written`;
  } else if (status === "OK" && (!metricGlb || !displayGlb)) {
    status = "ERR_EXPORT";
    errorText = "the GLB files are missing";
  }

  const t = record?.timings ?? {};
  const timings: RunTimings = {
    total: Math.round(total * 1000) / 1000,
    startup: t.startup ?? 0,
    script: t.script ?? 0,
    export: t.export ?? 0,
    render: t.render ?? 0,
    ...(t.stats !== undefined ? { stats: t.stats } : {}),
    ...(typeof record?.cpuSeconds === "number" ? { cpu: record.cpuSeconds } : {}),
  };
  const peaks = [p.peakMiB, record?.peakRssMiB ?? null].filter((v): v is number => typeof v === "number");

  return {
    status,
    errorText,
    failure: classifyFailure(status, errorText),
    blenderVersion: record?.blenderVersion ?? null,
    stats: record?.stats ?? null,
    timings,
    renderer: record?.renderer ?? null,
    files: { metricGlb, displayGlb, renders: status === "OK" ? renders : [] },
    logTail: p.combined,
    peakMemoryMiB: peaks.length ? Math.max(...peaks) : null,
    phase,
    exit: { code: p.code, signal: p.signal, timedOut: p.timedOut },
    sandboxUid: uid,
    cleanup: () => rm(jobDir, { recursive: true, force: true }),
  };
}
