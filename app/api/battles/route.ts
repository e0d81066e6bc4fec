import { apiRoute, json } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { ZCreateBattleBody } from "@/lib/contracts";
import { createBattle, ZRequestKey } from "@/lib/battles/battles";

export const dynamic = "force-dynamic";

/**
 * POST /api/battles {track} → 201 a battle for this voter (created on first visit, rate-limited per
 * IP). With an `Idempotency-Key` header, a retry of the same request gets the same battle (under a
 * fresh token) instead of a second one.
 */
export const POST = apiRoute({
  voter: "create",
  rateLimit: "battle",
  body: ZCreateBattleBody,
  handler: async ({ req, body, voter }) => {
    const key = req.headers.get("idempotency-key");
    if (key !== null && !ZRequestKey.safeParse(key).success) throw new ApiError("unprocessable", "Idempotency-Key: 8 to 64 letters, digits, - or _.");
    return json(await createBattle(body.track, voter, key), 201, { "Cache-Control": "no-store" });
  },
});
