/**
 * Streams one stored asset as an HTTP response (public and staff asset routes share this), from
 * whichever store is configured: Content-Length and a strong ETag from the store's own stat,
 * If-None-Match answered with 304, and a single byte range (Range: bytes=a-b) answered with 206.
 */
import { Readable } from "node:stream";
import { ApiError } from "@/lib/api/errors";
import { SIZE_HINT_HEADER } from "@/lib/web/content-length";
import { assets, InvalidAssetKeyError, type AssetStream, type ByteRange } from "./index";

const TYPES: Record<string, string> = { glb: "model/gltf-binary", png: "image/png", json: "application/json" };

/** One range of an object of `size` bytes; null for none or one we do not serve (several ranges); "unsatisfiable" past the end. */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

/** Next drops Content-Length from route handlers; the web server restores it from the hint (lib/web/content-length.ts). */
function length(n: number): Record<string, string> {
  return { "Content-Length": String(n), [SIZE_HINT_HEADER]: String(n) };
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

export async function assetResponse(key: string, cacheControl: string, headers?: Headers): Promise<Response> {
  const store = assets();
  let stat;
  try {
    stat = await store.stat(key);
  } catch (err) {
    if (err instanceof InvalidAssetKeyError) throw new ApiError("not_found", "No such asset.");
    throw err;
  }
  if (!stat) throw new ApiError("not_found", "No such asset.");
  const ext = key.split(".").pop() ?? "";
  const common = { "Content-Type": TYPES[ext] ?? "application/octet-stream", "Cache-Control": cacheControl, ETag: stat.etag, "Accept-Ranges": "bytes" };
  if (matches(headers?.get("if-none-match") ?? null, stat.etag)) {
    return new Response(null, { status: 304, headers: { ETag: stat.etag, "Cache-Control": cacheControl } });
  }
  // If-Range with another validator: the client's partial copy is stale, so it gets the whole asset.
  const ifRange = headers?.get("if-range");
  const range = !ifRange || ifRange === stat.etag ? parseRange(headers?.get("range") ?? null, stat.size) : null;
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${stat.size}`, "Cache-Control": cacheControl } });
  }
  let opened: AssetStream | null = await store.stream(key, range ?? undefined);
  // Replaced between stat and read (keys are written once in practice): serve what was read, whole.
  if (opened && opened.stat.etag !== stat.etag && range) {
    opened.body.destroy();
    opened = await store.stream(key);
  }
  if (!opened) throw new ApiError("not_found", "No such asset.");
  const body = Readable.toWeb(opened.body) as ReadableStream;
  const size = opened.stat.size;
  if (range && opened.stat.etag === stat.etag) {
    return new Response(body, {
      status: 206,
      headers: { ...common, ...length(range.end - range.start + 1), "Content-Range": `bytes ${range.start}-${range.end}/${size}` },
    });
  }
  return new Response(body, { headers: { ...common, ETag: opened.stat.etag, ...length(size) } });
}
