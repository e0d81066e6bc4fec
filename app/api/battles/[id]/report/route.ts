import { apiRoute, json } from "@/lib/api/handler";
import { ZIdParams } from "@/lib/api/params";
import { ZReportBody } from "@/lib/contracts";
import { reportSide } from "@/lib/battles/reports";

export const dynamic = "force-dynamic";

/** POST /api/battles/{id}/report {token, side, reason, note?} → 201 {ok: true} */
export const POST = apiRoute({
  voter: "optional",
  rateLimit: "report",
  params: ZIdParams,
  body: ZReportBody,
  handler: async ({ body, params, voter }) => {
    await reportSide({ battleId: params.id, ...body, voter });
    return json({ ok: true }, 201);
  },
});
