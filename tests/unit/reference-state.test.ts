/** Where a category's reference preparation stands, and which stored keys anyone may fetch. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { progressLine, referenceState, type ReferenceFields } from "@/lib/categories/references";
import { isPublicAssetKey } from "@/lib/storage";
import { profileLabel } from "@/lib/pipeline/profiles";
import { BENCHMARK_PROFILE, PREVIEW_PROFILE } from "@/blender-runner/client/types";

const BENCH = profileLabel(BENCHMARK_PROFILE);
const base: ReferenceFields = {
  id: "c1",
  referenceStatus: null,
  referenceProfile: null,
  referenceBlenderVersion: null,
  referenceQueuedAt: null,
  referenceStartedAt: null,
};

test("the benchmark profile's label says 64 spp, 512 px and the denoiser", () => {
  assert.equal(BENCH, "benchmark(64spp,512px,oidn)");
  assert.equal(profileLabel(PREVIEW_PROFILE), "preview(8spp,256px)");
});

test("reference states: queued, rendering, prepared, failed, and stale on a profile or Blender change", () => {
  const cur = { profileLabel: BENCH, blenderVersion: "5.0.1" };
  assert.equal(referenceState(base, cur), "unprepared");
  assert.equal(referenceState({ ...base, referenceQueuedAt: new Date() }, cur), "queued");
  assert.equal(referenceState({ ...base, referenceQueuedAt: new Date(), referenceStartedAt: new Date() }, cur), "rendering");
  const done = { ...base, referenceStatus: "OK" as const, referenceProfile: BENCH, referenceBlenderVersion: "5.0.1" };
  assert.equal(referenceState(done, cur), "prepared");
  assert.equal(referenceState({ ...done, referenceStatus: "ERR_EXEC" }, cur), "failed");
  assert.equal(referenceState({ ...done, referenceBlenderVersion: "5.0.0" }, cur), "stale");
  assert.equal(referenceState({ ...done, referenceProfile: profileLabel(PREVIEW_PROFILE) }, cur), "stale");
  // Prepared before profiles were recorded: unknown quality, so prepared again.
  assert.equal(referenceState({ ...done, referenceProfile: null }, cur), "stale");
  // Without a running execution worker the version is unknown: only the profile is compared.
  assert.equal(referenceState({ ...done, referenceBlenderVersion: "4.2.0" }, { profileLabel: BENCH }), "prepared");
});

test("the progress line counts every state", () => {
  const line = progressLine({ counts: { prepared: 3, failed: 1, rendering: 1, queued: 2, stale: 0, unprepared: 1 } });
  assert.equal(line, "references: 3/8 prepared, 1 rendering, 2 queued, 1 failed, 0 stale, 1 not prepared");
});

test("rendered reference views and their display views are public under their per-profile, per-version prefix; nothing else is", () => {
  assert.ok(isPublicAssetKey("categories/Mug_seed0/reference/Image_005.png"));
  assert.ok(isPublicAssetKey("categories/Mug_seed0/reference-0123456789ab/renders/Image_035.png"));
  assert.ok(isPublicAssetKey("categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/renders/Image_015.png"));
  // Their display views (what voters see of the reference) too; a run's display views are not.
  assert.ok(isPublicAssetKey("categories/Mug_seed0/reference-0123456789ab-preview-5.0.1/display/display_0.png"));
  assert.ok(isPublicAssetKey("categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/display/display_3.png"));
  for (const key of [
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/metric.glb",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/display.glb",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/renders/../metric.glb",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5/0/renders/Image_015.png",
    "categories/Mug_seed0/reference-0123456789ab-Bench-5.0.1/renders/Image_015.png",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-/renders/Image_015.png",
    "runs/abc/renders/Image_005.png",
    "runs/abc/display/display_0.png",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/display/display_4.png",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/display/probe.png",
    "categories/Mug_seed0/reference/display/display_0.png",
    "categories/Mug_seed0/reference-0123456789ab-benchmark-5.0.1/renders/display_0.png",
  ]) {
    assert.equal(isPublicAssetKey(key), false, key);
  }
});
