import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { ZVoteBody } from "@/lib/contracts";
import { castVote } from "@/lib/battles/battles";

export const dynamic = "force-dynamic";

/**
 * POST /api/battles/{id}/vote {token, outcome, …signals} → 201 {reveal}; the same vote sent again
 * (its answer lost on the way) → 200 with the same reveal; another outcome → 409.
 */
export const POST = apiRoute({
  voter: "optional",
  rateLimit: "vote",
  params: ZIdParams,
  body: ZVoteBody,
  handler: async ({ body, params, voter, ipHash }) => {
    const { response, replayed } = await castVote({ battleId: params.id, ...body, voter, ipHash });
    return json(response, replayed ? 200 : 201);
  },
});
