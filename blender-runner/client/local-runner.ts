/**
 * Runner that executes each job in a bubblewrap sandbox on this machine (house rule 8).
 * One fresh folder per job (<jobsRoot>/<id>, mounted at /job), resource limits via prlimit, a
 * wall-clock timer that kills the whole sandbox, and the harness's out/result.json turned into
 * a RunResult.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chown, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { detectVersion, resolveBlender, type BlenderInstall } from "./blender";
import { readHarnessRecord, safeJobFile, type HarnessRecord } from "./job-files";
import { OutputTail } from "./output-tail";
import { pidsOfUid, TreeWatch } from "./proc-watch";
import { UidPool } from "./uid-pool";
import { buildSandboxArgs, sandboxPyvenvCfg, type SandboxTools } from "./sandbox";
import { classifyFailure } from "./taxonomy";
import type { ExecStatus, RenderedView, RunJob, RunLimits, RunResult, Runner, RunTimings } from "./types";

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
  /** When running as root, jobs run as uid/gid base..base+count-1, one per concurrent job. */
  sandboxUidBase?: number;
  sandboxUidCount?: number;
  /** Machine-wide folder of uid lock files (shared by every runner process). */
  uidLockDir?: string;
  /** Size cap of the sandbox's /tmp (tmpfs counts against RAM, not against RLIMIT_AS). */
  tmpfsMiB?: number;
  /** Bytes of stdout+stderr kept for logTail. */
  logTailBytes?: number;
}

const FRAMES = [5, 15, 25, 35] as const;
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const KILL_SWEEP_MS = 200;

/** Raised for failures of the sandbox itself (not of the script): the caller should retry or alert. */
export class SandboxError extends Error {
  override name = "SandboxError";
}

async function chownTree(paths: string[], uid: number): Promise<void> {
  for (const p of paths) await chown(p, uid, uid);
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
  };
  const asRoot = process.getuid?.() === 0;
  const uids = asRoot ? new UidPool(opts.sandboxUidBase ?? 200_000, opts.sandboxUidCount ?? 1000, opts.uidLockDir) : null;
  const tmpfsMiB = opts.tmpfsMiB ?? 512;
  const tailBytes = opts.logTailBytes ?? 8192;
  // Host-only support files (never inside a job folder, which the script can write).
  const supportDir = path.join(jobsRoot, ".sandbox");
  let pyvenvCfg: Promise<string | null> | null = null;
  const supportFiles = () =>
    (pyvenvCfg ??= (async () => {
      if (install.kind !== "bpy-venv") return null;
      await mkdir(supportDir, { recursive: true, mode: 0o755 });
      // Written aside and renamed: another runner process may be binding this file right now.
      const file = path.join(supportDir, "pyvenv.cfg");
      const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, sandboxPyvenvCfg(install), { mode: 0o644 });
      await rename(tmp, file);
      return file;
    })());

  async function run(job: RunJob, limits: RunLimits): Promise<RunResult> {
    if (!JOB_ID.test(job.id)) throw new SandboxError(`invalid job id ${JSON.stringify(job.id)}`);
    const t0 = performance.now();
    const jobDir = path.join(jobsRoot, job.id);
    const outDir = path.join(jobDir, "out");
    const cfg = await supportFiles();
    await rm(jobDir, { recursive: true, force: true });
    await mkdir(jobsRoot, { recursive: true, mode: 0o711 });
    await mkdir(outDir, { recursive: true, mode: 0o700 });
    let uid: number | null;
    try {
      uid = uids ? uids.take() : null;
    } catch (err) {
      throw new SandboxError((err as Error).message);
    }
    try {
      await writeFile(path.join(jobDir, "script.py"), job.code, { mode: 0o600 });
      const input = {
        script: "script.py",
        profile: job.profile,
        render: job.render ?? true,
        threads: limits.threads,
        spawnedAt: Date.now() / 1000,
      };
      await writeFile(path.join(jobDir, "input.json"), JSON.stringify(input), { mode: 0o600 });
      if (uid !== null) {
        await chownTree([jobDir, outDir, path.join(jobDir, "script.py"), path.join(jobDir, "input.json")], uid);
      }
      const args = buildSandboxArgs({ install, harnessDir, jobDir, pyvenvCfg: cfg, limits, dropToUid: uid, tmpfsMiB, tools });
      const proc = await runSandbox(tools.bwrap, args, limits, uid, tailBytes);
      return await collect(job, limits, jobDir, proc, uid, (performance.now() - t0) / 1000);
    } finally {
      if (uid !== null) uids?.release(uid);
    }
  }

  return {
    kind: install.kind === "binary" ? "local-bwrap-blender" : "local-bwrap-bpy",
    run,
    version: () => detectVersion(install),
  };
}

