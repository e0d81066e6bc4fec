import { apiRoute } from "@/lib/api/handler";
import { ZVoteExportQuery } from "@/lib/contracts";
import { openVoteExportStream, VOTE_EXPORT_CONTENT_TYPE, voteExportFilename } from "@/lib/battles/vote-export";

export const dynamic = "force-dynamic";

/** Anonymised votes as JSONL or CSV, streamed: see README "Vote export". */
export const GET = apiRoute({
  query: ZVoteExportQuery,
  handler: async ({ query, req }) => {
    const body = await openVoteExportStream(query.format, {
      track: query.track,
      valid: query.valid === "all" ? undefined : query.valid === "true",
      since: query.since,
      until: query.until,
      // Next cancels the body when the client disconnects; the signal covers runtimes that only
      // abort the request. Either way the stream stops querying.
      signal: req.signal,
    });
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": VOTE_EXPORT_CONTENT_TYPE[query.format],
        "Content-Disposition": `attachment; filename="${voteExportFilename(query.format)}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
