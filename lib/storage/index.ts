/**
 * Asset storage (GLBs, renders). Keys are relative POSIX paths like `generations/<id>/display.glb`.
 * Local disk implementation; an object-store implementation can replace it behind this interface.
 */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
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
}

export function assetUrl(key: string): string {
  return `/api/assets/${key}`;
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
}

let store: AssetStore | null = null;
export function assets(): AssetStore {
  store ??= new LocalAssetStore(path.join(getEnv().dataDir, "assets"));
  return store;
}
