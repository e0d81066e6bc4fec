/**
 * Which Blender runs the harness: a Blender 5.x binary (env BLENDER) or, by default, the
 * project's Python venv with the `bpy` module (.venv-blender). Also creates that venv.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export type BlenderInstall =
  | {
      kind: "binary";
      /** Absolute path of the Blender executable. */
      binary: string;
    }
  | {
      kind: "bpy-venv";
      venvDir: string;
      /** The venv's interpreter (bin/python3, a symlink into the base install). */
      python: string;
      /** Prefix of the base Python the venv was made from (pyvenv.cfg `home`, minus /bin). */
      baseHome: string;
      /** The base interpreter, relative to baseHome (e.g. bin/python3.11). */
      baseExecutable: string;
      /** Python version from pyvenv.cfg, e.g. 3.11.7. */
      pythonVersion: string;
    };

export interface ResolveBlenderOptions {
  /** Repository root; the default venv is <root>/.venv-blender. */
  root?: string;
  /** Path to a Blender 5.x binary; overrides the venv. Defaults to env BLENDER. */
  blender?: string;
  /** Venv folder; defaults to env BLENDER_VENV, then <root>/.venv-blender. */
  venvDir?: string;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_VENV_DIR = ".venv-blender";

/** Python packages the benchmark's reference scripts import (docs/benchmark.md §1). */
export const VENV_PACKAGES = ["numpy", "scipy", "scikit-image", "trimesh", "shapely"] as const;
/** bpy 5.0 wheels are built for CPython 3.11 only. */
export const BPY_PYTHON = "3.11";
const BPY_SPECS = ["bpy==5.0.*", "bpy>=5,<6"] as const;
const STAMP_FILE = ".arena-venv.json";

function readPyvenvCfg(venvDir: string): Record<string, string> {
  const cfg: Record<string, string> = {};
  for (const line of readFileSync(path.join(venvDir, "pyvenv.cfg"), "utf8").split("\n")) {
    const m = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) cfg[m[1]] = m[2];
  }
  return cfg;
}

export function resolveBlender(opts: ResolveBlenderOptions = {}): BlenderInstall {
  const env = opts.env ?? process.env;
  const root = path.resolve(opts.root ?? process.cwd());
  const binary = opts.blender ?? env.BLENDER;
  if (binary) {
    const abs = path.resolve(root, binary);
    if (!existsSync(abs)) throw new Error(`BLENDER=${binary} does not exist`);
    return { kind: "binary", binary: realpathSync(abs) };
  }
  const venvDir = path.resolve(root, opts.venvDir ?? env.BLENDER_VENV ?? DEFAULT_VENV_DIR);
  const python = path.join(venvDir, "bin", "python3");
  if (!existsSync(python) || !existsSync(path.join(venvDir, "pyvenv.cfg"))) {
    throw new Error(`No Blender: set BLENDER to a Blender 5.x binary, or create the bpy venv at ${venvDir} (ensureBlenderVenv).`);
  }
  const cfg = readPyvenvCfg(venvDir);
  const homeBin = cfg.home;
  if (!homeBin) throw new Error(`${venvDir}/pyvenv.cfg has no "home"`);
  const baseHome = path.dirname(realpathSync(homeBin));
  const baseExecutable = path.relative(baseHome, realpathSync(python));
  if (baseExecutable.startsWith("..")) {
    throw new Error(`${python} does not point into the base Python at ${baseHome}`);
  }
  return {
    kind: "bpy-venv",
    venvDir,
    python,
    baseHome,
    baseExecutable,
    pythonVersion: cfg.version ?? cfg.version_info ?? "unknown",
  };
}

interface CmdResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCmd(cmd: string, args: string[], onLine?: (line: string) => void, timeoutMs = 0): Promise<CmdResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    const feed = (chunk: Buffer, sink: "out" | "err") => {
      const s = chunk.toString("utf8");
      if (sink === "out") stdout = (stdout + s).slice(-65536);
      else stderr = (stderr + s).slice(-65536);
      if (!onLine) return;
      pending += s;
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) onLine(l);
    };
    child.stdout.on("data", (c: Buffer) => feed(c, "out"));
    child.stderr.on("data", (c: Buffer) => feed(c, "err"));
    const timer = timeoutMs > 0 ? setTimeout(() => child.kill("SIGKILL"), timeoutMs) : null;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      if (onLine && pending.trim()) onLine(pending);
      resolve({ code, stdout, stderr });
    });
  });
}

const versionCache = new Map<string, Promise<string>>();

/** Blender version string, e.g. "5.0.1", from the install itself (cached per install). */
export function detectVersion(install: BlenderInstall): Promise<string> {
  const key = install.kind === "binary" ? install.binary : install.python;
  let p = versionCache.get(key);
  if (!p) {
    p = (async () => {
      if (install.kind === "binary") {
        const r = await runCmd(install.binary, ["--factory-startup", "--version"], undefined, 60_000);
        const m = /Blender\s+(\d+\.\d+\.\d+)/.exec(r.stdout);
        if (!m?.[1]) throw new Error(`Cannot read the version of ${install.binary}: ${r.stderr.slice(-500)}`);
        return m[1];
      }
      const r = await runCmd(install.python, ["-c", "import bpy; print(bpy.app.version_string)"], undefined, 120_000);
      const m = /^(\d+\.\d+\.\d+)\s*$/m.exec(r.stdout);
      if (r.code !== 0 || !m?.[1]) throw new Error(`Cannot import bpy with ${install.python}: ${r.stderr.slice(-500)}`);
      return m[1];
    })();
    p.catch(() => versionCache.delete(key));
    versionCache.set(key, p);
  }
  return p;
}

