import {
  BENCHMARK_PROFILE,
  DISPLAY_PROFILE,
  FAST_DISPLAY_PROFILE,
  PREVIEW_PROFILE,
  type DisplayProfile,
  type RenderProfile,
  type RunLimits,
} from "@/blender-runner/client/types";
import { getEnv } from "@/lib/env";

export const PROFILES: Record<string, RenderProfile> = {
  benchmark: BENCHMARK_PROFILE,
  preview: PREVIEW_PROFILE,
};

export function profileByName(name: string): RenderProfile {
  const p = PROFILES[name];
  if (!p) throw new Error(`Unknown render profile "${name}" (known: ${Object.keys(PROFILES).join(", ")})`);
  return p;
}

/** DISPLAY_PROFILE: the display views every run and reference gets (null: `off`). */
export function displayProfile(): DisplayProfile | null {
  const name = getEnv().DISPLAY_PROFILE;
  return name === "off" ? null : name === "fast" ? FAST_DISPLAY_PROFILE : DISPLAY_PROFILE;
}

/** Stored with each generation and reference that has display views, e.g. `display(16spp,640px,oidn,3 views)`. */
export function displayProfileLabel(p: DisplayProfile): string {
  return `${p.name}(${p.samples}spp,${p.resolution}px${p.denoise ? ",oidn" : ""},${p.views} views)`;
}

/**
 * Rendering budget on top of the script's limit, so a category's time limit (docs/benchmark.md §1:
 * "configurable per category") bounds the script, not the four views. Scaled from measured cost:
 * ~0.45 s per sample for four 256 px views on one thread, x4 per doubling of resolution.
 */
export function renderBudgetSec(profile: RenderProfile): number {
  const perSample = 0.45 * (profile.resolution / 256) ** 2;
  return Math.ceil(30 + 3 * perSample * profile.samples + (profile.denoise ? 12 * (profile.resolution / 256) ** 2 : 0));
}

/** What a run's renders depend on: stored with each generation and part of the reuse key. */
export function profileLabel(p: RenderProfile): string {
  const dn = p.denoise ? `,oidn${p.denoisePrefilter ? "-" + p.denoisePrefilter : ""}${p.denoiseQuality ? "-" + p.denoiseQuality : ""}` : "";
  return `${p.name}(${p.samples}spp,${p.resolution}px${dn})`;
}

/**
 * The benchmark renders its four views on a GPU inside its 240 s (a few seconds each,
 * benchmark-facts §1); we render on the CPU. Only the difference is added to the wall limit:
 * our render budget minus 20 s (4 x 5 s, the slow end of the benchmark's GPU views).
 */
export const GPU_VIEWS_SEC = 20;
export function cpuRenderAllowanceSec(profile: RenderProfile): number {
  return Math.max(0, renderBudgetSec(profile) - GPU_VIEWS_SEC);
}

export interface ExecSettings {
  EXEC_TIMEOUT_SEC: number;
  EXEC_EXPORT_TIMEOUT_SEC: number;
  EXEC_MEMORY_MIB: number;
  EXEC_THREADS: number;
}

/**
 * Limits for one run (issue 14): the benchmark's 240 s for start-up + script + views (a category
 * may set its own), plus the CPU render allowance; the export step's 180 s rule; real memory.
 */
export function limitsWith(env: ExecSettings, category: { timeLimitSec: number | null }, profile: RenderProfile): RunLimits {
  const wall = (category.timeLimitSec ?? env.EXEC_TIMEOUT_SEC) + cpuRenderAllowanceSec(profile);
  return {
    wallSeconds: wall,
    ...(env.EXEC_EXPORT_TIMEOUT_SEC > 0 ? { exportWallSeconds: Math.max(env.EXEC_EXPORT_TIMEOUT_SEC, category.timeLimitSec ?? 0) } : {}),
    cpuSeconds: wall * Math.max(1, env.EXEC_THREADS) + 30,
    memoryMiB: env.EXEC_MEMORY_MIB,
    maxProcesses: 512,
    maxFileMiB: 1024,
    threads: env.EXEC_THREADS,
  };
}

export function limitsFor(category: { timeLimitSec: number | null }, profile: RenderProfile): RunLimits {
  return limitsWith(getEnv(), category, profile);
}
