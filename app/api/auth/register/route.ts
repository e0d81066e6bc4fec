import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { registerAccount, REGISTERED_MESSAGE } from "@/lib/auth/accounts";

export const dynamic = "force-dynamic";

/** RFC 5321 caps a path at 256 octets, so an address is at most 254; the form says the same. */
const ZRegister = z.object({
  email: z.string().trim().toLowerCase().max(254, "at most 254 characters").email("a valid email address"),
  password: z.string().min(8, "at least 8 characters").max(200, "at most 200 characters"),
  name: z.string().trim().max(80, "at most 80 characters").optional(),
});

/**
 * POST /api/auth/register {email, password, name?} → 201 {ok, message}, the same for new and
 * existing addresses (no account enumeration); then sign in with next-auth credentials.
 */
export const POST = apiRoute({
  rateLimit: "register",
  body: ZRegister,
  handler: async ({ body }) => {
    await registerAccount(body);
    return json({ ok: true, message: REGISTERED_MESSAGE }, 201);
  },
});
