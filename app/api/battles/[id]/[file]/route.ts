import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { battleGlb } from "@/lib/services/battle-assets";
import { currentVoter } from "@/lib/services/voter";

export const dynamic = "force-dynamic";

/** GET /api/battles/{id}/a.glb | b.glb: the battle's models, for the voter it was served to. */
export const GET = apiRoute<undefined, undefined, { id: string; file: string }>({
  handler: async ({ params }) => {
    const side = params.file === "a.glb" ? "a" : params.file === "b.glb" ? "b" : null;
    if (!side) throw new ApiError("not_found", "No such battle model.");
    const voter = await currentVoter({ create: false });
    const glb = await battleGlb(params.id, side, voter);
    return new Response(glb.bytes as BodyInit, {
      headers: {
        "Content-Type": "model/gltf-binary",
        "Content-Length": String(glb.bytes.byteLength),
        // Next drops Content-Length from route handler responses; the web server restores it from
        // this header so the viewer's progress bar is a real percentage.
        "X-Content-Length": String(glb.bytes.byteLength),
        // Per voter and per battle: never in a shared cache; the browser may keep it while the battle lives.
        "Cache-Control": `private, max-age=${glb.maxAgeSec}, no-transform`,
      },
    });
  },
});
