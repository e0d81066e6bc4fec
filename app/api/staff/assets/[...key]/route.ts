import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { assetResponse } from "@/lib/storage/respond";

export const dynamic = "force-dynamic";

const ZParams = z.object({ key: z.array(z.string()).min(1) });

/** Any stored asset (outputs of every model, metric GLBs), for maintainers and admins only. */
export const GET = apiRoute({
  role: "maintainer",
  params: ZParams,
  // Private: a shared cache must never hand a staff-only asset to someone else.
  handler: async ({ params, req }) => assetResponse(params.key.join("/"), "private, max-age=3600", req.headers),
});
