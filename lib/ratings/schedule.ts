/**
 * When the ratings worker may start its next recompute (the debounce that adapts to load): after a
 * recompute that took D ms it waits until D ms have passed since that one ended, on top of the
 * queue's RATINGS_DEBOUNCE_MS, so under heavy voting it refits at most half the time and each refit
 * takes in every vote cast meanwhile (BullMQ keeps one pending recompute while one runs). And it
 * starts at most one recompute per `minIntervalMs` (RATINGS_MIN_INTERVAL_MS): a vote after a quiet
 * spell shows within the debounce, but under continuous voting the board is refitted every few
 * seconds rather than every debounce: each refit also costs the database its writes and every web
 * process a reload, and at 1.5 s apart that took a fifth of the vote throughput (README, issue 12).
 * Capped so that one slow outlier never holds the leaderboard back long.
 */
export const MAX_BACKOFF_MS = 60_000;

export function recomputeBackoffMs(last: { endedAt: number; durationMs: number } | null, now: number, minIntervalMs = 0): number {
  if (!last) return 0;
  const startedAt = last.endedAt - last.durationMs;
  return Math.max(0, Math.min(Math.max(last.endedAt + last.durationMs, startedAt + minIntervalMs) - now, MAX_BACKOFF_MS));
}

export interface RecomputeTiming {
  endedAt: number;
  durationMs: number;
}

/**
 * The ratings worker's recomputes, one at a time in the process, whatever starts them: a queued
 * job (after the adaptive backoff), the worker's start, or the reconcile timer.
 *
 * The start and the timer do not go through BullMQ on purpose: a job whose worker was killed stays
 * "active" until BullMQ's stalled check reclaims it (tens of seconds), and the debounced jobs queue
 * behind it. Reading the database instead (votes not yet folded, scopes not yet published) lets a
 * restarted worker catch up at once and covers a recompute that was never enqueued (Redis down
 * when the vote came).
 */
export class RecomputeRunner {
  last: RecomputeTiming | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private busy = 0;

  constructor(
    private readonly recompute: (reason: string) => Promise<void>,
    private readonly pending: () => Promise<boolean>,
    private readonly now: () => number = Date.now,
    /** At most one debounced recompute starts per this many ms (recomputeBackoffMs). */
    private readonly minIntervalMs = 0,
  ) {}

  /** Runs one recompute after those already started here; `debounced` waits the adaptive backoff first. */
  run(reason: string, debounced = false): Promise<void> {
    this.busy++;
    const next = this.tail.then(async () => {
      try {
        const wait = debounced ? recomputeBackoffMs(this.last, this.now(), this.minIntervalMs) : 0;
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = this.now();
        await this.recompute(wait > 0 ? `${reason} after ${wait} ms backoff` : reason);
        this.last = { endedAt: this.now(), durationMs: this.now() - t0 };
      } finally {
        this.busy--;
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * For a timer: recomputes when the database has work left and nothing else will do it soon, i.e.
   * no recompute runs or waits here and none ended within `quietMs` (nor within the backoff, so a
   * heavy voting load keeps its adaptive pace). Returns whether it ran one.
   */
  async reconcile(quietMs: number): Promise<boolean> {
    if (this.busy > 0) return false;
    const now = this.now();
    if (this.last && (now - this.last.endedAt < quietMs || recomputeBackoffMs(this.last, now, this.minIntervalMs) > 0)) return false;
    if (!(await this.pending())) return false;
    if (this.busy > 0) return false;
    await this.run("reconcile");
    return true;
  }
}
