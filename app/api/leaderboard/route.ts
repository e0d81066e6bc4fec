import { apiRoute, json } from "@/lib/api/handler";
import { ZLeaderboardQuery } from "@/lib/contracts";
import { getLeaderboard } from "@/lib/services/leaderboard";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  query: ZLeaderboardQuery,
  handler: async ({ query }) => json(await getLeaderboard(query.track), 200, { "Cache-Control": "no-store" }),
});
