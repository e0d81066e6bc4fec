/** Work this job depends on is not finished yet; the job waits (without using an attempt) and retries. */
export class WaitAndRetryError extends Error {}

/** The reference execution of a category has not finished yet. */
export class ReferenceNotReadyError extends WaitAndRetryError {
  constructor(instanceId: string) {
    super(`Reference for ${instanceId} is not prepared yet`);
  }
}

/** The same code is being executed for another generation right now; its result will be reused. */
export class IdenticalRunInFlightError extends WaitAndRetryError {}

/** A job whose input is gone or invalid: retrying cannot help. */
export class PermanentJobError extends Error {}
