import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { requireRole } from "@/lib/auth/session";
import { resolveReports } from "@/lib/services/moderation";

export const dynamic = "force-dynamic";

const ZBody = z.object({ action: z.enum(["dismiss", "hide"]) });

/** POST /api/moderation/outputs/{generationId} {action: "dismiss" | "hide"} (maintainer) → 200 {ok: true} */
export const POST = apiRoute<z.infer<typeof ZBody>, undefined, { id: string }>({
  body: ZBody,
  handler: async ({ body, params }) => {
    const user = await requireRole("maintainer");
    await resolveReports(params.id, body.action, user.id);
    return json({ ok: true });
  },
});
