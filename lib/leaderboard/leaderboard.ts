/**
 * Leaderboard for pages and routes: the read model (leaderboard-read.ts) behind the check that the
 * scope is one the worker maintains.
 */
import "server-only";
import { ApiError } from "@/lib/api/errors";
import type { LeaderboardResponse } from "@/lib/contracts";
import { isMaintained, type RatingScope } from "@/lib/ratings/scope";
import { readLeaderboard } from "@/lib/leaderboard/read";

export { availableTags, generationMetrics, PROVISIONAL_VOTES, type GenerationMetrics } from "@/lib/leaderboard/read";

export function assertMaintained(scope: RatingScope): void {
  if (!isMaintained(scope)) {
    throw new ApiError(
      "unprocessable",
      "Choose at most one of tag, voters, flagged and style at a time: other combinations have no ratings.",
    );
  }
}

export async function getLeaderboard(scope: RatingScope): Promise<LeaderboardResponse> {
  assertMaintained(scope);
  return readLeaderboard(scope);
}
