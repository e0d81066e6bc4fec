/**
 * Runner that executes each job in a bubblewrap sandbox on this machine (house rule 8).
 * One fresh folder per job (<jobsRoot>/<id>, mounted at /job), resource limits via prlimit, a
 * wall-clock timer that kills the whole sandbox, and the harness's out/result.json turned into
 * a RunResult.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { chown, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { detectVersion, resolveBlender, type BlenderInstall } from "./blender";
import { createJobCgroup, type JobCgroup } from "./cgroup";
import { SandboxError } from "./errors";
import { collectResult } from "./run-result";
import { buildSandboxArgs, sandboxPyvenvCfg, startCpus, type SandboxTools } from "./sandbox";
import { runSandbox } from "./sandbox-process";
import type { RunJob, RunLimits, RunResult, Runner } from "./types";
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
  /** When running as root, jobs run as uid/gid base..base+count-1, one per concurrent job. */
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
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

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
    taskset: opts.tools?.taskset ?? "/usr/bin/taskset",
  };
  const allowedCpus = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "0";
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
    let cgroup: JobCgroup | null = null;
    // Set when processes of the job's uid survived the final sweep: the uid is then kept out of
    // the pool (held by this process) instead of being handed to the next job.
    let quarantine = false;
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
      const cpus = startCpus(allowedCpus, limits.threads);
      const args = buildSandboxArgs({ install, harnessDir, jobDir, pyvenvCfg: cfg, limits, dropToUid: uid, tmpfsMiB, tools, cpus });
      const disk = {
        jobDir,
        maxBytes: (limits.maxDiskMiB ?? 2 * limits.maxFileMiB) * 1024 * 1024,
        maxEntries: limits.maxDiskEntries ?? 10_000,
      };
      cgroup = opts.cgroups === false ? null : createJobCgroup(`${job.id}-${process.pid}`, { memoryBytes: limits.memoryMiB * 1024 * 1024, maxProcesses: limits.maxProcesses });
      const proc = await runSandbox(tools.bwrap, args, limits, uid, tailBytes, disk, cgroup?.procsFiles ?? []);
      proc.memoryLimited = cgroup?.oomKilled() ?? false;
      quarantine = proc.leftovers.length > 0;
      if (quarantine) console.warn(`[runner] uid ${uid} keeps ${proc.leftovers.length} process(es) after job ${job.id}; not reused`);
      return await collectResult(job, limits, jobDir, proc, uid, (performance.now() - t0) / 1000);
    } finally {
      cgroup?.remove();
      if (uid !== null && !quarantine) uids?.release(uid);
    }
  }

  return {
    kind: install.kind === "binary" ? "local-bwrap-blender" : "local-bwrap-bpy",
    run,
    version: () => detectVersion(install),
  };
}
