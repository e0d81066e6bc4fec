/**
 * Contract between the pipeline and whatever executes model-written code in Blender.
 * Statuses and their meaning: docs/benchmark.md §2.
 */
export const EXEC_STATUSES = [
  "OK",
  "ERR_EXEC",
  "ERR_NO_MESH",
  "ERR_RENDER",
  "ERR_EXPORT",
  "ERR_TIMEOUT",
  "ERR_NOLOG",
] as const;
export type ExecStatus = (typeof EXEC_STATUSES)[number];

/** Failure taxonomy: the benchmark's groups, over ERR_EXEC only (benchmark-taxonomy.ts). */
export type FailureGroup = "B5-API" | "BMSH" | "CTX" | "OTHER";
export interface FailureClass {
  /** The benchmark's group; null for every status but ERR_EXEC (the benchmark classifies only those). */
  group: FailureGroup | null;
  /** Our finer class (taxonomy.ts), for every failed status. */
  detail: string;
  /** The group our own broader rules give (e.g. poll failures as CTX), kept as detail. */
  ownGroup: FailureGroup;
}

/** Render settings. `benchmark` is the scored default (§4); `preview` is the cheap demo profile. */
export interface RenderProfile {
  name: string;
  samples: number;
  resolution: number;
  denoise: boolean;
  /** OpenImageDenoise prefilter for the albedo/normal passes; unset = Blender's default (ACCURATE). */
  denoisePrefilter?: "NONE" | "FAST" | "ACCURATE";
  /** OpenImageDenoise quality; unset = Blender's default (HIGH). */
  denoiseQuality?: "HIGH" | "BALANCED" | "FAST";
}

export interface RunJob {
  /** Unique id; names the job folder. */
  id: string;
  /** The Python source to execute as __main__. Untrusted. */
  code: string;
  profile: RenderProfile;
  /** Skip the four views (e.g. a syntax-only or export-only run). Default true. */
  render?: boolean;
}

export interface RunLimits {
  /**
   * Wall-clock limit for both Blender processes together (start-up, script, views, then stats and
   * GLBs), seconds. The benchmark's is 240 s for start-up + script + views (lib/pipeline/profiles.ts).
   */
  wallSeconds: number;
  /**
   * The benchmark's export process has its own 180 s for start-up + script + export: past it, the
   * run keeps its status but has no metric GLB (export status ERR_TIMEOUT). Unset: no such rule.
   */
  exportWallSeconds?: number;
  /** CPU-time limit, seconds: the busiest process of each sandbox together. */
  cpuSeconds: number;
  /**
   * Real memory of the job's processes together, MiB: a memory cgroup where one is writable, else a
   * host-side watchdog over the tree's resident memory. Not address space: Blender reserves far
   * more virtual memory than it touches.
   */
  memoryMiB: number;
  /** Optional RLIMIT_AS per process, MiB (a backstop; off by default). */
  addressSpaceMiB?: number;
  /** Max processes/threads for the sandbox user. */
  maxProcesses: number;
  /** Largest file the script may write, MiB. */
  maxFileMiB: number;
  /** Largest the job's folders may grow together (outputs included), MiB. Default 2 x maxFileMiB. */
  maxDiskMiB?: number;
  /** Most files and folders the job folder may hold. Default 10,000. */
  maxDiskEntries?: number;
  /** Threads Blender may use for rendering. */
  threads: number;
}

export interface BoundingBox {
  min: [number, number, number];
  max: [number, number, number];
}

/** Mesh facts over all mesh objects after modifiers (evaluated), world space, Z-up. */
export interface MeshStats {
  meshObjects: number;
  vertices: number;
  faces: number;
  triangles: number;
  /** Connected components (loose islands) summed over objects. */
  parts: number;
  nonManifoldEdges: number;
  bbox: BoundingBox;
  /** Longest bounding-box side (1.0 if zero), §4. */
  extent: number;
  /** Largest gap between a part and its nearest other part, divided by extent. 0 when one part. */
  maxPartGapRatio: number;
  hasMaterials: boolean;
}

export interface RunTimings {
  /** Seconds from process 1's spawn to harness ready (Blender/bpy import). */
  startup: number;
  script: number;
  export: number;
  render: number;
  /** Host wall time from run() to the validated outputs, both processes included. */
  total: number;
  /** Computing MeshStats (process 2, after the views, before the export step). */
  stats?: number;
  /** Process 1 saving the script's scene as a .blend. */
  save?: number;
  /** Host: from process 1's exit to process 2's "go" (kill check, copying the .blend). */
  handoff?: number;
  /** Process 2 opening that .blend. */
  open?: number;
  /** Host: reading, checking, sanitising and compressing the outputs. */
  outputs?: number;
  /** CPU seconds (user + system) of the busiest process of each sandbox, summed. */
  cpu?: number;
}

