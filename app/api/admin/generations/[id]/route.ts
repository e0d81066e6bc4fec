import { z } from "zod";
import { json } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { adminRoute } from "@/lib/services/admin/guard";
import { generationDetail, reviewGeneration } from "@/lib/services/admin/generations";
import { retryFailed } from "@/lib/services/admin/sweep-control";
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /api/admin/generations/{id} (admin) → 200 the generation with every attempt */
export const GET = adminRoute<undefined, undefined, { id: string }>({
  handler: async ({ params }) => {
    const g = await generationDetail(params.id);
    if (!g) throw new ApiError("not_found", "This generation does not exist.");
    return json(g);
  },
});

const ZAction = z.object({ action: z.enum(["hide", "unhide", "approve", "retry"]) });

/** POST /api/admin/generations/{id} {action: hide | unhide | approve | retry} (admin) → 200 */
export const POST = adminRoute<z.infer<typeof ZAction>, undefined, { id: string }>({
  body: ZAction,
  handler: async ({ body, params, admin }) => {
    if (body.action === "retry") {
      const g = await db().generation.findUnique({ where: { id: params.id }, select: { sweepId: true } });
      if (!g) throw new ApiError("not_found", "This generation does not exist.");
      return json(await retryFailed(g.sweepId, admin, [params.id]));
    }
    return json(await reviewGeneration(params.id, body.action, admin));
  },
});