export interface VenvStamp {
  bpy: string;
  bpySpec: string;
  packages: string[];
  python: string;
  createdAt: string;
}

export interface EnsureVenvOptions {
  root: string;
  venvDir?: string;
  /** Interpreter to build the venv from; default env BLENDER_PYTHON, then python3.11, then python3. */
  python?: string;
  onProgress?: (line: string) => void;
}

export interface EnsureVenvResult {
  venvDir: string;
  /** Installed bpy version (= the Blender version), e.g. "5.0.1". */
  bpyVersion: string;
  /** False when the stamp showed a complete venv and nothing ran. */
  changed: boolean;
}

async function readStamp(venvDir: string): Promise<VenvStamp | null> {
  try {
    const s = JSON.parse(await readFile(path.join(venvDir, STAMP_FILE), "utf8")) as VenvStamp;
    const complete = VENV_PACKAGES.every((p) => s.packages?.includes(p));
    return complete && typeof s.bpy === "string" && s.bpy.startsWith("5.") ? s : null;
  } catch {
    return null;
  }
}

async function pickBasePython(explicit: string | undefined): Promise<string> {
  const candidates = explicit ? [explicit] : [process.env.BLENDER_PYTHON, "python3.11", "python3"].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = await runCmd(c, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).catch(() => null);
    if (r?.code === 0 && r.stdout.trim() === BPY_PYTHON) return c;
  }
  throw new Error(`bpy 5.x needs Python ${BPY_PYTHON}; none of ${candidates.join(", ")} is. Set BLENDER_PYTHON, or set BLENDER to a Blender 5.x binary.`);
}

const PROBE = "import bpy, numpy, scipy, skimage, trimesh, shapely; print(bpy.app.version_string)";

/**
 * Make sure <root>/.venv-blender has bpy 5.x and the benchmark's Python packages. A stamp file
 * makes the common case (already installed) a file read. bpy==5.0.* is preferred (the
 * benchmark's Blender); when PyPI has none, the newest 5.x is taken and recorded in the stamp.
 */
export async function ensureBlenderVenv(opts: EnsureVenvOptions): Promise<EnsureVenvResult> {
  const venvDir = path.resolve(opts.root, opts.venvDir ?? process.env.BLENDER_VENV ?? DEFAULT_VENV_DIR);
  const say = opts.onProgress ?? (() => {});
  const stamp = await readStamp(venvDir);
  if (stamp) return { venvDir, bpyVersion: stamp.bpy, changed: false };

  const python = path.join(venvDir, "bin", "python3");
  const writeStamp = async (bpy: string, bpySpec: string) => {
    const s: VenvStamp = { bpy, bpySpec, packages: [...VENV_PACKAGES], python: BPY_PYTHON, createdAt: new Date().toISOString() };
    await writeFile(path.join(venvDir, STAMP_FILE), JSON.stringify(s, null, 2) + "\n");
  };

  // A venv made by hand (or an older bootstrap) may already be complete: probe once.
  if (existsSync(python)) {
    say(`Checking the existing venv at ${venvDir} ...`);
    const r = await runCmd(python, ["-c", PROBE]);
    const v = /^(5\.\d+\.\d+)\s*$/m.exec(r.stdout)?.[1];
    if (r.code === 0 && v) {
      await writeStamp(v, "preinstalled");
      say(`bpy ${v} with ${VENV_PACKAGES.join(", ")} already installed`);
      return { venvDir, bpyVersion: v, changed: true };
    }
  } else {
    const base = await pickBasePython(opts.python);
    say(`Creating ${venvDir} with ${base} ...`);
    await mkdir(path.dirname(venvDir), { recursive: true });
    const r = await runCmd(base, ["-m", "venv", venvDir], say);
    if (r.code !== 0) {
      await rm(venvDir, { recursive: true, force: true });
      throw new Error(`python -m venv failed: ${r.stderr.slice(-1000)}`);
    }
  }

  let chosen: string | null = null;
  for (const spec of BPY_SPECS) {
    say(`pip install "${spec}" ${VENV_PACKAGES.join(" ")} (bpy is ~400 MB) ...`);
    const r = await runCmd(python, ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", spec, ...VENV_PACKAGES], say);
    if (r.code === 0) {
      chosen = spec;
      break;
    }
    // Only a missing 5.0.x justifies the fallback; anything else (network, disk) is reported.
    if (!/No matching distribution|Could not find a version/i.test(r.stdout + r.stderr)) {
      throw new Error(`pip install failed:\n${(r.stdout + r.stderr).slice(-2000)}`);
    }
    say(`${spec} is not available on this index; trying the newest 5.x`);
  }
  if (!chosen) throw new Error("No bpy 5.x wheel is available for this platform/Python");

  const probe = await runCmd(python, ["-c", PROBE]);
  const version = /^(5\.\d+\.\d+)\s*$/m.exec(probe.stdout)?.[1];
  if (probe.code !== 0 || !version) throw new Error(`bpy installed but does not import:\n${probe.stderr.slice(-2000)}`);
  await writeStamp(version, chosen);
  say(`bpy ${version} ready (${chosen === BPY_SPECS[0] ? "the benchmark's 5.0" : "5.0.x unavailable, newest 5.x"})`);
  return { venvDir, bpyVersion: version, changed: true };
}
