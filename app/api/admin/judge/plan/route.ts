import { apiRoute, json } from "@/lib/api/handler";
import { planJudgeRun, ZJudgeRunInput } from "@/lib/judge/plan";

export const dynamic = "force-dynamic";

/** POST /api/admin/judge/plan {judge, mode, track, prompts?, budgetUsd, categorySet?, limit?} (admin) → 200 {battles, toJudge, estimatedCostUsd, worstCaseCostUsd, coveredCalls, …} */
export const POST = apiRoute({
  role: "admin",
  body: ZJudgeRunInput,
  handler: async ({ body }) => json(await planJudgeRun(body)),
});
