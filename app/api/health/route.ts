import { apiRoute, json } from "@/lib/api/handler";
import { healthReport } from "@/lib/health/health";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  handler: async () => {
    const report = await healthReport();
    return json(report, report.status === "ok" ? 200 : 503, { "Cache-Control": "no-store" });
  },
});
