import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { galleryImage } from "@/lib/leaderboard/gallery";

export const dynamic = "force-dynamic";

const ZParams = z.object({ id: z.string().min(1).max(64), file: z.literal("Image_005.png") });

/** GET /api/gallery/{generationId}/Image_005.png: a gallery picture, if no longer blind for this visitor. */
export const GET = apiRoute({
  voter: "optional",
  params: ZParams,
  handler: async ({ params, voter }) => {
    const bytes = await galleryImage(params.id, voter);
    return new Response(bytes as BodyInit, {
      headers: { "Content-Type": "image/png", "Content-Length": String(bytes.byteLength), "Cache-Control": "private, max-age=300" },
    });
  },
});
