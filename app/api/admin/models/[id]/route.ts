import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { setModelStatus, testModel, updateModel, ZModelInput } from "@/lib/contestants/admin";

export const dynamic = "force-dynamic";

/** PUT /api/admin/models/{id} {…model} (admin) → 200 {ok} */
export const PUT = apiRoute({
  role: "admin",
  params: ZIdParams,
  body: ZModelInput,
  handler: async ({ body, params, user }) => {
    await updateModel(params.id, body, user);
    return json({ ok: true });
  },
});

const ZAction = z.object({ action: z.enum(["hide", "unhide", "test"]) });

/** POST /api/admin/models/{id} {action: hide | unhide | test} (admin) → 200 {ok} or the test result */
export const POST = apiRoute({
  role: "admin",
  params: ZIdParams,
  body: ZAction,
  handler: async ({ body, params, user }) => {
    if (body.action === "test") return json(await testModel(params.id, user));
    await setModelStatus(params.id, body.action === "hide" ? "hidden" : "active", user);
    return json({ ok: true });
  },
});
