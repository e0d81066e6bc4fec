import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { listAudit } from "@/lib/moderation/audit-log";

export const dynamic = "force-dynamic";

const ZQuery = z.object({
  action: z.string().max(200).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  actor: z.string().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** GET /api/admin/audit?action&targetType&targetId&actor&limit (admin) → 200 {entries} */
export const GET = apiRoute({
  role: "admin",
  query: ZQuery,
  handler: async ({ query }) => json({ entries: await listAudit(query) }),
});
