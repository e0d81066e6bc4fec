import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { resolveReports } from "@/lib/moderation/moderation";

export const dynamic = "force-dynamic";

const ZBody = z.object({ action: z.enum(["dismiss", "hide", "unhide"]) });

/**
 * POST /api/moderation/outputs/{generationId} {action: "dismiss" | "hide" | "unhide"} (maintainer)
 * → 200 {ok: true}. "unhide" undoes a moderator's hide (409 otherwise) and reopens its reports.
 * Every action is in the audit log.
 */
export const POST = apiRoute({
  role: "maintainer",
  params: ZIdParams,
  body: ZBody,
  handler: async ({ body, params, user }) => {
    await resolveReports(params.id, body.action, user.id);
    return json({ ok: true });
  },
});
