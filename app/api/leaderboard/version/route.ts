import { apiRoute } from "@/lib/api/handler";
import { ZLeaderboardQuery } from "@/lib/contracts";
import { scopeFromQuery } from "@/lib/ratings/scope";
import { leaderboardJson } from "@/lib/leaderboard/cache";

export const dynamic = "force-dynamic";

/**
 * GET /api/leaderboard/version?<scope>: `{ "version": "..." }`, the ETag of the scope's board as the
 * API serves it. An open leaderboard tab polls this (a few dozen bytes) and re-renders only when it
 * changes, instead of re-rendering the whole page every few seconds (issue 15).
 */
export const GET = apiRoute({
  query: ZLeaderboardQuery,
  handler: async ({ query }) => {
    const { etag } = await leaderboardJson(scopeFromQuery(query));
    return Response.json({ version: etag }, { headers: { "Cache-Control": "no-store" } });
  },
});
