/**
 * The bubblewrap command line for one job. Pure: builds argv only; local-runner.ts spawns it.
 *
 * Inside the sandbox the filesystem is an empty tmpfs with read-only binds of /usr (+ the /lib,
 * /bin merged-usr links), a few /etc files, the Python install or Blender folder under /opt, and
 * the harness at /opt/harness; /job (the job folder) is the only writable host path; /tmp is a
 * size-capped tmpfs. No network namespace peer exists, not even the host's loopback.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { BlenderInstall } from "./blender";
import type { RunLimits } from "./types";

export const SANDBOX_JOB_DIR = "/job";
export const SANDBOX_HARNESS = "/opt/harness/harness.py";
/** Inherited descriptors (stdio positions of the spawned bwrap): the report channel the harness
 * writes line-delimited JSON to, and the compiled seccomp filter bwrap reads and closes. */
export const CHANNEL_FD = 3;
export const SECCOMP_FD = 4;

/** Process 1 runs the script and saves the scene; process 2 exports and renders it (harness.py). */
export type Stage = "run" | "collect";
const OPT_PYTHON = "/opt/python";
const OPT_VENV = "/opt/venv";
const OPT_BLENDER = "/opt/blender";

export interface SandboxTools {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  taskset: string;
}

export interface SandboxSpec {
  stage: Stage;
  install: BlenderInstall;
  harnessDir: string;
  /** Host folder mounted read-write at /job. */
  jobDir: string;
  /** Host file holding the pyvenv.cfg written for /opt/venv (bpy-venv installs only). */
  pyvenvCfg: string | null;
  limits: RunLimits;
  /** When bwrap runs as root: drop to this uid/gid inside (so RLIMIT_NPROC applies). */
  dropToUid: number | null;
  tmpfsMiB: number;
  /**
   * CPUs Blender starts on (`threads` of them) and the full set the harness widens to once bpy
   * is loaded, as cpulist strings ("0", "0-1"). See startCpus() for why.
   */
  cpus: { start: string; all: string } | null;
  tools: SandboxTools;
  /** Host GPU device nodes bound into this stage's /dev (gpuDeviceNodes); none for process 1. */
  gpuNodes?: string[];
}

/**
 * NVIDIA device nodes a CUDA/OptiX render needs (the driver's user-space libraries come with the
 * read-only /usr). Only process 2 gets them: it renders the saved scene and never runs model code,
 * so the script itself never reaches the GPU driver. Missing nodes are simply absent: Blender then
 * finds no GPU and the views are rendered on the CPU, recorded as such (render.py _select_device).
 */
export function gpuDeviceNodes(device: string, list: (dir: string) => string[] = (d) => readdirSync(d)): string[] {
  if (device === "cpu") return [];
  let names: string[];
  try {
    names = list("/dev");
  } catch {
    return [];
  }
  return names
    .filter((n) => /^nvidia(\d+|ctl|-uvm|-uvm-tools|-modeset)$/.test(n))
    .sort()
    .map((n) => `/dev/${n}`);
}

/** pyvenv.cfg for the venv as it appears inside the sandbox. */
export function sandboxPyvenvCfg(install: Extract<BlenderInstall, { kind: "bpy-venv" }>): string {
  return `home = ${OPT_PYTHON}/bin\ninclude-system-site-packages = false\nversion = ${install.pythonVersion}\n`;
}

const MIB = 1024 * 1024;
export const CPU_GRACE_SECONDS = 5;

