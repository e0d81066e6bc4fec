import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { consumeVerification } from "@/lib/auth/verification";

export const dynamic = "force-dynamic";

const ZVerify = z.object({
  token: z.string().min(20).max(200),
  password: z.string().min(8, "at least 8 characters").max(200, "at most 200 characters"),
});

/**
 * POST /api/auth/verify {token, password} → 200 {ok, email, passwordChanged}: confirms the address
 * of a verification link (single use) and applies env roles; 403 bad_token for an invalid, used or
 * expired link. Rate-limited like registration: each try costs a password hash.
 */
export const POST = apiRoute({
  rateLimit: "register",
  body: ZVerify,
  handler: async ({ body }) => json({ ok: true, ...(await consumeVerification(body.token, body.password)) }),
});
