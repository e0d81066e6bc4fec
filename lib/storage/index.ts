/**
 * Asset storage (GLBs, renders). Keys are relative POSIX paths like `generations/<id>/display.glb`.
 * Local disk implementation; an object-store implementation can replace it behind this interface.
 */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { getEnv } from "@/lib/env";

const KEY_RE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export class InvalidAssetKeyError extends Error {}

export function assertKey(key: string): void {
  if (!KEY_RE.test(key) || key.split("/").some((p) => p === "." || p === "..")) {
    throw new InvalidAssetKeyError(`Invalid asset key: ${key}`);
  }
}

export interface AssetStore {
  putFile(key: string, sourcePath: string): Promise<void>;
  putBytes(key: string, data: Uint8Array | string): Promise<void>;
  /** Absolute path of a stored asset, or null when missing. */
  locate(key: string): Promise<{ path: string; size: number; mtime: Date } | null>;
  stream(key: string): NodeJS.ReadableStream;
  /** The whole asset in memory, or null when missing. */
  get(key: string): Promise<Uint8Array | null>;
}

/**
 * The only stored assets anyone may fetch by key: a category's reference views (imported with the
 * set, or rendered from the reference script) and the display views rendered with them. They are
 * the Image -> 3D prompt (and how voters see it), so they are public.
 * Everything else a run produced is reachable only through routes that check who asks
 * (battle GLBs per battle, galleries per output, staff assets per role): see docs/security.md.
 */
const PUBLIC_KEY =
  /^categories\/[A-Za-z0-9_.-]+\/((reference|reference-[0-9a-f]+(-[a-z]+-[A-Za-z0-9_.]+)?\/renders)\/Image_0[0-9]5|reference-[0-9a-f]+-[a-z]+-[A-Za-z0-9_.]+\/display\/display_[0-3])\.png$/;

export function isPublicAssetKey(key: string): boolean {
  return PUBLIC_KEY.test(key);
}

/** URL of a public asset (a category's reference view or its display view). */
export function publicAssetUrl(key: string): string {
  if (!isPublicAssetKey(key)) throw new InvalidAssetKeyError(`Not a public asset: ${key}`);
  return `/api/assets/${key}`;
}

/** URL of any stored asset for maintainers and admins (the route checks the role). */
export function staffAssetUrl(key: string): string {
  assertKey(key);
  return `/api/staff/assets/${key}`;
}

class LocalAssetStore implements AssetStore {
  constructor(private readonly root: string) {}
  private abs(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split("/"));
  }
  async putFile(key: string, sourcePath: string): Promise<void> {
    const dest = this.abs(key);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(sourcePath, dest);
  }
  async putBytes(key: string, data: Uint8Array | string): Promise<void> {
    const dest = this.abs(key);
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, data);
  }
  async locate(key: string) {
    const p = this.abs(key);
    try {
      const s = await stat(p);
      return s.isFile() ? { path: p, size: s.size, mtime: s.mtime } : null;
    } catch {
      return null;
    }
  }
  stream(key: string) {
    return createReadStream(this.abs(key));
  }
  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.abs(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }
}

let store: AssetStore | null = null;
export function assets(): AssetStore {
  store ??= new LocalAssetStore(path.join(getEnv().dataDir, "assets"));
  return store;
}
