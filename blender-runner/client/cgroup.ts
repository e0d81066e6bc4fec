/**
 * A per-job control group for what rlimits cannot bound: RLIMIT_AS is per process, so a script
 * that forks N children may touch N x memoryMiB of RAM (and /tmp's tmpfs pages count nowhere).
 * A memory cgroup caps the job's processes together (tmpfs pages it writes are charged to it too)
 * and a pids cgroup backs up RLIMIT_NPROC. cgroup v1 (memory + pids hierarchies) and v2 are
 * supported; where neither is writable (an unprivileged worker) the runner goes on without,
 * and says so in `describeCgroups()`.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = "/sys/fs/cgroup";
const PARENT = "3dcodearena";

export interface JobCgroup {
  /** cgroup.procs files the sandbox's first process writes its pid to before exec'ing bwrap. */
  procsFiles: string[];
  /** How often the kernel's OOM killer acted inside this cgroup so far (both processes of a job share it). */
  oomKills(): number;
  /** Removes the cgroup folders (after every process is gone); retries briefly while busy. */
  remove(): void;
}

type Layout = { kind: "v1"; memory: string; pids: string | null } | { kind: "v2"; base: string } | null;

let layout: Layout | undefined;

/**
 * Whether job cgroups can be made under `dir`. Creating `dir` is not proof: on a read-only mount
 * (a container's cgroup tree) an existing folder "succeeds", so a child is made and removed too.
 */
function tryMkdir(dir: string): boolean {
  const probe = path.join(dir, `probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

function detect(): Layout {
  if (layout !== undefined) return layout;
  layout = null;
  const v1Memory = path.join(ROOT, "memory");
  if (existsSync(path.join(v1Memory, "memory.limit_in_bytes")) && tryMkdir(path.join(v1Memory, PARENT))) {
    const v1Pids = path.join(ROOT, "pids");
    const pids = existsSync(path.join(v1Pids, "cgroup.procs")) && tryMkdir(path.join(v1Pids, PARENT)) ? path.join(v1Pids, PARENT) : null;
    layout = { kind: "v1", memory: path.join(v1Memory, PARENT), pids };
    return layout;
  }
  for (const base of [ROOT, path.join(ROOT, "unified")]) {
    try {
      if (!readFileSync(path.join(base, "cgroup.controllers"), "utf8").includes("memory")) continue;
      const parent = path.join(base, PARENT);
      if (!tryMkdir(parent)) continue;
      writeFileSync(path.join(parent, "cgroup.subtree_control"), "+memory +pids");
      layout = { kind: "v2", base: parent };
      return layout;
    } catch {
      /* not delegated to us */
    }
  }
  return layout;
}

export function describeCgroups(): string {
  const l = detect();
  if (!l) return "none (no writable memory cgroup: only per-process rlimits apply)";
  return l.kind === "v1" ? `cgroup v1 memory${l.pids ? " + pids" : ""} under ${l.memory}` : `cgroup v2 under ${l.base}`;
}

/** Null when cgroups are not available; throws if they are but this job's cannot be set up. */
export function createJobCgroup(name: string, limits: { memoryBytes: number; maxProcesses: number }): JobCgroup | null {
  const l = detect();
  if (!l) return null;
  const dirs: string[] = [];
  const make = (dir: string, files: Record<string, string>, optional: Record<string, string> = {}) => {
    mkdirSync(dir);
    dirs.push(dir);
    for (const [f, v] of Object.entries(files)) writeFileSync(path.join(dir, f), v);
    for (const [f, v] of Object.entries(optional)) {
      try {
        writeFileSync(path.join(dir, f), v);
      } catch {
        /* e.g. no swap accounting */
      }
    }
  };
  let oomFile: string;
  try {
    if (l.kind === "v1") {
      // No swap on the hosts we run on; where there is, memsw would need the same cap.
      make(path.join(l.memory, name), { "memory.limit_in_bytes": String(limits.memoryBytes) });
      if (l.pids) make(path.join(l.pids, name), { "pids.max": String(limits.maxProcesses) });
      oomFile = path.join(l.memory, name, "memory.oom_control");
    } else {
      make(path.join(l.base, name), { "memory.max": String(limits.memoryBytes), "pids.max": String(limits.maxProcesses) }, { "memory.swap.max": "0" });
      oomFile = path.join(l.base, name, "memory.events");
    }
  } catch (err) {
    for (const d of dirs.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        /* best effort */
      }
    }
    throw err;
  }
  const remove = (attempt = 0) => {
    for (const d of [...dirs].reverse()) {
      try {
        rmdirSync(d);
        dirs.splice(dirs.indexOf(d), 1);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // EBUSY: a killed process is still exiting.
        if (code === "EBUSY" && attempt < 20) setTimeout(() => remove(attempt + 1), 100).unref();
      }
    }
  };
  return {
    procsFiles: dirs.map((d) => path.join(d, "cgroup.procs")),
    oomKills: () => {
      try {
        return Number(/^oom_kill (\d+)/m.exec(readFileSync(oomFile, "utf8"))?.[1] ?? 0);
      } catch {
        return 0;
      }
    },
    remove: () => remove(),
  };
}
