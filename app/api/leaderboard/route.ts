import { apiRoute } from "@/lib/api/handler";
import { conditionalJson } from "@/lib/api/conditional";
import { ZLeaderboardQuery } from "@/lib/contracts";
import { scopeFromQuery } from "@/lib/ratings/scope";
import { leaderboardJson } from "@/lib/leaderboard/cache";

export const dynamic = "force-dynamic";

/**
 * The board is the same for everyone and changes with each snapshot: shared caches may keep it for
 * a second, and anyone may revalidate it with its ETag (304) after that.
 */
const CACHE_CONTROL = "public, max-age=1, must-revalidate";

/** GET /api/leaderboard?track=all|text|image&tag=&voters=all|signed-in&flagged=exclude|include&style=on|off */
export const GET = apiRoute({
  query: ZLeaderboardQuery,
  handler: async ({ req, query }) => conditionalJson(req, await leaderboardJson(scopeFromQuery(query)), CACHE_CONTROL),
});
