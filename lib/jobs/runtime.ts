/**
 * Worker runtime: one BullMQ Worker per queue, dispatching by job name to the registry's handlers
 * (lib/jobs/handlers.ts), which re-validate the payload; a handler's `then` is enqueued here.
 * Publishes a heartbeat for /api/health and closes cleanly on SIGTERM. A worker process is one
 * line: `await runQueue(QUEUES.x)`.
 */
import { Worker, UnrecoverableError } from "bullmq";
import { HEARTBEAT_PREFIX, type JobName, type QueueName } from "./constants";
import { JOB_DEFINITIONS, type JobDefinition } from "./definitions";
import { queueRuntime, type HandlerMap, type JobHandler } from "./handlers";
import { closeQueues, enqueue } from "./queue";
import { disconnectDb } from "@/lib/db";
import { redis, workerConnection } from "@/lib/redis";
import { logger } from "@/lib/log";

const HEARTBEAT_TTL_SEC = 20;

export interface RunWorkerOptions {
  name: string;
  queue: QueueName;
  handlers: HandlerMap;
  concurrency: number;
  /** Extra facts published with the heartbeat (e.g. the Blender version). */
  info?: () => Record<string, unknown>;
  onClose?: () => Promise<void>;
}

export function runWorker(opts: RunWorkerOptions): { close(): Promise<void> } {
  const log = logger(opts.name);
  const connection = workerConnection();
  const worker = new Worker(
    opts.queue,
    async (job, token) => {
      const name = job.name as JobName;
      const handler = opts.handlers[name] as JobHandler<JobName> | undefined;
      const def: JobDefinition | undefined = JOB_DEFINITIONS[name];
      if (!handler || !def) throw new UnrecoverableError(`No handler for job ${job.name} on queue ${opts.queue}`);
      const parsed = def.payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`Invalid payload for ${job.name}: ${parsed.error.message}`);
      const t0 = Date.now();
      const goOn = await handler(parsed.data as never, job, token);
      if (goOn === true && "then" in def) await enqueue(def.then.job, def.then.payload, { delayMs: 0 });
      log.info(`${job.name} ${job.id} done in ${Date.now() - t0} ms`);
    },
    { connection, concurrency: opts.concurrency, autorun: true },
  );
  worker.on("failed", (job, err) => log.warn(`${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
  worker.on("error", (err) => log.error(`worker error: ${err.message}`));

  const beat = async () => {
    const value = JSON.stringify({ name: opts.name, queue: opts.queue, pid: process.pid, at: Date.now(), ...(opts.info?.() ?? {}) });
    await redis().set(`${HEARTBEAT_PREFIX}${opts.name}`, value, "EX", HEARTBEAT_TTL_SEC).catch(() => undefined);
  };
  void beat();
  const timer = setInterval(beat, 5_000);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      clearInterval(timer);
      // Give active jobs a moment; then stop without waiting (they are idempotent and will be
      // picked up again as stalled jobs on the next start).
      const graceful = worker.close();
      const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 8_000))]);
      if (timedOut) await worker.close(true);
      await redis().del(`${HEARTBEAT_PREFIX}${opts.name}`).catch(() => undefined);
      await opts.onClose?.();
      connection.disconnect();
    })();
    return closing;
  };
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      log.info(`${sig}: finishing active jobs and closing`);
      void close().then(() => process.exit(0));
    });
  }
  log.info(`listening on queue "${opts.queue}" with concurrency ${opts.concurrency}`);
  return { close };
}

/**
 * Runs a queue's worker in this process: the registry's handlers for its jobs (`handlers` replaces
 * some, in tests), its concurrency unless given, and its own duties (lib/jobs/handlers.ts). Closing
 * stops those duties, then the queues, Redis and the database connections.
 */
export async function runQueue(
  queue: QueueName,
  opts: {
    name?: string;
    concurrency?: number;
    handlers?: HandlerMap;
    /** Tests that run workers beside their own code keep the process's connections open on close. */
    keepConnections?: boolean;
  } = {},
): Promise<{ close(): Promise<void> }> {
  const rt = await queueRuntime(queue);
  const worker = runWorker({
    name: opts.name ?? queue,
    queue,
    concurrency: opts.concurrency ?? rt.concurrency,
    handlers: { ...rt.handlers, ...opts.handlers },
    info: rt.info,
    onClose: async () => {
      await rt.stop?.();
      if (opts.keepConnections) return;
      await closeQueues();
      await disconnectDb();
    },
  });
  await rt.start?.();
  return worker;
}
