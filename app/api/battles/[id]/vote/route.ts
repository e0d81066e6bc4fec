import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { ZVoteBody } from "@/lib/contracts";
import { castVote } from "@/lib/services/battles";

export const dynamic = "force-dynamic";

/** POST /api/battles/{id}/vote {token, outcome, …signals} → 201 {reveal} */
export const POST = apiRoute({
  voter: "optional",
  rateLimit: "vote",
  params: ZIdParams,
  body: ZVoteBody,
  handler: async ({ body, params, voter, ipHash }) => json(await castVote({ battleId: params.id, ...body, voter, ipHash }), 201),
});
