import type { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { runImport, ZImportInput } from "@/lib/services/admin/import";

export const dynamic = "force-dynamic";

/** POST /api/admin/import {root, contestantSlug, create?} (admin) → 200 {sweepId, imported, skipped} */
export const POST = adminRoute<z.infer<typeof ZImportInput>>({
  body: ZImportInput,
  handler: async ({ body, admin }) => json(await runImport(body, admin)),
});
