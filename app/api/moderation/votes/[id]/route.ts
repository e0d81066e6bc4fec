import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { requireRole } from "@/lib/auth/session";
import { reviewVote } from "@/lib/services/moderation";

export const dynamic = "force-dynamic";

const ZBody = z.object({ action: z.enum(["count", "exclude"]) });

/** POST /api/moderation/votes/{id} {action: "count" | "exclude"} (maintainer) → 200 {ok: true} */
export const POST = apiRoute<z.infer<typeof ZBody>, undefined, { id: string }>({
  body: ZBody,
  handler: async ({ body, params }) => {
    const user = await requireRole("maintainer");
    await reviewVote(params.id, body.action, user.id);
    return json({ ok: true });
  },
});
