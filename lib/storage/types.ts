import type { Readable } from "node:stream";

export interface AssetStat {
  size: number;
  /** Strong validator for HTTP (quoted, as sent in an ETag header): changes whenever the bytes may have. */
  etag: string;
  mtime: Date;
  /** Hex SHA-256 of the bytes when the store recorded it at upload (S3 metadata); else undefined. */
  sha256?: string;
}

/** Inclusive byte range, as in an HTTP Range header (`bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface AssetStream {
  stat: AssetStat;
  body: Readable;
}

export interface ListedAsset {
  key: string;
  size: number;
}

export interface AssetStore {
  readonly kind: "local" | "s3";
  /** Human-readable location for logs (a folder or s3://bucket). */
  readonly describe: string;
  /**
   * Stores the bytes under the key, replacing what was there. Atomic: a reader sees the old
   * object or the new one, never a partial write. Storing the same bytes again is harmless.
   */
  putBytes(key: string, data: Uint8Array | string): Promise<void>;
  putFile(key: string, sourcePath: string): Promise<void>;
  /** Size, validator and modification time, or null when missing. */
  stat(key: string): Promise<AssetStat | null>;
  /** The asset (or an inclusive byte range of it) as a stream, or null when missing. */
  stream(key: string, range?: ByteRange): Promise<AssetStream | null>;
  /** The whole asset in memory, or null when missing. */
  get(key: string): Promise<Uint8Array | null>;
  /** Every stored key under an optional key prefix (for migration and audits), in no set order. */
  list(prefix?: string): AsyncIterable<ListedAsset>;
  delete(key: string): Promise<void>;
}
