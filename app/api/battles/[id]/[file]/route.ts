import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { battleGlb } from "@/lib/battles/assets";

export const dynamic = "force-dynamic";

const ZParams = z.object({ id: z.string().min(1).max(64), file: z.enum(["a.glb", "b.glb"]) });

/** GET /api/battles/{id}/a.glb | b.glb: the battle's models, for the voter it was served to. */
export const GET = apiRoute({
  voter: "optional",
  params: ZParams,
  handler: async ({ params, voter }) => {
    const glb = await battleGlb(params.id, params.file === "a.glb" ? "a" : "b", voter);
    return new Response(glb.bytes as BodyInit, {
      headers: {
        "Content-Type": "model/gltf-binary",
        "Content-Length": String(glb.bytes.byteLength),
        // Next drops Content-Length from route handler responses; the web server restores it from
        // this header so the viewer's progress bar is a real percentage.
        "X-Content-Length": String(glb.bytes.byteLength),
        // Per voter and per battle: never in a shared cache; the browser may keep it while the
        // battle lives. no-transform: gzip would drop the length and gains little on meshopt data.
        "Cache-Control": `private, max-age=${glb.maxAgeSec}, no-transform`,
      },
    });
  },
});
