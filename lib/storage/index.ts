/**
 * Asset storage (GLBs, renders). Keys are relative POSIX paths like `generations/<id>/display.glb`.
 * Two implementations behind one interface, chosen by ASSET_STORE: local disk (the embedded
 * default, lib/storage/local.ts) and any S3-compatible object store (lib/storage/s3.ts), so web
 * servers and Blender workers on different hosts share assets without sharing a folder.
 *
 * Nothing outside this module gets a path into the store: callers read bytes (`get`), stream
 * (`stream`, optionally a byte range), or ask for a throwaway local copy (`withLocalCopies`) for
 * the few steps that need a file.
 */
import { storageEnv } from "@/lib/env";
import { LocalAssetStore } from "./local";
import { S3AssetStore } from "./s3";
import { assertKey, InvalidAssetKeyError } from "./keys";
import type { AssetStore } from "./types";

export { assertKey, InvalidAssetKeyError };
export type { AssetStat, AssetStore, AssetStream, ByteRange, ListedAsset } from "./types";
export { withLocalCopies } from "./local-copy";

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

/** The store named by the environment, for tools that address one explicitly (assets:migrate). */
export function storeFromEnv(kind: "local" | "s3"): AssetStore {
  const env = storageEnv();
  if (kind === "local") return new LocalAssetStore(env.assetDir);
  if (!env.ASSET_S3_BUCKET) throw new Error("ASSET_S3_BUCKET must be set to use the S3 asset store (see .env.example, docs/storage.md)");
  return new S3AssetStore({
    bucket: env.ASSET_S3_BUCKET,
    region: env.ASSET_S3_REGION,
    endpoint: env.ASSET_S3_ENDPOINT,
    forcePathStyle: env.ASSET_S3_FORCE_PATH_STYLE,
    accessKeyId: env.ASSET_S3_ACCESS_KEY_ID,
    secretAccessKey: env.ASSET_S3_SECRET_ACCESS_KEY,
    timeoutMs: env.ASSET_S3_TIMEOUT_MS,
  });
}

let store: AssetStore | null = null;
export function assets(): AssetStore {
  store ??= storeFromEnv(storageEnv().ASSET_STORE);
  return store;
}

/** For tests that switch ASSET_STORE between cases (after resetEnvCache). */
export function resetAssetStore(): void {
  store = null;
}
