/**
 * The job registry (house rules §7), what each job is: a name, a zod payload, its queue, a
 * deterministic job id (so enqueueing twice is a no-op) or a debounce, and the job it leads to.
 * What each job does is the registry's other half, lib/jobs/handlers.ts, loaded only by worker
 * processes: the web tier enqueues jobs without loading Blender, providers or the fits.
 */
import { z } from "zod";
import type { JobsOptions } from "bullmq";
import { getEnv } from "@/lib/env";
import { JOBS, QUEUES, type JobName, type QueueName } from "./constants";
import { metricJobId } from "@/lib/metrics/job-id";

/** Jobs that run once for many enqueues: the first waits `delayMs`, later ones join it. */
interface Debounce {
  delayMs: () => number;
  attempts: number;
}

const ZGenerationAttempt = z.object({ generationId: z.string().min(1), attempt: z.number().int().nonnegative() });

export const JOB_DEFINITIONS = {
  [JOBS.categoryPrepare]: {
    queue: QUEUES.execution,
    // The profile is REFERENCE_PROFILE and the Blender version the worker's own, read by the handler;
    // one job per category (lib/categories/references.ts re-adds it when a reference goes stale).
    payload: z.object({ categoryId: z.string().min(1) }),
    jobId: (p: { categoryId: string }) => `category.prepare__${p.categoryId}`,
  },
  [JOBS.generationGenerate]: {
    queue: QUEUES.generation,
    payload: ZGenerationAttempt,
    jobId: (p: { generationId: string; attempt: number }) => `generation.generate__${p.generationId}__${p.attempt}`,
  },
  [JOBS.generationExecute]: {
    queue: QUEUES.execution,
    payload: ZGenerationAttempt,
    jobId: (p: { generationId: string; attempt: number }) => `generation.execute__${p.generationId}__${p.attempt}`,
  },
  [JOBS.generationScore]: {
    queue: QUEUES.scoring,
    payload: z.object({ generationId: z.string().min(1) }),
    jobId: (p: { generationId: string }) => `generation.score__${p.generationId}`,
  },
  [JOBS.metricScore]: {
    queue: QUEUES.scoring,
    payload: z.object({ generationId: z.string().min(1), metric: z.string().min(1).max(100) }),
    // Keyed by the plugin's current version too: a new version is new work, the same one a no-op.
    jobId: (p: { generationId: string; metric: string }) => metricJobId(p.generationId, p.metric),
    // BullMQ takes unprioritised jobs first: a generation's own scoring (its readiness) never waits
    // behind a backlog of metric jobs on the shared scoring queue.
    priority: 10,
  },
  [JOBS.ratingsRecompute]: {
    queue: QUEUES.ratings,
    payload: z.object({ reason: z.string().default("vote") }),
    // Debounced, not keyed: votes within the delay collapse into one run, and a vote that lands
    // while a fit is running queues exactly one more (BullMQ keepLastIfActive).
    jobId: null,
    debounce: { delayMs: () => getEnv().RATINGS_DEBOUNCE_MS, attempts: 2 },
  },
  [JOBS.votesAudit]: {
    queue: QUEUES.ratings,
    payload: z.object({ reason: z.string().default("vote") }),
    // Debounced like ratings.recompute, with a longer delay: fraud patterns need a few votes.
    jobId: null,
    debounce: { delayMs: () => getEnv().FRAUD_AUDIT_DEBOUNCE_MS, attempts: 2 },
    // A verdict that changed (votes flagged or restored) moves the ratings at once.
    then: { job: JOBS.ratingsRecompute, payload: { reason: "audit" } },
  },
  [JOBS.judgeVerdict]: {
    // A model call like generation.generate: I/O bound, on the same queue and worker (docs/judge.md).
    queue: QUEUES.generation,
    payload: z.object({ verdictId: z.string().min(1) }),
    jobId: (p: { verdictId: string }) => `judge.verdict__${p.verdictId}`,
  },
} as const satisfies Record<
  JobName,
  {
    queue: QueueName;
    payload: z.ZodType;
    jobId: ((p: never) => string) | null;
    debounce?: Debounce;
    then?: { job: JobName; payload: unknown };
    priority?: number;
  }
>;

export type JobDefinition = (typeof JOB_DEFINITIONS)[JobName];

export type JobPayload<N extends JobName> = z.infer<(typeof JOB_DEFINITIONS)[N]["payload"]>;

/** Retry, backoff and retention defaults, in one place. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
