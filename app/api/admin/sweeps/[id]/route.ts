import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { sweepLive } from "@/lib/sweeps/live";
import { cancelSweep, pauseSweep, resumeSweep, retryFailed } from "@/lib/sweeps/control";

export const dynamic = "force-dynamic";

const ZQuery = z.object({ status: z.string().max(40).optional(), model: z.string().max(100).optional(), track: z.string().max(20).optional() });

/** GET /api/admin/sweeps/{id}?status&model&track (admin) → 200 live progress (polled by the sweep page) */
export const GET = apiRoute({
  role: "admin",
  params: ZIdParams,
  query: ZQuery,
  handler: async ({ params, query }) => json(await sweepLive(params.id, query), 200, { "cache-control": "no-store" }),
});

const ZAction = z.object({
  action: z.enum(["pause", "resume", "cancel", "retry"]),
  generationIds: z.array(z.string().min(1).max(64)).max(10_000).optional(),
});

/** POST /api/admin/sweeps/{id} {action: pause | resume | cancel | retry, generationIds?} (admin) → 200 */
export const POST = apiRoute({
  role: "admin",
  params: ZIdParams,
  body: ZAction,
  // Up to 10,000 generation ids of ~25 characters each.
  maxBodyBytes: 512 * 1024,
  handler: async ({ body, params, user }) => {
    switch (body.action) {
      case "pause":
        await pauseSweep(params.id, user);
        return json({ ok: true });
      case "resume":
        return json(await resumeSweep(params.id, user));
      case "cancel":
        return json(await cancelSweep(params.id, user));
      case "retry":
        return json(await retryFailed(params.id, user, body.generationIds));
    }
  },
});
