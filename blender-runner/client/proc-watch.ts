/**
 * Host-side watch over a sandboxed process tree: peak memory (VmHWM, summed over the tree) and
 * a way to kill every leftover process of the job's uid. Linux /proc only.
 */
import { readdirSync, readFileSync } from "node:fs";

function statusField(pid: number, field: string): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = new RegExp(`^${field}:\\s*(.*)$`, "m").exec(text);
    return m?.[1] ?? null;
  } catch {
    return null; // exited between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/)) {
        if (c) out.push(Number(c));
      }
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The process and all its descendants (host pids; pid namespaces do not hide them from the host). */
export function processTree(root: number): number[] {
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...childrenOf(pid));
  }
  return [...seen];
}

/** Pids whose real uid is `uid`. */
export function pidsOfUid(uid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const uids = statusField(Number(name), "Uid");
    if (uids && Number(uids.split(/\s+/)[0]) === uid) out.push(Number(name));
  }
  return out;
}

/** utime + stime of one process, seconds (USER_HZ is 100 on every Linux we target). */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" closing comm: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return null;
  }
}

/** Samples a process tree: each process's peak RSS and CPU time, for limits we cannot observe otherwise. */
export class TreeWatch {
  private readonly perPid = new Map<number, number>();
  /** Largest CPU time seen for a single process, seconds (RLIMIT_CPU is per process). */
  maxCpuSeconds = 0;
  /** Resident memory of the tree at the last sample, MiB (the RSS watchdog's measure). */
  currentMiB = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly root: number, private readonly everyMs = 250) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    let rssKib = 0;
    for (const pid of processTree(this.root)) {
      const rss = statusField(pid, "VmRSS");
      if (rss) rssKib += Number.parseInt(rss, 10) || 0;
      const cpu = cpuSeconds(pid);
      if (cpu !== null && cpu > this.maxCpuSeconds) this.maxCpuSeconds = cpu;
      const hwm = statusField(pid, "VmHWM");
      if (!hwm) continue;
      const kib = Number.parseInt(hwm, 10);
      if (kib > (this.perPid.get(pid) ?? 0)) this.perPid.set(pid, kib);
    }
    this.currentMiB = rssKib / 1024;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Sum of each process's own peak, MiB; null when nothing was sampled. */
  peakMiB(): number | null {
    if (this.perPid.size === 0) return null;
    let kib = 0;
    for (const v of this.perPid.values()) kib += v;
    return Math.round((kib / 1024) * 10) / 10;
  }
}
