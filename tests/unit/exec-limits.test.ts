/**
 * Execution limits (issue 14): the benchmark's 240 s for start-up + script + views, plus only the
 * extra time our CPU render needs over its GPU views; the 180 s export rule; a category override.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BENCHMARK_PROFILE, PREVIEW_PROFILE } from "@/blender-runner/client/types";
import { cpuRenderAllowanceSec, GPU_VIEWS_SEC, limitsWith, renderBudgetSec } from "@/lib/pipeline/profiles";

const DEFAULTS = { EXEC_TIMEOUT_SEC: 240, EXEC_EXPORT_TIMEOUT_SEC: 180, EXEC_MEMORY_MIB: 8192, EXEC_THREADS: 1 };

describe("limitsWith", () => {
  it("gives 240 s plus the CPU render allowance, the 180 s export rule and real memory", () => {
    const l = limitsWith(DEFAULTS, { timeLimitSec: null }, PREVIEW_PROFILE);
    assert.equal(cpuRenderAllowanceSec(PREVIEW_PROFILE), renderBudgetSec(PREVIEW_PROFILE) - GPU_VIEWS_SEC);
    assert.equal(l.wallSeconds, 240 + cpuRenderAllowanceSec(PREVIEW_PROFILE));
    assert.equal(l.exportWallSeconds, 180);
    assert.equal(l.memoryMiB, 8192);
    assert.equal(l.addressSpaceMiB, undefined, "no address-space limit by default");
    const b = limitsWith(DEFAULTS, { timeLimitSec: null }, BENCHMARK_PROFILE);
    assert.equal(b.wallSeconds, 240 + renderBudgetSec(BENCHMARK_PROFILE) - GPU_VIEWS_SEC);
  });

  it("keeps a category's own time limit, for the export rule too; 0 turns the export rule off", () => {
    const l = limitsWith(DEFAULTS, { timeLimitSec: 300 }, PREVIEW_PROFILE);
    assert.equal(l.wallSeconds, 300 + cpuRenderAllowanceSec(PREVIEW_PROFILE));
    assert.equal(l.exportWallSeconds, 300);
    assert.equal(limitsWith({ ...DEFAULTS, EXEC_EXPORT_TIMEOUT_SEC: 0 }, { timeLimitSec: null }, PREVIEW_PROFILE).exportWallSeconds, undefined);
  });
});
