/**
 * Leaderboard for pages and routes: the read model (leaderboard-read.ts) behind the check that the
 * scope is one the worker maintains.
 */
import "server-only";
import type { LeaderboardResponse } from "@/lib/contracts";
import type { RatingScope } from "@/lib/ratings/scope";
import { assertMaintained, readLeaderboard } from "@/lib/leaderboard/read";

export { assertMaintained, availableTags, generationMetrics, PROVISIONAL_VOTES, type GenerationMetrics } from "@/lib/leaderboard/read";

export async function getLeaderboard(scope: RatingScope): Promise<LeaderboardResponse> {
  assertMaintained(scope);
  return readLeaderboard(scope);
}
