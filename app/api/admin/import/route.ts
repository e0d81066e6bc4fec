import { apiRoute, json } from "@/lib/api/handler";
import { runImport, ZImportInput } from "@/lib/runs/admin";

export const dynamic = "force-dynamic";

/** POST /api/admin/import {root, contestantSlug, create?} (admin) → 200 {sweepId, imported, skipped} */
export const POST = apiRoute({
  role: "admin",
  body: ZImportInput,
  handler: async ({ body, user }) => json(await runImport(body, user)),
});
