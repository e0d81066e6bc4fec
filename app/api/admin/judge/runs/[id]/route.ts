import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { cancelJudgeRun, judgeRunProgress } from "@/lib/judge/runs";

export const dynamic = "force-dynamic";

/** GET /api/admin/judge/runs/{id} (admin) → 200 progress: status, counts per verdict status, spent, tokens */
export const GET = apiRoute({
  role: "admin",
  params: ZIdParams,
  handler: async ({ params }) => json(await judgeRunProgress(params.id), 200, { "cache-control": "no-store" }),
});

/** POST /api/admin/judge/runs/{id} {action: "cancel"} (admin) → 200 progress; 409 when it already ended */
export const POST = apiRoute({
  role: "admin",
  params: ZIdParams,
  body: z.object({ action: z.literal("cancel") }),
  handler: async ({ params, user }) => {
    await cancelJudgeRun(params.id, user);
    return json(await judgeRunProgress(params.id));
  },
});
