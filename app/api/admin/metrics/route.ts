import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { computeMetricsForAll, metricsOverview } from "@/lib/metrics/admin";

export const dynamic = "force-dynamic";

/** GET /api/admin/metrics (admin) → 200 {metrics: [{id, available, reason, version, definition, eligible, computed, failed, missing, ...}]} */
export const GET = apiRoute({ role: "admin", handler: async () => json({ metrics: await metricsOverview() }, 200, { "cache-control": "no-store" }) });

const ZCompute = z.object({ metric: z.string().min(1).max(100).optional() });

/** POST /api/admin/metrics {metric?} (admin) → 200 {results: [{id, available, reason, missing, enqueued}]}; 404 unknown, 409 unavailable */
export const POST = apiRoute({
  role: "admin",
  body: ZCompute,
  handler: async ({ body, user }) => json(await computeMetricsForAll(body, user)),
});
