/**
 * Throwaway local copies of stored assets for the few steps that need files (a coding agent's
 * workspace, a provider request built from image files). The folder is private to this call and
 * removed afterwards, whatever happens: no process ever reads another process's files.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AssetStore } from "./types";

/** Copies the keys that exist (missing ones are left out, in order) and passes their paths to fn. */
export async function withLocalCopies<T>(store: AssetStore, keys: string[], fn: (paths: string[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "arena-assets-"));
  try {
    const paths: string[] = [];
    for (const [i, key] of keys.entries()) {
      const bytes = await store.get(key);
      if (!bytes) continue;
      // One folder per key keeps the file name (prompts name views after it) without collisions.
      const p = path.join(dir, String(i), key.split("/").pop()!);
      await mkdir(path.dirname(p));
      await writeFile(p, bytes);
      paths.push(p);
    }
    return await fn(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
