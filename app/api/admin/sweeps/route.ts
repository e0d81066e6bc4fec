import type { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { listSweeps } from "@/lib/services/admin/sweep-live";
import { startSweep } from "@/lib/services/admin/sweep-control";
import { ZSweepInput } from "@/lib/services/admin/sweep-plan";

export const dynamic = "force-dynamic";

/** GET /api/admin/sweeps (admin) → 200 {sweeps} */
export const GET = adminRoute({ handler: async () => json({ sweeps: await listSweeps() }) });

/** POST /api/admin/sweeps {name, contestants, categories, tracks, harness, retries, profile} (admin) → 201 {sweepId, generations} */
export const POST = adminRoute<z.infer<typeof ZSweepInput>>({
  body: ZSweepInput,
  handler: async ({ body, admin }) => json(await startSweep(body, admin), 201),
});
