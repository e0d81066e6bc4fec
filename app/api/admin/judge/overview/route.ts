import { apiRoute, json } from "@/lib/api/handler";
import { computeJudgeOverview } from "@/lib/judge/overview";

export const dynamic = "force-dynamic";

/** GET /api/admin/judge/overview (admin) → 200 {groups}: agreement, confusion matrix, judge and human boards per judge model, mode, track */
export const GET = apiRoute({
  role: "admin",
  handler: async () => json({ groups: await computeJudgeOverview() }, 200, { "cache-control": "no-store" }),
});
