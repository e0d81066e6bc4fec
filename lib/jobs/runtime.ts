/**
 * Worker runtime: one BullMQ Worker per queue, dispatching by job name to typed handlers that
 * re-validate the payload. Publishes a heartbeat for /api/health and closes cleanly on SIGTERM.
 */
import { Worker, UnrecoverableError, type Job } from "bullmq";
import type { JobName, QueueName } from "./constants";
import { JOB_DEFINITIONS, type JobPayload } from "./definitions";
import { createRedis } from "./connection";
import { logger } from "@/lib/log";

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job, token?: string) => Promise<void>;
export type HandlerMap = { [N in JobName]?: JobHandler<N> };

export const HEARTBEAT_PREFIX = "arena:heartbeat:";
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
  const connection = createRedis("worker");
  const heartbeatRedis = createRedis("client");
  const worker = new Worker(
    opts.queue,
    async (job, token) => {
      const name = job.name as JobName;
      const handler = opts.handlers[name] as JobHandler<JobName> | undefined;
      const def = JOB_DEFINITIONS[name];
      if (!handler || !def) throw new UnrecoverableError(`No handler for job ${job.name} on queue ${opts.queue}`);
      const parsed = def.payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`Invalid payload for ${job.name}: ${parsed.error.message}`);
      const t0 = Date.now();
      await handler(parsed.data as never, job, token);
      log.info(`${job.name} ${job.id} done in ${Date.now() - t0} ms`);
    },
    { connection, concurrency: opts.concurrency, autorun: true },
  );
  worker.on("failed", (job, err) => log.warn(`${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
  worker.on("error", (err) => log.error(`worker error: ${err.message}`));

  const beat = async () => {
    const value = JSON.stringify({ name: opts.name, queue: opts.queue, pid: process.pid, at: Date.now(), ...(opts.info?.() ?? {}) });
    await heartbeatRedis.set(`${HEARTBEAT_PREFIX}${opts.name}`, value, "EX", HEARTBEAT_TTL_SEC).catch(() => undefined);
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
      await heartbeatRedis.del(`${HEARTBEAT_PREFIX}${opts.name}`).catch(() => undefined);
      await opts.onClose?.();
      heartbeatRedis.disconnect();
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
