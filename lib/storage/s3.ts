/**
 * Asset store on any S3-compatible object store (AWS S3, SeaweedFS, MinIO, R2, ...). A PutObject
 * is atomic (readers see the old object or the new one), so uploads need no temporary key. The
 * SHA-256 of what was uploaded rides along as object metadata: assets:migrate skips identical
 * objects with one HEAD instead of a download.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { assertKey, isValidKey } from "./keys";
import type { AssetStat, AssetStore, AssetStream, ByteRange, ListedAsset } from "./types";

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** Unset: AWS itself. Set for SeaweedFS, MinIO and other S3-compatible servers. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset: the SDK's default credential chain (instance roles, AWS_* variables, profiles). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Deadline of one request (a stuck store must not hold a worker's slot or a web request forever). */
  timeoutMs: number;
}

const CONTENT_TYPES: Record<string, string> = { glb: "model/gltf-binary", png: "image/png", json: "application/json" };

function isNotFound(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata?.httpStatusCode === 404;
}

export class S3AssetStore implements AssetStore {
  readonly kind = "s3" as const;
  readonly client: S3Client;
  readonly bucket: string;

  constructor(opts: S3StoreOptions) {
    this.bucket = opts.bucket;
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
      // Checksums only where S3 requires them: several S3-compatible servers reject the SDK's
      // default streaming-checksum uploads, and our own SHA-256 metadata covers integrity.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: { requestTimeout: opts.timeoutMs, connectionTimeout: Math.min(opts.timeoutMs, 10_000) },
      maxAttempts: 3,
    });
  }

  get describe(): string {
    return `s3://${this.bucket}`;
  }

  async putBytes(key: string, data: Uint8Array | string): Promise<void> {
    assertKey(key);
    const body = typeof data === "string" ? Buffer.from(data) : data;
    const sha256 = createHash("sha256").update(body).digest("hex");
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: CONTENT_TYPES[key.split(".").pop() ?? ""] ?? "application/octet-stream",
        Metadata: { sha256 },
      }),
    );
  }

  async putFile(key: string, sourcePath: string): Promise<void> {
    assertKey(key);
    // Our assets are at most tens of MiB: one PutObject keeps the upload atomic and simple.
    await this.putBytes(key, new Uint8Array(await readFile(sourcePath)));
  }

  async stat(key: string): Promise<AssetStat | null> {
    assertKey(key);
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: h.ContentLength ?? 0, etag: h.ETag ?? `"${h.ContentLength}"`, mtime: h.LastModified ?? new Date(0), sha256: h.Metadata?.sha256 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async stream(key: string, range?: ByteRange): Promise<AssetStream | null> {
    assertKey(key);
    try {
      const r = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      // With a range, ContentLength is the range's: the object's size is after the slash of Content-Range.
      const total = r.ContentRange ? Number(r.ContentRange.split("/")[1]) : (r.ContentLength ?? 0);
      return {
        stat: { size: total, etag: r.ETag ?? `"${total}"`, mtime: r.LastModified ?? new Date(0), sha256: r.Metadata?.sha256 },
        body: r.Body as Readable,
      };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    const s = await this.stream(key);
    if (!s) return null;
    const chunks: Buffer[] = [];
    for await (const c of s.body) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }

  async *list(prefix = ""): AsyncIterable<ListedAsset> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        if (o.Key && isValidKey(o.Key)) yield { key: o.Key, size: o.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
