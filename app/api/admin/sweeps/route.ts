import { apiRoute, json } from "@/lib/api/handler";
import { listSweeps } from "@/lib/sweeps/live";
import { startSweep } from "@/lib/sweeps/control";
import { ZSweepInput } from "@/lib/sweeps/plan";

export const dynamic = "force-dynamic";

/** GET /api/admin/sweeps (admin) → 200 {sweeps} */
export const GET = apiRoute({ role: "admin", handler: async () => json({ sweeps: await listSweeps() }) });

/** POST /api/admin/sweeps {name, contestants, categories, tracks, harness, retries, profile} (admin) → 201 {sweepId, generations} */
export const POST = apiRoute({
  role: "admin",
  body: ZSweepInput,
  handler: async ({ body, user }) => json(await startSweep(body, user), 201),
});
