import { BENCHMARK_PROFILE, PREVIEW_PROFILE, type RenderProfile, type RunLimits } from "@/blender-runner/client/types";
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

/** Limits for one run; a category may raise the wall-clock limit (some references take minutes). */
export function limitsFor(category: { timeLimitSec: number | null }): RunLimits {
  const env = getEnv();
  const wall = category.timeLimitSec ?? env.EXEC_TIMEOUT_SEC;
  return {
    wallSeconds: wall,
    cpuSeconds: wall * Math.max(1, env.EXEC_THREADS) + 30,
    memoryMiB: env.EXEC_MEMORY_MIB,
    maxProcesses: 512,
    maxFileMiB: 1024,
    threads: env.EXEC_THREADS,
  };
}
