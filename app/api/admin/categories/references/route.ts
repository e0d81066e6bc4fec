import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { prepareReferences, referencesOverview } from "@/lib/categories/admin";

export const dynamic = "force-dynamic";

/** GET /api/admin/categories/references (admin) → 200 {profileLabel, blenderVersion, counts, categories} */
export const GET = apiRoute({ role: "admin", handler: async () => json(await referencesOverview(), 200, { "cache-control": "no-store" }) });

const ZPrepare = z.object({
  categoryIds: z.array(z.string().min(1).max(64)).max(5000).optional(),
  force: z.boolean().optional(),
});

/** POST /api/admin/categories/references {categoryIds?, force?} (admin) → 200 {enqueued} */
export const POST = apiRoute({
  role: "admin",
  body: ZPrepare,
  handler: async ({ body, user }) => json(await prepareReferences(body, user)),
});
