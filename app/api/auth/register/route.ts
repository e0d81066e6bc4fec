import { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { db, Prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { clientIp } from "@/lib/api/request";
import { hashIp } from "@/lib/services/voter";

export const dynamic = "force-dynamic";

const ZRegister = z.object({
  email: z.string().trim().toLowerCase().email("a valid email address"),
  password: z.string().min(8, "at least 8 characters").max(200),
  name: z.string().trim().max(80).optional(),
});

/** POST /api/auth/register {email, password, name?} → 201 {ok: true}; then sign in with next-auth credentials. */
export const POST = apiRoute({
  body: ZRegister,
  handler: async ({ req, body }) => {
    await enforceRateLimit("report", { voterId: null, ipHash: hashIp(clientIp(req)) });
    try {
      await db().user.create({ data: { email: body.email, name: body.name || null, passwordHash: await hashPassword(body.password) } });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
        throw new ApiError("conflict", "An account with this email already exists. Sign in instead.");
      }
      throw err;
    }
    return json({ ok: true }, 201);
  },
});
