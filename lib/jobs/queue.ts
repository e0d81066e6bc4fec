/**
 * Enqueueing: validates the payload against the registry before it reaches Redis.
 */
import { Queue } from "bullmq";
import type { JobName, QueueName } from "./constants";
import { DEFAULT_JOB_OPTIONS, JOB_DEFINITIONS, type JobDefinition, type JobPayload } from "./definitions";
import { closeRedis, redis } from "@/lib/redis";
import { getEnv } from "@/lib/env";

const state = globalThis as unknown as { __arenaQueues?: Map<QueueName, Queue> };

export function getQueue(name: QueueName): Queue {
  state.__arenaQueues ??= new Map();
  let q = state.__arenaQueues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redis(), defaultJobOptions: DEFAULT_JOB_OPTIONS });
    state.__arenaQueues.set(name, q);
  }
  return q;
}

export interface EnqueueOptions {
  delayMs?: number;
  /**
   * Resume/retry: BullMQ ignores a job id it still remembers as completed or failed, so remove such
   * a finished job first. A job that is still waiting, delayed or active is left alone.
   */
  replaceFinished?: boolean;
}

export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: EnqueueOptions = {}): Promise<void> {
  const def: JobDefinition = JOB_DEFINITIONS[name];
  const data = def.payload.parse(payload);
  const queue = getQueue(def.queue);
  if ("debounce" in def) {
    await queue.add(name, data, {
      delay: opts.delayMs ?? def.debounce.delayMs(),
      deduplication: { id: name, keepLastIfActive: true },
      attempts: def.debounce.attempts,
    });
    return;
  }
  const jobId = (def.jobId as (p: unknown) => string)(data);
  if (opts.replaceFinished) {
    const prior = await queue.getJob(jobId);
    if (prior) {
      const state = await prior.getState();
      if (state === "completed" || state === "failed") await prior.remove().catch(() => undefined);
    }
  }
  await queue.add(name, data, { jobId, delay: opts.delayMs });
}

/** Enqueues from a web request still waiting for Redis, per job name (one is enough: they debounce). */
const pendingFromRequest = new Set<JobName>();

/**
 * For a web request's path (a vote's ratings recompute and audit): never waits longer than
 * REDIS_REQUEST_TIMEOUT_MS and never throws. If Redis is slow or down the request goes on; the job
 * is still added once Redis answers, and the ratings worker also catches up from the database
 * on its own (workers/ratings.ts), so nothing depends on this enqueue succeeding. False when it
 * did not complete in time.
 */
export async function enqueueFromRequest<N extends JobName>(name: N, payload: JobPayload<N>): Promise<boolean> {
  if (pendingFromRequest.has(name)) return false;
  pendingFromRequest.add(name);
  const work = enqueue(name, payload)
    .then(() => true)
    .catch(() => false)
    .finally(() => pendingFromRequest.delete(name));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), getEnv().REDIS_REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the queues and the process's shared Redis connections (lib/redis.ts). */
export async function closeQueues(): Promise<void> {
  for (const q of state.__arenaQueues?.values() ?? []) await q.close();
  state.__arenaQueues?.clear();
  await closeRedis();
}
