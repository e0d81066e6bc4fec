import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { reviewVote } from "@/lib/moderation/moderation";

export const dynamic = "force-dynamic";

const ZBody = z.object({ action: z.enum(["count", "exclude"]) });

/** POST /api/moderation/votes/{id} {action: "count" | "exclude"} (maintainer) → 200 {ok: true} */
export const POST = apiRoute({
  role: "maintainer",
  params: ZIdParams,
  body: ZBody,
  handler: async ({ body, params, user }) => {
    await reviewVote(params.id, body.action, user.id);
    return json({ ok: true });
  },
});
