/**
 * Stores what a Blender run produced under a run-unique prefix, so keys are never overwritten by
 * a later run and can be shared by generations with identical code. The runner hands over
 * validated bytes only (RunResult.files: strictly parsed, sanitised, re-encoded; house rule 14):
 * nothing here reads a path a sandbox could have written.
 */
import type { RunResult } from "@/blender-runner/client/types";
import { assets } from "@/lib/storage";

export interface StoredRun {
  /** Exactly as Blender exported it: the only GLB the metrics read (docs/benchmark.md §3). */
  metricGlbKey: string | null;
  /** Sanitised and meshopt-compressed for the viewer. */
  displayGlbKey: string | null;
  renderKeys: string[];
  /** Display views (never a metric or model input), under display/ next to renders/. */
  displayRenderKeys: string[];
  /** Display GLB size as exported and as stored; null when there is none. */
  displayGlbBytes: number | null;
  displayGlbCompressedBytes: number | null;
}

/** Each write into asset storage is bounded too: a stuck disk must not hold an execution slot forever. */
export const STORE_TIMEOUT_MS = 60_000;

export class StoreTimeoutError extends Error {
  override name = "StoreTimeoutError";
}

async function put(key: string, bytes: Uint8Array): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(`storing ${key} took longer than ${STORE_TIMEOUT_MS / 1000} s`)), STORE_TIMEOUT_MS);
  });
  try {
    await Promise.race([assets().putBytes(key, bytes), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function storeRun(prefix: string, result: RunResult): Promise<StoredRun> {
  const out: StoredRun = emptyStoredRun();
  const { files } = result;
  if (files.metricGlb) {
    out.metricGlbKey = `${prefix}/metric.glb`;
    await put(out.metricGlbKey, files.metricGlb);
  }
  if (files.displayGlb) {
    out.displayGlbKey = `${prefix}/display.glb`;
    await put(out.displayGlbKey, files.displayGlb);
    out.displayGlbBytes = files.displayGlbSourceBytes;
    out.displayGlbCompressedBytes = files.displayGlb.length;
  }
  for (const view of files.renders) {
    const key = `${prefix}/renders/${view.name}`;
    await put(key, view.png);
    out.renderKeys.push(key);
  }
  for (const view of result.display?.renders ?? []) {
    const key = `${prefix}/display/${view.name}`;
    await put(key, view.png);
    out.displayRenderKeys.push(key);
  }
  return out;
}

export function emptyStoredRun(): StoredRun {
  return { metricGlbKey: null, displayGlbKey: null, renderKeys: [], displayRenderKeys: [], displayGlbBytes: null, displayGlbCompressedBytes: null };
}

/** What the display views were made with and how long they took, or why there are none. */
export function displayRendererOf(result: RunResult): Record<string, unknown> | null {
  if (!result.display) return null;
  return { ...(result.display.renderer ?? {}), seconds: result.display.seconds, error: result.display.error };
}
