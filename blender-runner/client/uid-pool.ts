/**
 * Per-job sandbox uids, unique across every runner process on the machine (several workers, a
 * test run next to a live worker). Uniqueness matters: RLIMIT_NPROC is counted per uid, and a
 * timed-out job's leftover processes are swept by uid.
 *
 * A uid is held by an exclusive lock file naming the holder's pid; a file whose pid is dead is
 * stale and taken over.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DEFAULT_UID_LOCK_DIR = "/tmp/.3dcodearena-sandbox-uids";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class UidPool {
  private next: number;

  constructor(
    private readonly base: number,
    private readonly count: number,
    private readonly lockDir = DEFAULT_UID_LOCK_DIR,
  ) {
    mkdirSync(lockDir, { recursive: true, mode: 0o700 });
    // Different processes start at different offsets so they rarely contend.
    this.next = (process.pid * 7919) % count;
  }

  private tryLock(uid: number): boolean {
    const file = path.join(this.lockDir, String(uid));
    try {
      writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
    if (Number.isFinite(holder) && alive(holder)) return false;
    try {
      unlinkSync(file); // stale: its holder died without releasing
      writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
      return true;
    } catch {
      return false; // someone else took it over first
    }
  }

  take(): number {
    for (let i = 0; i < this.count; i++) {
      const uid = this.base + ((this.next + i) % this.count);
      if (this.tryLock(uid)) {
        this.next = (this.next + i + 1) % this.count;
        return uid;
      }
    }
    throw new Error(`all ${this.count} sandbox uids from ${this.base} are in use (${this.lockDir})`);
  }

  release(uid: number): void {
    try {
      unlinkSync(path.join(this.lockDir, String(uid)));
    } catch {
      /* already gone */
    }
  }
}
