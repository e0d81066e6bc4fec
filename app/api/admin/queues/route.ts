import { apiRoute, json } from "@/lib/api/handler";
import { queueHealth } from "@/lib/jobs/queue-health";

export const dynamic = "force-dynamic";

/** GET /api/admin/queues (admin) → 200 {queues: [{queue, waiting, active, delayed, failed, completed}]} */
export const GET = apiRoute({ role: "admin", handler: async () => json({ queues: await queueHealth() }, 200, { "cache-control": "no-store" }) });
