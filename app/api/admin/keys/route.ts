import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { listKeys, setKey } from "@/lib/providers/keys-admin";

export const dynamic = "force-dynamic";

/** GET /api/admin/keys (admin) → 200 {keys: [{name, last4, updatedAt}]}; values never leave the server. */
export const GET = apiRoute({ role: "admin", handler: async () => json({ keys: await listKeys() }) });

const ZKey = z.object({ name: z.string().trim().min(1).max(100), value: z.string().trim().min(8).max(1000) });

/** POST /api/admin/keys {name, value} (admin) → 200 {name, last4} */
export const POST = apiRoute({
  role: "admin",
  body: ZKey,
  handler: async ({ body, user }) => json(await setKey(body.name, body.value, user)),
});
