import { apiRoute, json } from "@/lib/api/handler";
import { ZCreateBattleBody } from "@/lib/contracts";
import { createBattle } from "@/lib/services/battles";

export const dynamic = "force-dynamic";

/** POST /api/battles {track} → 201 a battle for this voter (created on first visit, rate-limited per IP). */
export const POST = apiRoute({
  voter: "create",
  rateLimit: "battle",
  body: ZCreateBattleBody,
  handler: async ({ body, voter }) => json(await createBattle(body.track, voter), 201, { "Cache-Control": "no-store" }),
});
