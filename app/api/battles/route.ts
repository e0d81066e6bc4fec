import { apiRoute, json } from "@/lib/api/handler";
import { ZCreateBattleBody } from "@/lib/contracts";
import { createBattle } from "@/lib/services/battles";
import { currentVoter, hashIp } from "@/lib/services/voter";
import { clientIp, isHttps } from "@/lib/api/request";
import { enforceRateLimit } from "@/lib/api/rate-limit";

export const dynamic = "force-dynamic";

export const POST = apiRoute({
  body: ZCreateBattleBody,
  handler: async ({ req, body }) => {
    const voter = (await currentVoter({ create: true, secure: isHttps(req) }))!;
    await enforceRateLimit("battle", { voterId: voter.id, ipHash: hashIp(clientIp(req)) });
    return json(await createBattle(body.track, voter), 201, { "Cache-Control": "no-store" });
  },
});
