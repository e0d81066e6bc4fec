import { Readable } from "node:stream";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { assets, InvalidAssetKeyError } from "@/lib/storage";

export const dynamic = "force-dynamic";

const TYPES: Record<string, string> = { glb: "model/gltf-binary", png: "image/png", json: "application/json" };

const ZParams = z.object({ key: z.array(z.string()).min(1) });

export const GET = apiRoute({
  params: ZParams,
  handler: async ({ params }) => {
    const key = params.key.join("/");
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
      headers: {
        "Content-Type": TYPES[ext] ?? "application/octet-stream",
        "Content-Length": String(loc.size),
        // Keys are run-unique and never rewritten, so assets are immutable.
        "Cache-Control": "public, max-age=31536000, immutable",
      },
    });
  },
});
