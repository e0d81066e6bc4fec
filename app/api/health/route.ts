import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { healthReport, type HealthProbe } from "@/lib/health/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health → 200 {status: "ok", checks} or 503 {status: "degraded", checks}.
 * `?probe=live` (a liveness probe): only that this process answers, no dependency touched, so a
 * database outage never restarts every web pod. `?probe=ready` (a readiness probe): what a web
 * process needs to serve (database, Redis); the workers and Blender, which can be scaled to zero
 * or restarting, do not take the web tier out of its load balancer. No probe: everything.
 */
const ZQuery = z.object({ probe: z.enum(["live", "ready"]).optional() });

export const GET = apiRoute({
  query: ZQuery,
  handler: async ({ query }) => {
    const report = await healthReport((query?.probe ?? "full") as HealthProbe);
    return json(report, report.status === "ok" ? 200 : 503, { "Cache-Control": "no-store" });
  },
});
