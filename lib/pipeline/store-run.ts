/**
 * Copies what a Blender run produced into asset storage under a run-unique prefix, so keys are
 * never overwritten by a later run and can be shared by generations with identical code.
 */
import type { RunResult } from "@/blender-runner/client/types";
import { assets } from "@/lib/storage";

export interface StoredRun {
  metricGlbKey: string | null;
  displayGlbKey: string | null;
  renderKeys: string[];
}

export async function storeRun(prefix: string, result: RunResult): Promise<StoredRun> {
  const store = assets();
  const out: StoredRun = { metricGlbKey: null, displayGlbKey: null, renderKeys: [] };
  if (result.files.metricGlb) {
    out.metricGlbKey = `${prefix}/metric.glb`;
    await store.putFile(out.metricGlbKey, result.files.metricGlb);
  }
  if (result.files.displayGlb) {
    out.displayGlbKey = `${prefix}/display.glb`;
    await store.putFile(out.displayGlbKey, result.files.displayGlb);
  }
  for (const view of result.files.renders) {
    const key = `${prefix}/renders/${view.name}`;
    await store.putFile(key, view.path);
    out.renderKeys.push(key);
  }
  return out;
}
