/**
 * The job registry's other half (lib/jobs/definitions.ts says what each job is): what each job
 * does, per queue, with the queue's own duties beside its handlers. Only worker processes load
 * this file, and each loads only its queue's code (dynamic imports), so the generation worker never
 * loads Blender (but for a coding agent's run_blender, lib/agents, which starts a runner on first use)
 * and the web tier none of it.
 *
 * A handler returns true to fire its job's `then` (e.g. an audit that changed a verdict starts a
 * recompute). The type below makes a job without a handler a compile error.
 */
import type { Job } from "bullmq";
import type { JobName, QueueName } from "./constants";
import { JOBS, QUEUES } from "./constants";
import type { JobPayload } from "./definitions";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job, token?: string) => Promise<boolean | void>;
export type HandlerMap = { [N in JobName]?: JobHandler<N> };

export interface QueueRuntime {
  handlers: HandlerMap;
  concurrency: number;
  /** Extra facts published with the heartbeat (e.g. the Blender version). */
  info?: () => Record<string, unknown>;
  /** Work the queue's worker does besides its jobs; started after the worker listens. */
  start?: () => Promise<void>;
  /** Stops that work and closes what the queue's code opened. */
  stop?: () => Promise<void>;
}

const RUNTIMES: { [Q in QueueName]: () => Promise<QueueRuntime> } = {
  [QUEUES.generation]: async () => {
    const { generateCode } = await import("@/lib/pipeline/generate");
    const { withPipelineErrors } = await import("@/lib/pipeline/job-errors");
    const { closeProviders } = await import("@/lib/providers");
    const { judgeVerdict } = await import("@/lib/judge/verdict-job");
    return {
      concurrency: 8,
      handlers: { [JOBS.generationGenerate]: withPipelineErrors(generateCode), [JOBS.judgeVerdict]: judgeVerdict },
      stop: closeProviders,
    };
  },

  [QUEUES.execution]: async () => {
    const { executeAttempt } = await import("@/lib/pipeline/execute");
    const { prepareCategory } = await import("@/lib/pipeline/prepare-category");
    const { withPipelineErrors } = await import("@/lib/pipeline/job-errors");
    const { createRunnerFromEnv } = await import("@/lib/pipeline/runner");
    const { describeCgroups } = await import("@/blender-runner/client/cgroup");
    const log = logger("execution");
    const runner = createRunnerFromEnv();
    let blenderVersion: string | null = null;
    let blenderError: string | null = null;
    try {
      blenderVersion = await runner.version();
      log.info(`Blender ${blenderVersion} via ${runner.kind}, render device ${getEnv().EXEC_DEVICE}`);
      log.info(`per-job cgroups: ${describeCgroups()}`);
    } catch (err) {
      blenderError = (err as Error).message;
      log.error(`Blender unavailable: ${blenderError}`);
    }
    return {
      concurrency: getEnv().EXEC_CONCURRENCY,
      handlers: {
        [JOBS.generationExecute]: withPipelineErrors((p) => executeAttempt(runner, p)),
        [JOBS.categoryPrepare]: withPipelineErrors((p) => prepareCategory(runner, p)),
      },
      info: () => ({ blenderVersion, blenderError, runner: runner.kind, execDevice: getEnv().EXEC_DEVICE, cgroups: describeCgroups() }),
      // A reference prepared with another Blender version or REFERENCE_PROFILE is prepared again.
      start: async () => {
        if (!blenderVersion) return;
        const { requeueStaleReferences } = await import("@/lib/categories/references");
        const n = await requeueStaleReferences(blenderVersion).catch((err: unknown) => {
          log.error(`checking references failed: ${err instanceof Error ? err.message : String(err)}`);
          return 0;
        });
        if (n > 0) log.info(`${n} references prepared with another Blender version or profile: queued for preparation`);
      },
    };
  },

  [QUEUES.scoring]: async () => {
    const { scoreGeneration } = await import("@/lib/pipeline/score");
    const { scoreMetric } = await import("@/lib/metrics/score-job");
    const { withPipelineErrors } = await import("@/lib/pipeline/job-errors");
    return {
      concurrency: 1,
      handlers: { [JOBS.generationScore]: withPipelineErrors(scoreGeneration), [JOBS.metricScore]: withPipelineErrors(scoreMetric) },
    };
  },

  // Recomputes also run outside the queue: at start and whenever the database shows work that no
  // job took care of (lib/ratings/schedule.ts RecomputeRunner says why).
  [QUEUES.ratings]: async () => {
    const { recomputeRatingsReport } = await import("@/lib/ratings/snapshot");
    const { RecomputeRunner } = await import("@/lib/ratings/schedule");
    const { ratingsWorkPending } = await import("@/lib/ratings/counts");
    const { auditVotes } = await import("@/lib/moderation/vote-audit");
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
    }, ratingsWorkPending, Date.now, getEnv().RATINGS_MIN_INTERVAL_MS);
    let timer: NodeJS.Timeout | undefined;
    return {
      concurrency: 1,
      handlers: {
        [JOBS.ratingsRecompute]: (payload) => runner.run(payload.reason, true),
        [JOBS.votesAudit]: async () => {
          const t0 = Date.now();
          const res = await auditVotes();
          log.info(`audit of ${res.audited} votes: ${res.flagged} flagged, ${res.restored} restored in ${Date.now() - t0} ms`);
          return res.flagged + res.restored > 0;
        },
      },
      start: async () => {
        const quietMs = getEnv().RATINGS_RECONCILE_MS;
        timer = setInterval(() => {
          runner.reconcile(quietMs).catch((err: unknown) => log.warn(`reconcile failed: ${err instanceof Error ? err.message : String(err)}`));
        }, quietMs);
        // A fresh start computes at once, so the leaderboard reflects votes cast while the worker
        // was down (or killed mid-recompute).
        await runner.run("startup").catch((err: unknown) => log.error(`startup recompute failed: ${err instanceof Error ? err.message : String(err)}`));
      },
      stop: async () => clearInterval(timer),
    };
  },
};

export function queueRuntime(queue: QueueName): Promise<QueueRuntime> {
  return RUNTIMES[queue]();
}
