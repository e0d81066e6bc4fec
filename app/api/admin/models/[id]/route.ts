import { z } from "zod";
import { json } from "@/lib/api/handler";
import { adminRoute } from "@/lib/services/admin/guard";
import { setModelStatus, testModel, updateModel, ZModelInput } from "@/lib/services/admin/models";

export const dynamic = "force-dynamic";

/** PUT /api/admin/models/{id} {…model} (admin) → 200 {ok} */
export const PUT = adminRoute<z.infer<typeof ZModelInput>, undefined, { id: string }>({
  body: ZModelInput,
  handler: async ({ body, params, admin }) => {
    await updateModel(params.id, body, admin);
    return json({ ok: true });
  },
});

const ZAction = z.object({ action: z.enum(["hide", "unhide", "test"]) });

/** POST /api/admin/models/{id} {action: hide | unhide | test} (admin) → 200 {ok} or the test result */
export const POST = adminRoute<z.infer<typeof ZAction>, undefined, { id: string }>({
  body: ZAction,
  handler: async ({ body, params, admin }) => {
    if (body.action === "test") return json(await testModel(params.id, admin));
    await setModelStatus(params.id, body.action === "hide" ? "hidden" : "active", admin);
    return json({ ok: true });
  },
});
