import { apiRoute, json } from "@/lib/api/handler";
import { ZVoteBody } from "@/lib/contracts";
import { castVote } from "@/lib/services/battles";
import { currentVoter, hashIp } from "@/lib/services/voter";
import { clientIp } from "@/lib/api/request";

export const dynamic = "force-dynamic";

export const POST = apiRoute<import("zod").infer<typeof ZVoteBody>, undefined, { id: string }>({
  body: ZVoteBody,
  handler: async ({ req, body, params }) => {
    const voter = await currentVoter({ create: false });
    const res = await castVote({
      battleId: params.id,
      token: body.token,
      outcome: body.outcome,
      decisionMs: body.decisionMs,
      voter,
      ipHash: hashIp(clientIp(req)),
    });
    return json(res, 201);
  },
});
