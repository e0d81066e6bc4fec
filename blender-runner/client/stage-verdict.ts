/**
 * What each sandboxed process's end means (statuses: docs/benchmark.md §2), from its report
 * channel and how it ended. Process 1 decides only ERR_EXEC (the script raised) and the limits
 * and crashes of its own phases; everything else comes from process 2.
 */
import { SandboxError } from "./errors";
import type { CollectRecord, ReportChannel, RunRecord } from "./report-channel";
import type { ProcOutcome } from "./sandbox-process";
import type { ExecStatus, RunLimits, TamperEvidence } from "./types";

export interface Failure {
  status: ExecStatus;
  errorText: string;
  phase: string;
}

function describeExit(p: ProcOutcome): string {
  if (p.signal) return `killed by ${p.signal}`;
  if (p.code !== null && p.code > 128) return `exit code ${p.code} (signal ${p.code - 128})`;
  return `exit code ${p.code}`;
}

/** No record at all and a sandbox error: Blender never reached the harness (retry or alert). */
function assertStarted(ready: boolean, p: ProcOutcome, stage: string): void {
  if (!ready && !p.timedOut && !p.cpuLimited && (/^bwrap: |^arena: /m.test(p.stderr) || p.code === 125 || p.code === 126 || p.code === 127)) {
    throw new SandboxError(`sandbox (${stage}) failed to start (${describeExit(p)}): ${p.stderr.slice(-1500)}`);
  }
}

/** Memory, disk, time and crashes, blamed on the phase that was running (as before the split). */
export function limitFailure(p: ProcOutcome, phase: string, limits: RunLimits, started: boolean): Failure {
  const byPhase: ExecStatus = phase === "render" ? "ERR_RENDER" : ["save", "open", "stats", "export"].includes(phase) ? "ERR_EXPORT" : "ERR_EXEC";
  if (p.memoryLimited) {
    // RLIMIT_AS turns one process's excess into MemoryError; this is the job's processes together.
    return { status: byPhase, phase, errorText: `MemoryLimitExceeded: the job's processes together used more than ${limits.memoryMiB} MiB (out of memory; the kernel stopped them, phase: ${phase})` };
  }
  if (p.diskLimited) return { status: byPhase, phase, errorText: `DiskLimitExceeded: ${p.diskLimited}; the sandbox was stopped (phase: ${phase})` };
  if (p.timedOut || p.cpuLimited) {
    return {
      status: "ERR_TIMEOUT",
      phase,
      errorText: p.timedOut ? `Wall-clock limit of ${limits.wallSeconds} s exceeded (phase: ${phase})` : `CPU time limit of ${limits.cpuSeconds} s exceeded (phase: ${phase})`,
    };
  }
  const why = started ? `Blender stopped during the "${phase}" phase` : "Blender produced no result";
  return { status: "ERR_NOLOG", phase, errorText: `${why}, ${describeExit(p)}.\n${p.stderr.trim()}` };
}

export type RunVerdict =
  | { kind: "failed"; failure: Failure }
  | { kind: "saved"; saved: Extract<RunRecord, { t: "saved" }> };

/**
 * Process 1. The harness writes `script` then `end` at once when the script raised, and `script`,
 * `saved`, `end` when it did not; the last record of a kind wins (a script can write to the same
 * descriptor, but only records it could have caused by ordinary means: see tamperEvidence).
 */
export function runVerdict(ch: ReportChannel<RunRecord>, p: ProcOutcome, limits: RunLimits): RunVerdict {
  const ready = ch.last("ready") !== undefined;
  assertStarted(ready, p, "script");
  const phase = ch.last("phase")?.phase ?? "startup";
  const ended = ch.last("end") !== undefined;
  const script = ch.last("script");
  if (ended && script && script.error !== null) return { kind: "failed", failure: { status: "ERR_EXEC", errorText: script.error, phase: "done" } };
  const saved = ch.last("saved");
  if (ended && script && saved) return { kind: "saved", saved };
  const saveFailed = ch.last("saveFailed");
  if (ended && saveFailed) return { kind: "failed", failure: { status: "ERR_EXPORT", errorText: `the script's scene could not be saved for export: ${saveFailed.error}`, phase: "save" } };
  return { kind: "failed", failure: limitFailure(p, phase, limits, ready) };
}

export type CollectVerdict = {
  status: ExecStatus;
  errorText: string | null;
  phase: string;
  result: Extract<CollectRecord, { t: "result" }> | null;
  rendered: Extract<CollectRecord, { t: "rendered" }> | null;
  /** A limit or crash that stopped process 2 after the render path had decided the status. */
  afterRender: Failure | null;
};

/**
 * Process 2: its own `result` record (it never ran model code), else its limits or crash. Once it
 * reported `rendered`, the status is that one: a stop during the stats or export step that follows
 * is the export step's failure (as the benchmark's separate export process), not the run's.
 */
export function collectVerdict(ch: ReportChannel<CollectRecord>, p: ProcOutcome, limits: RunLimits): CollectVerdict {
  const ready = ch.last("ready") !== undefined;
  assertStarted(ready, p, "export and render");
  const result = ch.last("result") ?? null;
  const rendered = ch.last("rendered") ?? null;
  if (result && result.status !== "RUNNING") {
    // A final record wins even if a limit struck while the process was exiting.
    return { status: result.status, errorText: result.status === "OK" ? null : (result.error ?? `${result.status} without a reason`), phase: "done", result, rendered, afterRender: null };
  }
  const failure = limitFailure(p, ch.last("phase")?.phase ?? "open", limits, ready);
  if (rendered) {
    const errorText = rendered.status === "OK" ? null : (rendered.error ?? `${rendered.status} without a reason`);
    return { status: rendered.status, errorText, phase: "done", result, rendered, afterRender: failure };
  }
  return { ...failure, result, rendered: null, afterRender: null };
}

const MAX_EVIDENCE = 50;

/**
 * Signs that the script reached for the harness: audit records, and anything on the channel the
 * harness cannot have written (malformed lines, a record kind twice, records after `end`).
 */
export function tamperEvidence(ch: ReportChannel<RunRecord>): TamperEvidence[] {
  const out: TamperEvidence[] = [];
  for (const r of ch.records) if (r.t === "audit") out.push({ source: "audit", event: r.event, site: r.site || null, detail: r.detail || null });
  for (const problem of ch.problems) out.push({ source: "channel", event: "not a harness record", site: null, detail: problem });
  for (const kind of ["ready", "script", "saved", "saveFailed", "end"] as const) {
    const n = ch.count(kind);
    if (n > 1) out.push({ source: "channel", event: "duplicate record", site: null, detail: `${n} "${kind}" records` });
  }
  const end = ch.records.findIndex((r) => r.t === "end");
  if (end >= 0 && end < ch.records.length - 1) out.push({ source: "channel", event: "records after the end", site: null, detail: `${ch.records.length - 1 - end} record(s)` });
  const ended = ch.last("end") !== undefined;
  const script = ch.last("script");
  if (ended && script?.error === null && !ch.last("saved") && !ch.last("saveFailed")) {
    out.push({ source: "channel", event: "end without a saved scene", site: null, detail: null });
  }
  return out.slice(0, MAX_EVIDENCE);
}