export interface RenderedView {
  /** e.g. Image_005.png */
  name: string;
  /** Decoded, checked (profile resolution, 8-bit RGBA) and re-encoded from its pixels. */
  png: Uint8Array;
  azimuthDeg: number;
  elevationDeg: number;
}

/** One sign that the script reached for the harness (blender-runner/harness/arena/audit.py). */
export interface TamperEvidence {
  /** audit: a PEP 578 event or replaced function; channel: records the harness did not write; scene: the saved .blend changed. */
  source: "audit" | "channel" | "scene";
  event: string;
  site: string | null;
  detail: string | null;
}

/** The export step (metric GLB): its own outcome, as the benchmark's separate export process. */
export interface ExportResult {
  /** NOT_RUN: the script failed (or the run stopped) before the export step. */
  status: "OK" | "ERR_EXPORT" | "ERR_NO_MESH" | "ERR_TIMEOUT" | "NOT_RUN";
  error: string | null;
}

/**
 * Cycles device of the four views (EXEC_DEVICE). Only process 2, which never runs model code,
 * is given the GPU (sandbox.ts); a GPU Blender cannot see means a CPU render, recorded as such.
 */
export const EXEC_DEVICES = ["cpu", "cuda", "optix"] as const;
export type ExecDevice = (typeof EXEC_DEVICES)[number];

/** Where this run deliberately differs from the benchmark's execution (docs/benchmark.md). */
export interface RunConditions {
  /** The device the views were rendered on; the requested one when no view was rendered. */
  device: ExecDevice;
  /** What the runner was configured with (EXEC_DEVICE). */
  requestedDevice: ExecDevice;
  /** Why device differs from requestedDevice (e.g. no CUDA device visible to Blender), else null. */
  deviceNote: string | null;
  denoiser: string | null;
  /** Seconds for start-up + script + views (the benchmark's is 240 s on a GPU). */
  wallSeconds: number;
  exportWallSeconds: number | null;
  memoryMiB: number;
  /** How memoryMiB was enforced. */
  memoryBy: "cgroup" | "rss-watchdog";
  cpuSeconds: number;
  sandbox: "bwrap+seccomp, two processes";
}

export interface RunResult {
  /** Decided by the render path alone (benchmark-facts §1); the export step does not change it. */
  status: ExecStatus;
  export: ExportResult;
  conditions: RunConditions;
  /** "<Type>: <msg>\n<traceback>" for ERR_EXEC (§2.5); a readable reason otherwise; null when OK. */
  errorText: string | null;
  failure: FailureClass | null;
  blenderVersion: string | null;
  stats: MeshStats | null;
  timings: RunTimings;
  renderer: {
    engine: string;
    device: ExecDevice;
    samples: number;
    resolution: number;
    denoiser: string | null;
    /** Only when the device used is not the one requested, with the reason. */
    requestedDevice?: ExecDevice;
    deviceNote?: string;
  } | null;
  /**
   * Validated bytes, never paths (house rule 14): the metric GLB strictly parsed and kept byte for
   * byte as Blender exported it (§3), the display GLB strictly parsed, sanitised and
   * meshopt-compressed, the four views re-encoded. Any of them failing its check is ERR_EXPORT.
   */
  files: {
    metricGlb: Uint8Array | null;
    displayGlb: Uint8Array | null;
    /** Display GLB size as Blender exported it (before sanitising and compression). */
    displayGlbSourceBytes: number | null;
    renders: RenderedView[];
  };
  /** Camera, light, world and film settings the four views were rendered with (§4), for checks and admins. */
  renderSetup: Record<string, unknown> | null;
  /** What the audit hook and the report channel saw; the status never depends on it. */
  tamper: { suspected: boolean; evidence: TamperEvidence[] };
  /** Last few KiB of the script's stdout/stderr, for admins. */
  logTail: string;
  peakMemoryMiB: number | null;
  /** Harness phase the run was in when it stopped: startup, script, save (process 1), open, stats, export, render (process 2), done. */
  phase?: string | null;
  /** How the sandboxed process ended. */
  exit?: { code: number | null; signal: string | null; timedOut: boolean };
  /** Unprivileged uid process 1 (the script) ran as (local runner, when started as root). */
  sandboxUid?: number | null;
  /** Uid of process 2 (export and render), a different one. */
  collectUid?: number | null;
  cleanup(): Promise<void>;
}

export interface Runner {
  readonly kind: string;
  run(job: RunJob, limits: RunLimits): Promise<RunResult>;
  /** Blender version string this runner executes with, e.g. "5.0.1". */
  version(): Promise<string>;
}

export const BENCHMARK_PROFILE: RenderProfile = { name: "benchmark", samples: 64, resolution: 512, denoise: true };
/**
 * Cheap demo profile, measured on 2 cores: OIDN denoising costs ~6.5 s per four 256 px views on one
 * thread and each sample ~0.45 s, so preview renders 8 samples without a denoiser (~4 s a run).
 */
export const PREVIEW_PROFILE: RenderProfile = { name: "preview", samples: 8, resolution: 256, denoise: false };
