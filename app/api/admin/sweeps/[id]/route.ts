import { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { sweepLive } from "@/lib/services/admin/sweep-live";
import { cancelSweep, pauseSweep, resumeSweep, retryFailed } from "@/lib/services/admin/sweep-control";

export const dynamic = "force-dynamic";

const ZQuery = z.object({ status: z.string().optional(), model: z.string().optional(), track: z.string().optional() });

/** GET /api/admin/sweeps/{id}?status&model&track (admin) → 200 live progress (polled by the sweep page) */
export const GET = adminRoute<undefined, z.infer<typeof ZQuery>, { id: string }>({
  query: ZQuery,
  handler: async ({ params, query }) => json(await sweepLive(params.id, query), 200, { "cache-control": "no-store" }),
});

const ZAction = z.object({
  action: z.enum(["pause", "resume", "cancel", "retry"]),
  generationIds: z.array(z.string().min(1)).max(10_000).optional(),
});

/** POST /api/admin/sweeps/{id} {action: pause | resume | cancel | retry, generationIds?} (admin) → 200 */
export const POST = adminRoute<z.infer<typeof ZAction>, undefined, { id: string }>({
  body: ZAction,
  handler: async ({ body, params, admin }) => {
    switch (body.action) {
      case "pause":
        await pauseSweep(params.id, admin);
        return json({ ok: true });
      case "resume":
        return json(await resumeSweep(params.id, admin));
      case "cancel":
        return json(await cancelSweep(params.id, admin));
      case "retry":
        return json(await retryFailed(params.id, admin, body.generationIds));
    }
  },
});
