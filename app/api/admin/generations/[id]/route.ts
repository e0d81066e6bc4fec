import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { ApiError } from "@/lib/api/errors";
import { generationDetail, reviewGeneration } from "@/lib/generations/admin";
import { retryGeneration } from "@/lib/sweeps/control";

export const dynamic = "force-dynamic";

/** GET /api/admin/generations/{id} (admin) → 200 the generation with every attempt */
export const GET = apiRoute({
  role: "admin",
  params: ZIdParams,
  handler: async ({ params }) => {
    const g = await generationDetail(params.id);
    if (!g) throw new ApiError("not_found", "This generation does not exist.");
    return json(g);
  },
});

const ZAction = z.object({ action: z.enum(["hide", "unhide", "approve", "retry"]) });

/** POST /api/admin/generations/{id} {action: hide | unhide | approve | retry} (admin) → 200 */
export const POST = apiRoute({
  role: "admin",
  params: ZIdParams,
  body: ZAction,
  handler: async ({ body, params, user }) => {
    if (body.action === "retry") return json(await retryGeneration(params.id, user));
    return json(await reviewGeneration(params.id, body.action, user));
  },
});
