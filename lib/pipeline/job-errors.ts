/**
 * Maps pipeline errors to BullMQ semantics: waiting for a reference = delay the job without using
 * up an attempt; permanent errors = fail at once; anything else = retry with backoff.
 */
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { PermanentJobError, WaitAndRetryError } from "./errors";

const WAIT_MS = 2_000;

export function withPipelineErrors<P>(fn: (payload: P) => Promise<void>) {
  return async (payload: P, job: Job, token?: string): Promise<void> => {
    try {
      await fn(payload);
    } catch (err) {
      if (err instanceof WaitAndRetryError) {
        await job.moveToDelayed(Date.now() + WAIT_MS, token);
        throw new DelayedError();
      }
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}
