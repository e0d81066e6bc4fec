/**
 * Where a process spent its CPU, from V8 CPU profiles (`node --cpu-prof`), for `npm run bench:votes
 * -- --profile <dir>`: only the samples taken inside a measured window (the bench's voters phase),
 * so start-up, the warm-up and shutdown do not blur the picture.
 *
 * Prints three views, each as a share of the samples in the window:
 *  - by package (where the self time was spent: a node_modules package, Node's internals, V8's
 *    garbage collector, or this repository's files), the quickest way to see whose code costs;
 *  - top functions by self time;
 *  - top functions by inclusive time (a function counted once per sample it is on the stack of).
 *
 * V8's sample timestamps are CLOCK_MONOTONIC microseconds, the clock `process.hrtime` reads, so the
 * bench's window (taken with process.hrtime.bigint() in another process) applies as is.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  samples: number;
  byPackage: [string, number][];
  self: [string, number][];
  inclusive: [string, number][];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName === "(garbage collector)" ? "V8 garbage collector" : functionName === "(program)" || functionName === "(idle)" ? functionName : "V8 / native";
  if (url.startsWith("node:")) return "Node internals";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    // Next bundles its own copies of libraries (compiled/): name them, they are not Next's logic.
    const compiled = rest.indexOf("compiled");
    return name === "next" && compiled >= 0 && rest[compiled + 1] ? `next (compiled ${rest[compiled + 1]})` : name;
  }
  const repo = url.replace(/^file:\/\//, "");
  const lib = repo.match(/\/(lib|app|scripts)\/(.*)$/);
  if (lib) return lib[1] === "lib" && lib[2]!.startsWith("generated/") ? "lib/generated (Prisma client)" : `${lib[1]}/${lib[2]!.split("/")[0]}`;
  return path.basename(repo);
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^file:\/\//, "").replace(/^.*node_modules\//, "").replace(/^.*\/(lib|app|scripts)\//, "$1/")}:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
}

/** Summarises the samples of `files` taken between `from` and `to` (monotonic microseconds). */
export function summariseProfiles(files: string[], from: number, to: number, top = 25): ProfileSummary {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    let t = p.startTime;
    for (let k = 0; k < p.samples.length; k++) {
      t += p.timeDeltas[k] ?? 0;
      if (t < from || t > to) continue;
      const node = byId.get(p.samples[k]!)!;
      const fn = node.callFrame.functionName;
      if (fn === "(idle)") continue;
      total++;
      const name = label(node);
      self.set(name, (self.get(name) ?? 0) + 1);
      const pkg = packageOf(node.callFrame.url, fn);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1);
      const onStack = new Set<string>();
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) onStack.add(label(byId.get(id)!));
      for (const l of onStack) inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { samples: total, byPackage: sorted(byPackage), self: sorted(self), inclusive: sorted(inclusive).filter(([l]) => !/^\((root|program)\)/.test(l)) };
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, s.samples)).toFixed(1).padStart(5)}%`;
  const block = (head: string, rows: [string, number][]) => [head, ...rows.map(([l, n]) => `  ${pct(n)}  ${l}`)].join("\n");
  return [
    `${title}: ${s.samples} samples (idle left out)`,
    block("self time by package:", s.byPackage),
    block("top functions, self time:", s.self),
    block("top functions, inclusive time:", s.inclusive),
  ].join("\n");
}
