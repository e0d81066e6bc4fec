/**
 * Copies what a Blender run produced into asset storage under a run-unique prefix, so keys are
 * never overwritten by a later run and can be shared by generations with identical code.
 */
import { compressDisplayGlb } from "@/blender-runner/client/display-glb";
import type { RunResult } from "@/blender-runner/client/types";
import { assets } from "@/lib/storage";

export interface StoredRun {
  /** Exactly as Blender exported it: the only GLB the metrics read (benchmark-compat §3). */
  metricGlbKey: string | null;
  /** Meshopt-compressed for the viewer (or the original if compression failed). */
  displayGlbKey: string | null;
  renderKeys: string[];
  /** Display GLB size as exported and as stored; null when there is none or compression failed. */
  displayGlbBytes: number | null;
  displayGlbCompressedBytes: number | null;
}

export async function storeRun(prefix: string, result: RunResult): Promise<StoredRun> {
  const store = assets();
  const out: StoredRun = { metricGlbKey: null, displayGlbKey: null, renderKeys: [], displayGlbBytes: null, displayGlbCompressedBytes: null };
  if (result.files.metricGlb) {
    out.metricGlbKey = `${prefix}/metric.glb`;
    await store.putFile(out.metricGlbKey, result.files.metricGlb);
  }
  if (result.files.displayGlb) {
    const web = await compressDisplayGlb(result.files.displayGlb);
    try {
      out.displayGlbKey = `${prefix}/display.glb`;
      await store.putFile(out.displayGlbKey, web.path);
      out.displayGlbBytes = web.bytes;
      out.displayGlbCompressedBytes = web.compressedBytes;
    } finally {
      await web.cleanup();
    }
  }
  for (const view of result.files.renders) {
    const key = `${prefix}/renders/${view.name}`;
    await store.putFile(key, view.path);
    out.renderKeys.push(key);
  }
  return out;
}
