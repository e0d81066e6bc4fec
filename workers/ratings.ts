/** Worker: ratings.recompute and votes.audit (both debounced after votes; one job at a time). */
import { runWorker } from "@/lib/jobs/runtime";
import { JOBS, QUEUES } from "@/lib/jobs/constants";
import { recomputeRatings } from "@/lib/services/ratings-snapshot";
import { auditVotes } from "@/lib/services/vote-audit";
import { disconnectDb } from "@/lib/db";
import { closeQueues, enqueue } from "@/lib/jobs/queue";
import { logger } from "@/lib/log";

const log = logger("ratings");

runWorker({
  name: "ratings",
  queue: QUEUES.ratings,
  concurrency: 1,
  handlers: {
    [JOBS.ratingsRecompute]: async () => {
      const t0 = Date.now();
      const res = await recomputeRatings();
      const written = res.filter((r) => r.written);
      log.info(
        `${written.length}/${res.length} scopes changed${written.length ? ` (${written.map((r) => `${r.scope}=${r.votes}`).join(" ")})` : ""} in ${Date.now() - t0} ms`,
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
