/** Streams one stored asset as an HTTP response (public and staff asset routes share this). */
import { Readable } from "node:stream";
import { ApiError } from "@/lib/api/errors";
import { assets, InvalidAssetKeyError } from "./index";

const TYPES: Record<string, string> = { glb: "model/gltf-binary", png: "image/png", json: "application/json" };

export async function assetResponse(key: string, cacheControl: string): Promise<Response> {
  let loc;
  try {
    loc = await assets().locate(key);
  } catch (err) {
    if (err instanceof InvalidAssetKeyError) throw new ApiError("not_found", "No such asset.");
    throw err;
  }
  if (!loc) throw new ApiError("not_found", "No such asset.");
  const ext = key.split(".").pop() ?? "";
  const stream = Readable.toWeb(assets().stream(key) as Readable) as ReadableStream;
  return new Response(stream, {
    headers: { "Content-Type": TYPES[ext] ?? "application/octet-stream", "Content-Length": String(loc.size), "Cache-Control": cacheControl },
  });
}
