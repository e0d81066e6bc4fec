/**
 * One run as two sandboxed processes (see local-runner.ts for the folders and uids):
 *
 *   1. start process 2 (waits for "go") and process 1 (the script);
 *   2. process 1 ends and every process of its uid is dead (sandbox-process.ts `done`);
 *   3. if the script raised, or process 1 hit a limit or crashed: that is the status; process 2 is
 *      killed unused;
 *   4. else the host copies out/scene.blend (capped, no symlink or FIFO) into process 2's folder,
 *      restarts process 2 if it died meanwhile, and says "go";
 *   5. process 2's own record gives status, stats, views; its files are read and checked as bytes.
 */
import { chown, rm } from "node:fs/promises";
import path from "node:path";
import type { StageLauncher } from "./local-runner";
import { collectOutputs } from "./run-outputs";
import type { ProcOutcome, SandboxHandle } from "./sandbox-process";
import type { Stage } from "./sandbox";
import { collectVerdict, limitFailure, runVerdict, tamperEvidence, type Failure } from "./stage-verdict";
import type { CollectRecord } from "./report-channel";
import { classifyFailure } from "./taxonomy";
import type { ExecDevice, ExportResult, RunConditions, RunJob, RunLimits, RunResult, RunTimings, TamperEvidence } from "./types";
import { copyUntrusted } from "./untrusted-file";

export interface TwoStageInput {
  job: RunJob;
  limits: RunLimits;
  dirs: Record<Stage, string>;
  uid: Record<Stage, number | null>;
  disk: { dir: string; maxBytes: number; maxEntries: number };
  launcher: StageLauncher;
  /** OOM kills in the job's cgroup so far. */
  oomKills: () => number;
  hostStepMs: number;
  tailBytes: number;
  t0: number;
  /** How limits.memoryMiB is enforced for this job. */
  memoryBy: RunConditions["memoryBy"];
  /** EXEC_DEVICE the runner was configured with. */
  device: ExecDevice;
}

const SCENE = "out/scene.blend";
const round = (s: number) => Math.round(s * 1000) / 1000;

/** Process 1's output first (the script's own prints), process 2's after it, within `max` characters. */
export function joinTails(first: string, second: string | null, max: number): string {
  if (!second?.trim()) return first;
  const tail = `\n--- export and render (process 2) ---\n${second.slice(-Math.floor(max / 4))}`;
  const budget = Math.max(0, max - tail.length);
  const head = first.length > budget ? `[... ${first.length - budget} bytes cut]\n${first.slice(first.length - budget)}` : first;
  return head + tail;
}

async function settle(handle: { kill(): void; done: Promise<unknown> }): Promise<void> {
  handle.kill();
  await handle.done.catch(() => undefined);
}

