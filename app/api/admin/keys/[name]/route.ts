import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { deleteKey } from "@/lib/services/admin/keys";

export const dynamic = "force-dynamic";

/** DELETE /api/admin/keys/{name} (admin) → 200 {ok} */
export const DELETE = adminRoute<undefined, undefined, { name: string }>({
  handler: async ({ params, admin }) => {
    await deleteKey(decodeURIComponent(params.name), admin);
    return json({ ok: true });
  },
});
