import { apiRoute, json } from "@/lib/api/handler";
import { ZJudgeRunInput } from "@/lib/judge/plan";
import { listJudgeRuns, startJudgeRun } from "@/lib/judge/runs";

export const dynamic = "force-dynamic";

/** GET /api/admin/judge/runs (admin) → 200 {runs} (newest first, with progress) */
export const GET = apiRoute({ role: "admin", handler: async () => json({ runs: await listJudgeRuns() }, 200, { "cache-control": "no-store" }) });

/** POST /api/admin/judge/runs {judge, mode, track, prompts?, budgetUsd, categorySet?, limit?} (admin) → 201 {runId, …plan} */
export const POST = apiRoute({
  role: "admin",
  body: ZJudgeRunInput,
  handler: async ({ body, user }) => json(await startJudgeRun(body, user), 201),
});
