/**
 * Runner that executes each job as two bubblewrap sandboxes on this machine (house rule 8):
 *
 *   <jobsRoot>/<id>/run      /job of process 1 (uid A): script.py, input.json; the script runs
 *                            here and the harness saves the scene as out/scene.blend
 *   <jobsRoot>/<id>/collect  /job of process 2 (uid B): input.json, then a host-made copy of
 *                            that .blend; stats, both GLBs and the four views are made here
 *
 * Process 2 is started at once (so its Blender start-up overlaps the script) and waits for "go"
 * on stdin. It sees nothing of process 1's folder; the host copies the .blend into its folder
 * and says "go" only once every process of uid A is dead. Limits cover both: one wall-clock
 * deadline, one memory + pids cgroup, the disk budget over <jobsRoot>/<id>, and process 2's CPU
 * budget is what process 1 left. The result is validated bytes (run-outputs.ts), never paths.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { chown, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { detectVersion, resolveBlender, type BlenderInstall } from "./blender";
import { createJobCgroup, type JobCgroup } from "./cgroup";
import { SandboxError } from "./errors";
import { prewarmOutputs } from "./outputs-check";
import { ZCollectRecord, ZRunRecord, type CollectRecord, type RunRecord } from "./report-channel";
import { buildSandboxArgs, gpuDeviceNodes, sandboxPyvenvCfg, startCpus, type SandboxTools, type Stage } from "./sandbox";
import { startSandbox, type DiskWatch, type SandboxHandle } from "./sandbox-process";
import { compileSeccomp } from "./seccomp";
import { runTwoStages } from "./two-stage";
import type { ExecDevice, RunJob, RunLimits, RunResult, Runner } from "./types";
import { UidPool } from "./uid-pool";

export { SandboxError };

export interface LocalRunnerOptions {
  /** Repository root (harness and default venv are found from it). Default: cwd. */
  root?: string;
  /** Where job folders go. Default <root>/.data/jobs. */
  jobsRoot?: string;
  /** Explicit Blender; default resolveBlender({ root, blender, venvDir }). */
  install?: BlenderInstall;
  /** Blender 5.x binary (else env BLENDER, else the venv). */
  blender?: string;
  venvDir?: string;
  harnessDir?: string;
  tools?: Partial<SandboxTools>;
  /** When running as root, jobs run as uid/gid base..base+count-1, two per concurrent job. */
  sandboxUidBase?: number;
  sandboxUidCount?: number;
  /** Machine-wide folder of uid lock files (shared by every runner process). */
  uidLockDir?: string;
  /** Size cap of the sandbox's /tmp (tmpfs counts against RAM, not against RLIMIT_AS). */
  tmpfsMiB?: number;
  /** Bytes of stdout+stderr kept for logTail. */
  logTailBytes?: number;
  /**
   * Per-job memory/pids cgroup capping the job's processes together (cgroup.ts). Default: used
   * where a writable cgroup hierarchy exists, skipped otherwise.
   */
  cgroups?: boolean;
  /** Cycles device of the views (EXEC_DEVICE). Default cpu. */
  device?: ExecDevice;
  /** Timeout of each host-side step after the sandboxes (copying the scene, reading, checking and compressing outputs). Default 120 s. */
  hostStepSeconds?: number;
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Spawns one stage's sandbox for a job; two-stage.ts drives them. */
export interface StageLauncher {
  start(stage: "run"): SandboxHandle<RunRecord>;
  start(stage: "collect"): SandboxHandle<CollectRecord>;
}

