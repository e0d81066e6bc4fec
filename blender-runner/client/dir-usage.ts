/**
 * Disk use of a job folder, measured from the host. RLIMIT_FSIZE bounds one file only; a script
 * writing many files (or many empty ones, for inodes) is bounded by this walk instead.
 */
import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";

export interface DirUsage {
  /** Allocated bytes (st_blocks x 512: a sparse file counts what it really uses). */
  bytes: number;
  entries: number;
  /** The walk stopped at maxEntries; bytes and entries are lower bounds. */
  truncated: boolean;
}

/** Walks without following symlinks; stops after maxEntries entries. Never throws. */
export function dirUsage(root: string, maxEntries: number): DirUsage {
  const usage: DirUsage = { bytes: 0, entries: 0, truncated: false };
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // removed or made unreadable meanwhile
    }
    for (const name of names) {
      if (++usage.entries > maxEntries) {
        usage.truncated = true;
        return usage;
      }
      const p = path.join(dir, name);
      try {
        const st = lstatSync(p);
        usage.bytes += st.blocks * 512;
        if (st.isDirectory()) stack.push(p);
      } catch {
        /* raced with a delete */
      }
    }
  }
  return usage;
}
