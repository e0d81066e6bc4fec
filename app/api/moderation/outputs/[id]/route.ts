import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { resolveReports } from "@/lib/moderation/moderation";

export const dynamic = "force-dynamic";

const ZBody = z.object({ action: z.enum(["dismiss", "hide"]) });

/** POST /api/moderation/outputs/{generationId} {action: "dismiss" | "hide"} (maintainer) → 200 {ok: true} */
export const POST = apiRoute({
  role: "maintainer",
  params: ZIdParams,
  body: ZBody,
  handler: async ({ body, params, user }) => {
    await resolveReports(params.id, body.action, user.id);
    return json({ ok: true });
  },
});