export function createLocalRunner(opts: LocalRunnerOptions = {}): Runner {
  const root = path.resolve(opts.root ?? process.cwd());
  const install = opts.install ?? resolveBlender({ root, blender: opts.blender, venvDir: opts.venvDir });
  const jobsRoot = path.resolve(root, opts.jobsRoot ?? path.join(".data", "jobs"));
  const harnessDir = path.resolve(root, opts.harnessDir ?? path.join("blender-runner", "harness"));
  const tools: SandboxTools = {
    bwrap: opts.tools?.bwrap ?? "bwrap",
    prlimit: opts.tools?.prlimit ?? "/usr/bin/prlimit",
    setpriv: opts.tools?.setpriv ?? "/usr/bin/setpriv",
    taskset: opts.tools?.taskset ?? "/usr/bin/taskset",
  };
  const allowedCpus = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "0";
  const asRoot = process.getuid?.() === 0;
  const uids = asRoot ? new UidPool(opts.sandboxUidBase ?? 200_000, opts.sandboxUidCount ?? 1000, opts.uidLockDir) : null;
  const tmpfsMiB = opts.tmpfsMiB ?? 512;
  const tailBytes = opts.logTailBytes ?? 8192;
  const hostStepMs = (opts.hostStepSeconds ?? 120) * 1000;
  const device: ExecDevice = opts.device ?? "cpu";
  const gpuNodes = gpuDeviceNodes(device);
  // Host-only support files (never inside a job folder, which the script can write).
  const supportDir = path.join(jobsRoot, ".sandbox");
  const writeSupport = async (name: string, data: string | Buffer, mode: number) => {
    await mkdir(supportDir, { recursive: true, mode: 0o755 });
    // Written aside and renamed: another runner process may be binding this file right now.
    const file = path.join(supportDir, name);
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, data, { mode });
    await rename(tmp, file);
    return file;
  };
  let support: Promise<{ pyvenvCfg: string | null; seccomp: string }> | null = null;
  const supportFiles = () =>
    (support ??= (async () => ({
      pyvenvCfg: install.kind === "bpy-venv" ? await writeSupport("pyvenv.cfg", sandboxPyvenvCfg(install), 0o644) : null,
      seccomp: await writeSupport("seccomp.bpf", compileSeccomp().bytes, 0o600),
    }))());

  async function run(job: RunJob, limits: RunLimits): Promise<RunResult> {
    if (!JOB_ID.test(job.id)) throw new SandboxError(`invalid job id ${JSON.stringify(job.id)}`);
    const t0 = performance.now();
    const deadline = t0 + limits.wallSeconds * 1000;
    const jobDir = path.join(jobsRoot, job.id);
    const dirs: Record<Stage, string> = { run: path.join(jobDir, "run"), collect: path.join(jobDir, "collect") };
    const files = await supportFiles();
    await rm(jobDir, { recursive: true, force: true });
    await mkdir(jobsRoot, { recursive: true, mode: 0o711 });
    await mkdir(jobDir, { mode: 0o711 });
    await mkdir(path.join(dirs.run, "out"), { recursive: true, mode: 0o700 });
    await mkdir(dirs.collect, { mode: 0o700 });
    const taken: number[] = [];
    let cgroup: JobCgroup | null = null;
    try {
      try {
        if (uids) taken.push(uids.take(), uids.take());
      } catch (err) {
        throw new SandboxError((err as Error).message);
      }
      const uid: Record<Stage, number | null> = { run: taken[0] ?? null, collect: taken[1] ?? null };
      const input = (stage: Stage) =>
        JSON.stringify({ script: "script.py", profile: job.profile, render: job.render ?? true, threads: limits.threads, device, spawnedAt: Date.now() / 1000, stage });
      await writeFile(path.join(dirs.run, "script.py"), job.code, { mode: 0o600 });
      await writeFile(path.join(dirs.run, "input.json"), input("run"), { mode: 0o600 });
      await writeFile(path.join(dirs.collect, "input.json"), input("collect"), { mode: 0o600 });
      if (uid.run !== null && uid.collect !== null) {
        for (const p of [dirs.run, path.join(dirs.run, "out"), path.join(dirs.run, "script.py"), path.join(dirs.run, "input.json")]) await chown(p, uid.run, uid.run);
        for (const p of [dirs.collect, path.join(dirs.collect, "input.json")]) await chown(p, uid.collect, uid.collect);
      }
      const cpus = startCpus(allowedCpus, limits.threads);
      cgroup = opts.cgroups === false ? null : createJobCgroup(`${job.id}-${process.pid}`, { memoryBytes: limits.memoryMiB * 1024 * 1024, maxProcesses: limits.maxProcesses });
      const disk: DiskWatch = {
        dir: jobDir,
        maxBytes: (limits.maxDiskMiB ?? 2 * limits.maxFileMiB) * 1024 * 1024,
        maxEntries: limits.maxDiskEntries ?? 10_000,
      };
      const rss = new Map<string, number>();
      const start = (stage: Stage) => {
        const args = buildSandboxArgs({ stage, install, harnessDir, jobDir: dirs[stage], pyvenvCfg: files.pyvenvCfg, limits, dropToUid: uid[stage], tmpfsMiB, tools, cpus, gpuNodes });
        const base = {
          bwrap: tools.bwrap, args, deadline, cpuSeconds: limits.cpuSeconds, uid: uid[stage], tailBytes, cgroupProcs: cgroup?.procsFiles ?? [], seccompFile: files.seccomp, stdin: stage === "collect",
          ...(cgroup ? {} : { rssBudget: { maxMiB: limits.memoryMiB, key: stage, shared: rss } }),
        };
        return stage === "run" ? startSandbox(base, ZRunRecord) : startSandbox(base, ZCollectRecord);
      };
      const result = await runTwoStages({
        job,
        limits,
        dirs,
        uid,
        disk,
        launcher: { start } as StageLauncher,
        oomKills: () => cgroup?.oomKills() ?? 0,
        hostStepMs,
        tailBytes,
        t0,
        memoryBy: cgroup ? "cgroup" : "rss-watchdog",
        device,
      });
      return { ...result, cleanup: () => rm(jobDir, { recursive: true, force: true }) };
    } finally {
      cgroup?.remove();
      for (const u of taken) uids?.release(u);
    }
  }

  prewarmOutputs();
  return {
    kind: install.kind === "binary" ? "local-bwrap-blender" : "local-bwrap-bpy",
    run,
    version: () => detectVersion(install),
  };
}
