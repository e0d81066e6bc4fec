import { apiRoute, json } from "@/lib/api/handler";
import { createModel, listModels, ZModelInput } from "@/lib/contestants/admin";

export const dynamic = "force-dynamic";

/** GET /api/admin/models (admin) → 200 {models} */
export const GET = apiRoute({ role: "admin", handler: async () => json({ models: await listModels() }) });

/** POST /api/admin/models {slug, displayName, provider, providerModelId, harness, settings, prices} (admin) → 201 {id} */
export const POST = apiRoute({
  role: "admin",
  body: ZModelInput,
  handler: async ({ body, user }) => json(await createModel(body, user), 201),
});
