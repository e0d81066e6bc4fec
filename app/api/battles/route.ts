import { apiRoute, json } from "@/lib/api/handler";
import { ZCreateBattleBody } from "@/lib/contracts";
import { createBattle } from "@/lib/services/battles";
import { currentVoter } from "@/lib/services/voter";
import { isHttps } from "@/lib/api/request";

export const dynamic = "force-dynamic";

export const POST = apiRoute({
  body: ZCreateBattleBody,
  handler: async ({ req, body }) => {
    const voter = (await currentVoter({ create: true, secure: isHttps(req) }))!;
    return json(await createBattle(body.track, voter), 201, { "Cache-Control": "no-store" });
  },
});