interface ProcOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cpuLimited: boolean;
  stderr: string;
  combined: string;
  peakMiB: number | null;
}

function runSandbox(bwrap: string, args: string[], limits: RunLimits, uid: number | null, tailBytes: number): Promise<ProcOutcome> {
  return new Promise((resolve, reject) => {
    // detached: own process group, so the timeout can kill bwrap and everything it started.
    // bwrap itself gets a bare environment too (--clearenv then sets the sandbox's own).
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv;
    const child = spawn(bwrap, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
    const stderr = new OutputTail(4096);
    const combined = new OutputTail(tailBytes);
    child.stdout.on("data", (c: Buffer) => combined.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr.push(c);
      combined.push(c);
    });
    let timedOut = false;
    const watch = child.pid ? new TreeWatch(child.pid).start() : null;
    const killAll = () => {
      if (child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      // The pid namespace dies with bwrap (--die-with-parent); the uid sweep is a second net.
      if (uid !== null) for (const pid of pidsOfUid(uid)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* raced with exit */
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      watch?.sample();
      killAll();
    }, limits.wallSeconds * 1000);
    child.on("error", (err) => {
      clearTimeout(timer);
      watch?.stop();
      reject(new SandboxError(`cannot start ${bwrap}: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      watch?.stop();
      if (uid !== null && pidsOfUid(uid).length > 0) {
        killAll();
        setTimeout(killAll, KILL_SWEEP_MS).unref();
      }
      resolve({
        code,
        signal,
        timedOut,
        // SIGXCPU (128+24) at the soft limit, or SIGKILL at the hard one.
        cpuLimited: code === 152 || (code === 137 && (watch?.maxCpuSeconds ?? 0) >= limits.cpuSeconds - 1),
        stderr: stderr.text(),
        combined: combined.text(),
        peakMiB: watch?.peakMiB() ?? null,
      });
    });
  });
}

function describeExit(p: ProcOutcome): string {
  if (p.signal) return `killed by ${p.signal}`;
  if (p.code !== null && p.code > 128) return `exit code ${p.code} (signal ${p.code - 128})`;
  return `exit code ${p.code}`;
}

async function collect(
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
  if (!record && !p.timedOut && !p.cpuLimited && (/^bwrap: /m.test(p.stderr) || p.code === 126 || p.code === 127)) {
    throw new SandboxError(`sandbox failed to start (${describeExit(p)}): ${p.stderr.slice(-1500)}`);
  }

  let status: ExecStatus;
  let errorText: string | null;
  const phase = record?.phase ?? null;
  if (p.timedOut || p.cpuLimited) {
    status = "ERR_TIMEOUT";
    errorText = p.timedOut
      ? `Wall-clock limit of ${limits.wallSeconds} s exceeded (phase: ${phase ?? "startup"})`
      : `CPU time limit of ${limits.cpuSeconds} s exceeded (phase: ${phase ?? "startup"})`;
  } else if (record && record.status !== "RUNNING") {
    status = record.status;
    errorText = record.error ?? null;
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
