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
  await queue.add(name, data, { jobId, delay: opts.delayMs, ...("priority" in def ? { priority: def.priority } : {}) });
}

/** Enqueues from a web request still waiting for Redis, per job name (one is enough: they debounce). */
const pendingFromRequest = new Set<JobName>();
/** When this process last sent each job name; names with a follow-up scheduled; votes an add in flight may miss. */
const lastSent = new Map<JobName, number>();
const followUp = new Set<JobName>();
const owed = new Map<JobName, unknown>();

function sendLater(name: JobName, payload: unknown, delayMs: number): void {
  if (followUp.has(name)) return;
  followUp.add(name);
  setTimeout(() => {
    followUp.delete(name);
    void enqueueFromRequest(name, payload as JobPayload<typeof name>);
  }, delayMs).unref();
}

/**
 * Both jobs sent after a vote are debounced on the queue (deduplication id, RATINGS_DEBOUNCE_MS and
 * FRAUD_AUDIT_DEBOUNCE_MS), so one add per name every COALESCE_MS per process does what one add
 * per vote did, at a fraction of the Redis round trips (issue 12). A vote inside the window gets a
 * follow-up add at its end, so the last vote of a burst is always followed by one.
 */
const COALESCE_MS = 200;

/**
 * For a web request's path (a vote's ratings recompute and audit): never waits longer than
 * REDIS_REQUEST_TIMEOUT_MS and never throws. If Redis is slow or down the request goes on; the job
 * is still added once Redis answers, and the ratings worker also catches up from the database
 * on its own (lib/jobs/handlers.ts, the ratings queue), so nothing depends on this enqueue succeeding. False when it
 * did not complete in time (or waits behind an add that has not); true when it did, or was folded
 * into an add due within COALESCE_MS.
 */
export async function enqueueFromRequest<N extends JobName>(name: N, payload: JobPayload<N>): Promise<boolean> {
  // Only the debounced jobs are folded together (their payloads carry nothing but a reason).
  const debounced = "debounce" in JOB_DEFINITIONS[name];
  // An add still waiting for Redis: one more once it is done (not a timer loop while Redis is away).
  if (pendingFromRequest.has(name)) {
    if (debounced) owed.set(name, payload);
    return false;
  }
  const since = Date.now() - (lastSent.get(name) ?? 0);
  if (debounced && since < COALESCE_MS) {
    sendLater(name, payload, COALESCE_MS - since);
    return true;
  }
  lastSent.set(name, Date.now());
  pendingFromRequest.add(name);
  const work = enqueue(name, payload)
    .then(() => true)
    .catch(() => false)
    .finally(() => {
      pendingFromRequest.delete(name);
      if (owed.has(name)) {
        sendLater(name, owed.get(name), COALESCE_MS);
        owed.delete(name);
      }
    });
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
