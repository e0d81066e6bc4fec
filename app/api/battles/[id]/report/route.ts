import type { z } from "zod";
import { apiRoute, json } from "@/lib/api/handler";
import { ZReportBody } from "@/lib/contracts";
import { reportSide } from "@/lib/services/reports";
import { currentVoter, hashIp } from "@/lib/services/voter";
import { clientIp } from "@/lib/api/request";
import { enforceRateLimit } from "@/lib/api/rate-limit";

export const dynamic = "force-dynamic";

/** POST /api/battles/{id}/report {token, side, reason, note?} → 201 {ok: true} */
export const POST = apiRoute<z.infer<typeof ZReportBody>, undefined, { id: string }>({
  body: ZReportBody,
  handler: async ({ req, body, params }) => {
    const voter = await currentVoter({ create: false });
    await enforceRateLimit("report", { voterId: voter?.id ?? null, ipHash: hashIp(clientIp(req)) });
    await reportSide({ battleId: params.id, ...body, voter });
    return json({ ok: true }, 201);
  },
});