export async function runTwoStages(i: TwoStageInput): Promise<Omit<RunResult, "cleanup">> {
  const { limits } = i;
  let collect = i.launcher.start("collect");
  let collectExited = false;
  const watchExit = (h: SandboxHandle<CollectRecord>) => h.done.then(() => (collectExited = true), () => (collectExited = true));
  void watchExit(collect);
  const run = i.launcher.start("run");
  run.watchDisk(i.disk);
  let p1: ProcOutcome;
  try {
    p1 = await run.done;
  } catch (err) {
    await settle(collect);
    throw err;
  }
  const oomAfterRun = i.oomKills();
  p1.memoryLimited = p1.memoryLimited || oomAfterRun > 0;

  const evidence: TamperEvidence[] = tamperEvidence(run.channel);
  const ready1 = run.channel.last("ready");
  const script = run.channel.last("script");
  const timings: RunTimings = { total: 0, startup: ready1?.startup ?? 0, script: script?.seconds ?? 0, export: 0, render: 0 };
  let failure: Failure | null = null;
  let verdict;
  try {
    verdict = runVerdict(run.channel, p1, limits);
  } catch (err) {
    await settle(collect);
    throw err;
  }
  let p2: ProcOutcome | null = null;
  let result: Extract<CollectRecord, { t: "result" }> | null = null;
  let rendered: Extract<CollectRecord, { t: "rendered" }> | null = null;
  let afterRender: Failure | null = null;
  if (verdict.kind === "failed") {
    failure = verdict.failure;
    await settle(collect);
  } else {
    timings.save = verdict.saved.seconds;
    const handoff = performance.now();
    const dest = path.join(i.dirs.collect, "scene.blend");
    try {
      const copied = await copyUntrusted(i.dirs.run, SCENE, dest, limits.maxFileMiB * 1024 * 1024, i.hostStepMs);
      if (!copied) {
        // The harness reports "saved" only after hashing the file it saved: a missing file means
        // the report was forged (or the file removed after). The process's own end decides,
        // e.g. ERR_NOLOG for a script that forged success and called os._exit.
        evidence.push({ source: "scene", event: "saved scene missing", site: null, detail: "the report claims a scene that is not there" });
        failure = limitFailure(p1, run.channel.last("phase")?.phase ?? "script", limits, true);
        await settle(collect);
      } else if (copied.sha256 !== verdict.saved.sha256 || copied.bytes !== verdict.saved.bytes) {
        evidence.push({ source: "scene", event: "scene changed after it was saved", site: null, detail: `${copied.bytes} bytes, the harness saved ${verdict.saved.bytes}` });
      }
      if (copied && i.uid.collect !== null) await chown(dest, i.uid.collect, i.uid.collect);
      await rm(path.join(i.dirs.run, SCENE), { force: true });
    } catch (err) {
      evidence.push({ source: "scene", event: "saved scene unreadable", site: null, detail: (err as Error).message.slice(0, 300) });
      failure = { status: "ERR_EXPORT", errorText: `the script's saved scene cannot be used: ${(err as Error).message}`, phase: "save" };
      await settle(collect);
    }
    if (!failure) {
      if (collectExited) {
        // Died while waiting (e.g. the OOM killer chose it while the script used the memory): a cold start.
        collect = i.launcher.start("collect");
        void watchExit(collect);
      }
      await collect.waitFor("ready");
      collect.watchDisk(i.disk);
      collect.limitCpu(Math.max(1, limits.cpuSeconds - p1.cpuSeconds));
      collect.send("go");
      timings.handoff = round((performance.now() - handoff) / 1000);
      p2 = await collect.done;
      p2.memoryLimited = p2.memoryLimited || i.oomKills() > oomAfterRun;
      const v = collectVerdict(collect.channel, p2, limits);
      result = v.result;
      rendered = v.rendered;
      afterRender = v.afterRender;
      if (v.status !== "OK") failure = { status: v.status, errorText: v.errorText ?? v.status, phase: v.phase };
    }
  }

  const t = result?.timings ?? {};
  Object.assign(timings, {
    export: t.export ?? 0,
    render: t.render ?? 0,
    ...(t.stats !== undefined ? { stats: t.stats } : {}),
    ...(t.open !== undefined ? { open: t.open } : {}),
    cpu: round(p1.cpuSeconds + (p2?.cpuSeconds ?? 0)),
  });
  // The export step's own outcome (benchmark-facts §1, §3): never the run's status.
  let exported: ExportResult = { status: "NOT_RUN", error: null };
  if (result?.export) exported = { status: result.export.status, error: result.export.error };
  else if (afterRender) exported = { status: afterRender.status === "ERR_TIMEOUT" ? "ERR_TIMEOUT" : "ERR_EXPORT", error: afterRender.errorText };
  const tOut = performance.now();
  const outputs = p2
    ? await collectOutputs({
        dir: i.dirs.collect,
        status: failure?.status ?? "OK",
        errorText: failure?.errorText ?? null,
        render: i.job.render ?? true,
        resolution: i.job.profile.resolution,
        views: result?.views ?? rendered?.views ?? [],
        maxGlbBytes: limits.maxFileMiB * 1024 * 1024,
        timeoutMs: i.hostStepMs,
        glbs: exported.status === "OK",
      })
    : { status: failure!.status, errorText: failure!.errorText, files: { metricGlb: null, displayGlb: null, displayGlbSourceBytes: null, renders: [] }, exportError: null };
  if (outputs.exportError) exported = { status: "ERR_EXPORT", error: outputs.exportError };
  // The benchmark's export process re-runs the script within 180 s (start-up + script + export):
  // a script slower than that keeps its status there but has no GLB.
  const exportSeconds = timings.startup + timings.script + (t.export ?? 0);
  if (exported.status === "OK" && limits.exportWallSeconds !== undefined && exportSeconds > limits.exportWallSeconds) {
    exported = { status: "ERR_TIMEOUT", error: `start-up + script + export took ${exportSeconds.toFixed(1)} s, over the export limit of ${limits.exportWallSeconds} s` };
    outputs.files.metricGlb = null;
  }
  if (p2) timings.outputs = round((performance.now() - tOut) / 1000);
  timings.total = round((performance.now() - i.t0) / 1000);
  const status = outputs.status;
  const errorText = status === "OK" ? null : outputs.errorText;
  const last = p2 ?? p1;
  const renderer = result?.renderer ?? rendered?.renderer ?? null;
  const peaks = [p1.peakMiB, p2?.peakMiB ?? null, result?.peakRssMiB ?? null].filter((v): v is number => typeof v === "number");
  return {
    status,
    errorText,
    failure: classifyFailure(status, errorText),
    blenderVersion: collect.channel.last("ready")?.blenderVersion ?? ready1?.blenderVersion ?? null,
    stats: result?.stats ?? null,
    timings,
    renderer,
    files: outputs.files,
    renderSetup: status === "OK" ? (result?.setup ?? rendered?.setup ?? null) : null,
    export: exported,
    conditions: {
      device: renderer?.device ?? i.device,
      requestedDevice: i.device,
      deviceNote: renderer?.deviceNote ?? null,
      denoiser: i.job.profile.denoise ? "OPENIMAGEDENOISE" : null,
      wallSeconds: limits.wallSeconds,
      exportWallSeconds: limits.exportWallSeconds ?? null,
      memoryMiB: limits.memoryMiB,
      memoryBy: i.memoryBy,
      cpuSeconds: limits.cpuSeconds,
      sandbox: "bwrap+seccomp, two processes",
    },
    tamper: { suspected: evidence.length > 0, evidence },
    logTail: joinTails(p1.combined, p2?.combined ?? null, i.tailBytes),
    peakMemoryMiB: peaks.length ? Math.max(...peaks) : null,
    phase: status === "OK" ? "done" : (failure?.phase ?? "done"),
    exit: { code: last.code, signal: last.signal, timedOut: last.timedOut },
    sandboxUid: i.uid.run,
    collectUid: i.uid.collect,
  };
}
