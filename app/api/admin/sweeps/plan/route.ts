import type { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { planSweep, ZSweepInput } from "@/lib/services/admin/sweep-plan";

export const dynamic = "force-dynamic";

/** POST /api/admin/sweeps/plan {…sweep} (admin) → 200 {generations, plannedCalls, expectedCalls, estimatedCostUsd, …} */
export const POST = adminRoute<z.infer<typeof ZSweepInput>>({
  body: ZSweepInput,
  handler: async ({ body }) => json(await planSweep(body)),
});
