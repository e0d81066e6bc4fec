/** Raised for failures of the sandbox itself (not of the script): the caller should retry or alert. */
export class SandboxError extends Error {
  override name = "SandboxError";
}