/** /bin, /lib, ... are symlinks into /usr on merged-usr systems, real folders elsewhere. */
export function rootDirArgs(): string[] {
  const args: string[] = [];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (st.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  return args;
}

/** Only what the dynamic loader and libc need; no passwd, hosts, resolv.conf or secrets. */
export function etcArgs(): string[] {
  const args = ["--dir", "/etc"];
  for (const f of ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"]) {
    if (existsSync(f)) args.push("--ro-bind", f, f);
  }
  // Blender lists mounted file systems at start-up.
  args.push("--symlink", "/proc/self/mounts", "/etc/mtab");
  return args;
}

function threadEnv(threads: number): string[] {
  const n = String(threads);
  // OIDN otherwise sizes its own thread pool to every core, whatever Cycles was told.
  return ["OMP_NUM_THREADS", "OIDN_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "TBB_NUM_THREADS"].flatMap(
    (v) => ["--setenv", v, n],
  );
}

/** Parse a kernel cpulist ("0-3,6") into CPU numbers. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(",")) {
    const [a, b] = part.split("-").map((n) => Number.parseInt(n, 10));
    if (a === undefined || Number.isNaN(a)) continue;
    for (let c = a; c <= (b ?? a); c++) cpus.push(c);
  }
  return cpus;
}

/**
 * Blender sizes its TBB pool to the CPUs it may run on at start-up, and Cycles' 1-thread arena
 * leaves the other workers spinning in sched_yield: with threads=1 on 2 cores, a job burnt two
 * cores for one core's work (measured: CPU time = 2 x wall). Starting Blender on `threads` CPUs
 * sizes the pool right; the harness then widens its affinity back to every CPU (ARENA_CPUS) so
 * the scheduler can still place it anywhere.
 */
export function startCpus(allowedList: string, threads: number): { start: string; all: string } | null {
  const allowed = parseCpuList(allowedList);
  if (allowed.length <= threads) return null;
  return { start: allowed.slice(0, Math.max(1, threads)).join(","), all: allowed.join(",") };
}

/** argv for spawn(tools.bwrap, argv). */
export function buildSandboxArgs(spec: SandboxSpec): string[] {
  const { install, limits, tools } = spec;
  const asRoot = spec.dropToUid !== null;
  const args: string[] = [];

  // Namespaces. As root, a user namespace would map the sandbox uid back to host root (and
  // RLIMIT_NPROC never applies to root), so every other namespace is unshared and the uid is
  // dropped with setpriv instead; unprivileged, the sandbox gets its own user namespace, in which
  // no further one may be created (--disable-userns needs --unshare-user). On both paths the
  // seccomp filter (seccomp.ts) refuses unshare/setns/clone with namespace flags and the mount API.
  if (asRoot) args.push("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try");
  else args.push("--unshare-all", "--unshare-user", "--disable-userns");
  args.push("--die-with-parent", "--new-session", "--hostname", "sandbox");
  args.push("--seccomp", String(SECCOMP_FD));

  args.push("--clearenv");
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: SANDBOX_JOB_DIR,
    LANG: "C.UTF-8",
    TMPDIR: "/tmp",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONNOUSERSITE: "1",
    PYTHONUNBUFFERED: "1",
  };
  if (spec.cpus) env.ARENA_CPUS = spec.cpus.all;
  // With the bpy module the harness starts before Blender and may close every inherited
  // descriptor but stdio and the channel; a Blender binary has opened its own by then.
  if (install.kind === "bpy-venv") env.ARENA_CLOSE_FDS = "1";
  for (const [k, v] of Object.entries(env)) args.push("--setenv", k, v);
  args.push(...threadEnv(limits.threads));

  // Filesystem. Parent folders bwrap creates implicitly are 0700 as root: create them explicitly.
  args.push("--ro-bind", "/usr", "/usr", ...rootDirArgs(), ...etcArgs());
  args.push("--dir", "/opt");
  let command: string[];
  if (install.kind === "bpy-venv") {
    if (!spec.pyvenvCfg) throw new Error("bpy-venv sandbox needs a pyvenv.cfg file");
    args.push(
      "--ro-bind", install.baseHome, OPT_PYTHON,
      "--dir", OPT_VENV,
      "--dir", `${OPT_VENV}/bin`,
      "--ro-bind", path.join(install.venvDir, "lib"), `${OPT_VENV}/lib`,
      "--symlink", "lib", `${OPT_VENV}/lib64`,
      "--symlink", `${OPT_PYTHON}/${install.baseExecutable}`, `${OPT_VENV}/bin/python3`,
      "--ro-bind", spec.pyvenvCfg, `${OPT_VENV}/pyvenv.cfg`,
    );
    command = [`${OPT_VENV}/bin/python3`, SANDBOX_HARNESS, "--job", SANDBOX_JOB_DIR, "--stage", spec.stage];
  } else {
    const dir = path.dirname(install.binary);
    args.push("--ro-bind", dir, OPT_BLENDER);
    command = [
      `${OPT_BLENDER}/${path.basename(install.binary)}`,
      "-b", "--factory-startup", "--disable-autoexec", "--python-exit-code", "1",
      "--python", SANDBOX_HARNESS, "--", "--job", SANDBOX_JOB_DIR, "--stage", spec.stage,
    ];
  }
  args.push("--ro-bind", spec.harnessDir, "/opt/harness");
  args.push("--bind", spec.jobDir, SANDBOX_JOB_DIR);
  args.push("--perms", "1777", "--size", String(spec.tmpfsMiB * MIB), "--tmpfs", "/tmp");
  args.push("--proc", "/proc", "--dev", "/dev", "--chdir", SANDBOX_JOB_DIR);
  if (spec.stage === "collect") for (const node of spec.gpuNodes ?? []) args.push("--dev-bind-try", node, node);

  const prlimit = [
    tools.prlimit,
    // Real memory is bounded by the job's cgroup (or the RSS watchdog), not here: RLIMIT_AS counts
    // address space, and Blender reserves far more of it than it touches (issue 14).
    ...(limits.addressSpaceMiB ? [`--as=${limits.addressSpaceMiB * MIB}`] : []),
    // SIGXCPU at the soft limit gives a recognisable exit (128+24); SIGKILL 5 s later if ignored.
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + CPU_GRACE_SECONDS}`,
    `--fsize=${limits.maxFileMiB * MIB}`,
    `--nproc=${limits.maxProcesses}`,
    "--core=0",
    "--",
    ...(spec.cpus ? [tools.taskset, "--cpu-list", spec.cpus.start] : []),
  ];
  if (asRoot) {
    // setpriv needs these two to switch uid; the switch clears them again (no keep-caps).
    args.push("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP");
    args.push(
      "--",
      tools.setpriv,
      `--reuid=${spec.dropToUid}`,
      `--regid=${spec.dropToUid}`,
      "--clear-groups",
      "--inh-caps=-all",
      "--bounding-set=-all",
      "--",
      ...prlimit,
      ...command,
    );
  } else {
    args.push("--", ...prlimit, ...command);
  }
  return args;
}
