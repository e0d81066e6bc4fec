import { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { listAudit } from "@/lib/services/admin/audit";

export const dynamic = "force-dynamic";

const ZQuery = z.object({
  action: z.string().optional(),
  targetType: z.string().optional(),
  targetId: z.string().optional(),
  actor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** GET /api/admin/audit?action&targetType&targetId&actor&limit (admin) → 200 {entries} */
export const GET = adminRoute<undefined, z.infer<typeof ZQuery>>({
  query: ZQuery,
  handler: async ({ query }) => json({ entries: await listAudit(query) }),
});
