/** Asset store on local disk: one file per key under a root folder (the embedded default). */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, opendir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { assertKey, isValidKey } from "./keys";
import type { AssetStat, AssetStore, AssetStream, ByteRange, ListedAsset } from "./types";

/**
 * Temporary files sit next to their destination (rename is atomic only within one filesystem) and
 * carry "~", which no key may contain: no reader can ask for one and list() never reports one.
 */
const TMP_MARK = "~tmp-";

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}

export class LocalAssetStore implements AssetStore {
  readonly kind = "local" as const;
  constructor(private readonly root: string) {}

  get describe(): string {
    return this.root;
  }

  private abs(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  /** Writes through a temporary file and a rename, so a reader never sees a partial asset. */
  private async atomically(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const dest = this.abs(key);
    await mkdir(path.dirname(dest), { recursive: true });
    const tmp = `${dest}${TMP_MARK}${process.pid}-${randomUUID()}`;
    try {
      await write(tmp);
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  putBytes(key: string, data: Uint8Array | string): Promise<void> {
    return this.atomically(key, (tmp) => writeFile(tmp, data));
  }

  putFile(key: string, sourcePath: string): Promise<void> {
    return this.atomically(key, (tmp) => copyFile(sourcePath, tmp));
  }

  async stat(key: string): Promise<AssetStat | null> {
    const p = this.abs(key);
    try {
      const s = await stat(p);
      if (!s.isFile()) return null;
      // size + mtime in nanoseconds: a rename-replaced file always gets a new validator.
      return { size: s.size, mtime: s.mtime, etag: `"${s.size.toString(16)}-${(s.mtimeMs * 1000).toString(16).replace(".", "")}"` };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async stream(key: string, range?: ByteRange): Promise<AssetStream | null> {
    const s = await this.stat(key);
    if (!s) return null;
    // Open before answering: a file removed in between reads as missing, not as a broken stream.
    const body = createReadStream(this.abs(key), range ? { start: range.start, end: range.end } : {});
    try {
      await new Promise<void>((resolve, reject) => {
        body.once("open", () => resolve());
        body.once("error", reject);
      });
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    return { stat: s, body };
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.abs(key)));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async *list(prefix = ""): AsyncIterable<ListedAsset> {
    async function* walk(dir: string, rel: string): AsyncIterable<ListedAsset> {
      let handle;
      try {
        handle = await opendir(dir);
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for await (const e of handle) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) yield* walk(path.join(dir, e.name), key);
        else if (e.isFile() && isValidKey(key) && key.startsWith(prefix)) {
          yield { key, size: (await stat(path.join(dir, e.name))).size };
        }
      }
    }
    yield* walk(this.root, "");
  }

  async delete(key: string): Promise<void> {
    await rm(this.abs(key), { force: true });
  }
}
