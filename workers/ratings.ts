/** Worker: ratings.recompute and votes.audit (both debounced after votes; one job at a time). */
import { runWorker } from "@/lib/jobs/runtime";
import { JOBS, QUEUES } from "@/lib/jobs/constants";
import { recomputeRatingsReport } from "@/lib/services/ratings-snapshot";
import { recomputeBackoffMs } from "@/lib/services/ratings-schedule";
import { auditVotes } from "@/lib/services/vote-audit";
import { disconnectDb } from "@/lib/db";
import { closeQueues, enqueue } from "@/lib/jobs/queue";
import { logger } from "@/lib/log";

const log = logger("ratings");

/** The last recompute, for the adaptive debounce (lib/services/ratings-schedule.ts). */
let last: { endedAt: number; durationMs: number } | null = null;

runWorker({
  name: "ratings",
  queue: QUEUES.ratings,
  concurrency: 1,
  handlers: {
    [JOBS.ratingsRecompute]: async () => {
      const wait = recomputeBackoffMs(last, Date.now());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t0 = Date.now();
      const { scopes, fold, writeMs } = await recomputeRatingsReport();
      const endedAt = Date.now();
      last = { endedAt, durationMs: endedAt - t0 };
      const lastDurationMs = last.durationMs;
      const written = scopes.filter((r) => r.written);
      const detail = written.map((r) => `${r.scope}=${r.votes}/${Math.round(r.ms)}ms`).join(" ");
      log.info(
        `${written.length}/${scopes.length} scopes changed${written.length ? ` (${detail})` : ""} in ${lastDurationMs} ms ` +
          `(fold ${Math.round(fold.ms)} ms, ${fold.rows} log rows${fold.rebuilt ? ", rebuilt" : ""}; writes ${Math.round(writeMs)} ms)` +
          `${wait > 0 ? ` after ${wait} ms backoff` : ""}`,
      );
    },
    [JOBS.votesAudit]: async () => {
      const t0 = Date.now();
      const res = await auditVotes();
      log.info(`audit of ${res.audited} votes: ${res.flagged} flagged, ${res.restored} restored in ${Date.now() - t0} ms`);
      if (res.flagged + res.restored > 0) await enqueue(JOBS.ratingsRecompute, { reason: "audit" }, { delayMs: 0 });
    },
  },
  onClose: async () => {
    await closeQueues();
    await disconnectDb();
  },
});

// A fresh start computes once, so the leaderboard reflects votes cast while workers were down.
await enqueue(JOBS.ratingsRecompute, { reason: "startup" }, { delayMs: 0 });
