/**
 * Worker: ratings.recompute and votes.audit (both debounced after votes; one job at a time).
 * Recomputes also run, outside the queue, when the worker starts and whenever the database shows
 * work left that no job took care of (lib/services/ratings-schedule.ts RecomputeRunner).
 */
import { runWorker } from "@/lib/jobs/runtime";
import { JOBS, QUEUES } from "@/lib/jobs/constants";
import { recomputeRatingsReport } from "@/lib/services/ratings-snapshot";
import { RecomputeRunner } from "@/lib/services/ratings-schedule";
import { ratingsWorkPending } from "@/lib/services/rating-counts";
import { auditVotes } from "@/lib/services/vote-audit";
import { disconnectDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { closeQueues, enqueue } from "@/lib/jobs/queue";
import { logger } from "@/lib/log";

const log = logger("ratings");

const runner = new RecomputeRunner(async (reason) => {
  const t0 = Date.now();
  const { scopes, fold, writeMs } = await recomputeRatingsReport();
  const written = scopes.filter((r) => r.written);
  const detail = written.map((r) => `${r.scope}=${r.votes}/${Math.round(r.ms)}ms`).join(" ");
  log.info(
    `recompute (${reason}): ${written.length}/${scopes.length} scopes changed${written.length ? ` (${detail})` : ""} in ${Date.now() - t0} ms ` +
      `(fold ${Math.round(fold.ms)} ms, ${fold.rows} log rows${fold.rebuilt ? ", rebuilt" : ""}; writes ${Math.round(writeMs)} ms)`,
  );
}, ratingsWorkPending);

runWorker({
  name: "ratings",
  queue: QUEUES.ratings,
  concurrency: 1,
  handlers: {
    [JOBS.ratingsRecompute]: async (payload) => runner.run(payload.reason, true),
    [JOBS.votesAudit]: async () => {
      const t0 = Date.now();
      const res = await auditVotes();
      log.info(`audit of ${res.audited} votes: ${res.flagged} flagged, ${res.restored} restored in ${Date.now() - t0} ms`);
      if (res.flagged + res.restored > 0) await enqueue(JOBS.ratingsRecompute, { reason: "audit" }, { delayMs: 0 });
    },
  },
  onClose: async () => {
    clearInterval(reconcile);
    await closeQueues();
    await disconnectDb();
  },
});

// A fresh start computes at once, so the leaderboard reflects votes cast while the worker was down
// (or killed mid-recompute); then the timer picks up whatever no job did.
const quietMs = getEnv().RATINGS_RECONCILE_MS;
const reconcile = setInterval(() => {
  runner.reconcile(quietMs).catch((err: unknown) => log.warn(`reconcile failed: ${err instanceof Error ? err.message : String(err)}`));
}, quietMs);
await runner.run("startup").catch((err: unknown) => log.error(`startup recompute failed: ${err instanceof Error ? err.message : String(err)}`));
