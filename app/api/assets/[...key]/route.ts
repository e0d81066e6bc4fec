import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { isPublicAssetKey } from "@/lib/storage";
import { assetResponse } from "@/lib/storage/respond";

export const dynamic = "force-dynamic";

const ZParams = z.object({ key: z.array(z.string()).min(1) });

/** Public assets only (a category's reference views); every other key answers 404 here. */
export const GET = apiRoute({
  params: ZParams,
  handler: async ({ params, req }) => {
    const key = params.key.join("/");
    if (!isPublicAssetKey(key)) throw new ApiError("not_found", "No such asset.");
    // Keys are content-addressed per reference run and never rewritten: immutable.
    return assetResponse(key, "public, max-age=31536000, immutable", req.headers);
  },
});
