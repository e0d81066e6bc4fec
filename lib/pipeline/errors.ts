/** The reference execution of a category has not finished yet; the job should wait and retry. */
export class ReferenceNotReadyError extends Error {
  constructor(instanceId: string) {
    super(`Reference for ${instanceId} is not prepared yet`);
  }
}

/** A job whose input is gone or invalid: retrying cannot help. */
export class PermanentJobError extends Error {}
