import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { deleteKey } from "@/lib/providers/keys-admin";

export const dynamic = "force-dynamic";

const ZParams = z.object({ name: z.string().min(1).max(300) });

/** DELETE /api/admin/keys/{name} (admin) → 200 {ok} */
export const DELETE = apiRoute({
  role: "admin",
  params: ZParams,
  handler: async ({ params, user }) => {
    await deleteKey(decodeURIComponent(params.name), user);
    return json({ ok: true });
  },
});
