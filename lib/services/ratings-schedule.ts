/**
 * When the ratings worker may start its next recompute (the debounce that adapts to load): after a
 * recompute that took D ms it waits until D ms have passed since that one ended, on top of the
 * queue's RATINGS_DEBOUNCE_MS, so under heavy voting it refits at most half the time and each refit
 * takes in every vote cast meanwhile (BullMQ keeps one pending recompute while one runs). Capped so
 * that one slow outlier never holds the leaderboard back long.
 */
export const MAX_BACKOFF_MS = 60_000;

export function recomputeBackoffMs(last: { endedAt: number; durationMs: number } | null, now: number): number {
  if (!last) return 0;
  return Math.max(0, Math.min(last.endedAt + last.durationMs - now, MAX_BACKOFF_MS));
}
