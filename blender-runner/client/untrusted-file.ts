/**
 * The one way the host reads what a sandbox left behind (house rule 14): every path component is
 * lstat'ed (a symlink anywhere, e.g. out/renders -> /etc, is refused), the file is opened with
 * O_NOFOLLOW | O_NONBLOCK (a FIFO can never block the open), fstat must say "regular file", a
 * size cap per kind applies, and the bytes are read fully into memory under a timeout.
 *
 * It is only called once every process of the sandbox is dead (sandbox-process.ts), so nothing
 * can swap a checked component for a symlink between the check and the open; O_NOFOLLOW guards
 * the last component regardless.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import path from "node:path";

export class UntrustedFileError extends Error {
  override name = "UntrustedFileError";
}

const CHUNK = 1 << 20;

function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UntrustedFileError(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Opens `rel` under `root` after the checks above; null when it (or a folder on the way) does not exist. */
async function openChecked(root: string, rel: string, maxBytes: number): Promise<{ fh: FileHandle; size: number } | null> {
  const parts = rel.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) throw new UntrustedFileError(`bad relative path ${JSON.stringify(rel)}`);
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    cur = path.join(cur, part);
    let st;
    try {
      st = await lstat(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    if (!st.isDirectory()) throw new UntrustedFileError(`${rel}: ${part} is ${st.isSymbolicLink() ? "a symlink" : "not a folder"}`);
  }
  let fh: FileHandle;
  try {
    fh = await open(path.join(root, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ELOOP") throw new UntrustedFileError(`${rel} is a symlink`);
    throw new UntrustedFileError(`${rel} cannot be opened (${code ?? (err as Error).message})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      const kind = st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : st.isDirectory() ? "a folder" : "a device";
      throw new UntrustedFileError(`${rel} is ${kind}, not a regular file`);
    }
    if (st.size > maxBytes) throw new UntrustedFileError(`${rel} is ${st.size} bytes (limit ${maxBytes})`);
    return { fh, size: st.size };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** The file's bytes, or null when it does not exist. Throws UntrustedFileError otherwise. */
export async function readUntrusted(root: string, rel: string, maxBytes: number, timeoutMs = 10_000): Promise<Buffer | null> {
  const work = (async () => {
    const opened = await openChecked(root, rel, maxBytes);
    if (!opened) return null;
    const { fh, size } = opened;
    try {
      // One byte more than announced: a file that grows (it cannot, its writer is dead) is refused.
      const buf = Buffer.alloc(Math.min(size, maxBytes) + 1);
      let got = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, got, Math.min(CHUNK, buf.length - got), got);
        if (bytesRead === 0) break;
        got += bytesRead;
        if (got > size) throw new UntrustedFileError(`${rel} changed while it was read`);
      }
      return buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  })();
  return withTimeout(`reading ${rel}`, timeoutMs, work);
}

/**
 * Copies `rel` under `root` to `dest` (created, never overwritten) with the same checks, for files
 * the host passes on without parsing (process 1's .blend). Returns its size and sha256.
 */
export async function copyUntrusted(
  root: string,
  rel: string,
  dest: string,
  maxBytes: number,
  timeoutMs = 60_000,
): Promise<{ bytes: number; sha256: string } | null> {
  const work = (async () => {
    const opened = await openChecked(root, rel, maxBytes);
    if (!opened) return null;
    const { fh } = opened;
    const out = await open(dest, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      const hash = createHash("sha256");
      const buf = Buffer.alloc(CHUNK);
      let total = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK, total);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > maxBytes) throw new UntrustedFileError(`${rel} grew past ${maxBytes} bytes while it was copied`);
        hash.update(buf.subarray(0, bytesRead));
        await out.write(buf, 0, bytesRead);
      }
      return { bytes: total, sha256: hash.digest("hex") };
    } finally {
      await out.close();
      await fh.close();
    }
  })();
  return withTimeout(`copying ${rel}`, timeoutMs, work);
}
