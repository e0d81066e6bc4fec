/** Public API of the Blender runner: the Runner contract, the local sandbox, Blender discovery, taxonomy. */
export * from "./types";
export { classifyFailure } from "./taxonomy";
export {
  detectVersion,
  ensureBlenderVenv,
  resolveBlender,
  VENV_PACKAGES,
  type BlenderInstall,
  type EnsureVenvOptions,
  type EnsureVenvResult,
  type ResolveBlenderOptions,
} from "./blender";
export { createLocalRunner, SandboxError, type LocalRunnerOptions } from "./local-runner";
