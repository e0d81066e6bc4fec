import type { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZVoteBody } from "@/lib/contracts";
import { castVote } from "@/lib/services/battles";
import { currentVoter, hashIp } from "@/lib/services/voter";
import { clientIp } from "@/lib/api/request";
import { enforceRateLimit } from "@/lib/api/rate-limit";

export const dynamic = "force-dynamic";

export const POST = apiRoute<z.infer<typeof ZVoteBody>, undefined, { id: string }>({
  body: ZVoteBody,
  handler: async ({ req, body, params }) => {
    const voter = await currentVoter({ create: false });
    const ipHash = hashIp(clientIp(req));
    await enforceRateLimit("vote", { voterId: voter?.id ?? null, ipHash });
    const res = await castVote({ battleId: params.id, ...body, voter, ipHash });
    return json(res, 201);
  },
});
