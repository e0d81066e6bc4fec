import type { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { createModel, listModels, ZModelInput } from "@/lib/services/admin/models";

export const dynamic = "force-dynamic";

/** GET /api/admin/models (admin) → 200 {models} */
export const GET = adminRoute({ handler: async () => json({ models: await listModels() }) });

/** POST /api/admin/models {slug, displayName, provider, providerModelId, harness, settings, prices} (admin) → 201 {id} */
export const POST = adminRoute<z.infer<typeof ZModelInput>>({
  body: ZModelInput,
  handler: async ({ body, admin }) => json(await createModel(body, admin), 201),
});
