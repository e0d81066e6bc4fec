import { apiRoute, json } from "@/lib/api/handler";
import { ZLeaderboardQuery } from "@/lib/contracts";
import { scopeFromQuery } from "@/lib/ratings/scope";
import { getLeaderboard } from "@/lib/leaderboard/leaderboard";

export const dynamic = "force-dynamic";

/** GET /api/leaderboard?track=all|text|image&tag=&voters=all|signed-in&flagged=exclude|include&style=on|off */
export const GET = apiRoute({
  query: ZLeaderboardQuery,
  handler: async ({ query }) => json(await getLeaderboard(scopeFromQuery(query)), 200, { "Cache-Control": "no-store" }),
});
