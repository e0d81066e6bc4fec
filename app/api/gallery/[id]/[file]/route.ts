import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { galleryImage } from "@/lib/services/gallery";
import { currentVoter } from "@/lib/services/voter";

export const dynamic = "force-dynamic";

/** GET /api/gallery/{generationId}/Image_005.png: a gallery picture, if no longer blind for this visitor. */
export const GET = apiRoute<undefined, undefined, { id: string; file: string }>({
  handler: async ({ params }) => {
    if (params.file !== "Image_005.png") throw new ApiError("not_found", "No such gallery image.");
    const bytes = await galleryImage(params.id, await currentVoter({ create: false }));
    return new Response(bytes as BodyInit, {
      headers: { "Content-Type": "image/png", "Content-Length": String(bytes.byteLength), "Cache-Control": "private, max-age=300" },
    });
  },
});
