import { apiRoute, json } from "@/lib/api/handler";
import { planSweep, ZSweepInput } from "@/lib/sweeps/plan";

export const dynamic = "force-dynamic";

/** POST /api/admin/sweeps/plan {…sweep} (admin) → 200 {generations, plannedCalls, expectedCalls, estimatedCostUsd, …} */
export const POST = apiRoute({
  role: "admin",
  body: ZSweepInput,
  handler: async ({ body }) => json(await planSweep(body)),
});
