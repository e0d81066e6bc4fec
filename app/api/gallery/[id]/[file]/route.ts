import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { galleryImage } from "@/lib/leaderboard/gallery";

export const dynamic = "force-dynamic";

const ZParams = z.object({ id: z.string().min(1).max(64), file: z.enum(["view.png", "Image_005.png"]) });

/**
 * GET /api/gallery/{generationId}/view.png: a gallery picture (its display view, or the first
 * benchmark view for older runs), if no longer blind for this visitor; Image_005.png: the benchmark's first view.
 */
export const GET = apiRoute({
  voter: "optional",
  params: ZParams,
  handler: async ({ params, voter }) => {
    const bytes = await galleryImage(params.id, voter, params.file);
    return new Response(bytes as BodyInit, {
      headers: { "Content-Type": "image/png", "Content-Length": String(bytes.byteLength), "Cache-Control": "private, max-age=300" },
    });
  },
});
