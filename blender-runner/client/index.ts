/** Public API of the Blender runner: the Runner contract, the local sandbox, Blender discovery, taxonomy, GLB parsing/sanitising. */
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
// Pure GLB parsing and sanitising (bytes in, bytes out; no I/O), reusable outside the runner.
export { parseGlb, encodeGlb, GlbError, type GltfJson, type ParsedGlb } from "./glb-container";
export { sanitiseGlb, sanitiseDocument, readSanitisable, writeSanitised, assertSanitisedJson, memoryIo, MemoryIO, DISPLAY_GENERATOR } from "./glb-sanitise";
export { makeDisplayGlb, type DisplayGlb } from "./display-glb";
