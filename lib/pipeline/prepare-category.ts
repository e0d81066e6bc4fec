/**
 * category.prepare: executes the reference script once per category to get the ground-truth
 * metric GLB (for Chamfer) and, when the set ships no images, the four reference views.
 */
import type { Runner } from "@/blender-runner/client/types";
import { db } from "@/lib/db";
import { logger } from "@/lib/log";
import { limitsFor, profileByName } from "./profiles";
import { PermanentJobError } from "./errors";
import { storeRun, StoreTimeoutError, type StoredRun } from "./store-run";

const log = logger("prepare");

export async function prepareCategory(runner: Runner, p: { categoryId: string; profile: string }): Promise<void> {
  const cat = await db().category.findUnique({ where: { id: p.categoryId } });
  if (!cat) throw new PermanentJobError(`Category ${p.categoryId} no longer exists`);
  if (cat.referenceStatus !== null) return; // already prepared for this content
  const profile = profileByName(p.profile);
  const result = await runner.run(
    { id: `ref-${cat.instanceId}-${cat.contentHash.slice(0, 12)}`, code: cat.referenceScript, profile },
    limitsFor(cat, profile),
  );
  try {
    let stored: StoredRun;
    let status = result.status;
    let errorText = result.errorText;
    try {
      stored = await storeRun(`categories/${cat.instanceId}/reference-${cat.contentHash.slice(0, 12)}`, result);
    } catch (err) {
      if (!(err instanceof StoreTimeoutError)) throw err;
      stored = { metricGlbKey: null, displayGlbKey: null, renderKeys: [], displayGlbBytes: null, displayGlbCompressedBytes: null };
      status = "ERR_EXPORT";
      errorText = err.message;
    }
    const useRenders = cat.referenceImageKeys.length === 0 && stored.renderKeys.length === 4;
    await db().category.update({
      where: { id: cat.id },
      data: {
        referenceStatus: status,
        referenceError: errorText,
        referenceStats: result.stats ? JSON.parse(JSON.stringify(result.stats)) : undefined,
        referenceGlbKey: stored.metricGlbKey,
        ...(useRenders ? { referenceImageKeys: stored.renderKeys } : {}),
      },
    });
    if (status !== "OK") log.warn(`reference of ${cat.instanceId} ended ${status}: ${errorText?.split("\n")[0]}`);
    // References are trusted scripts; if one reaches for the harness, say so (its outputs came from process 2 regardless).
    if (result.tamper.suspected) log.warn(`reference of ${cat.instanceId}: tampering suspected: ${JSON.stringify(result.tamper.evidence.slice(0, 5))}`);
  } finally {
    await result.cleanup();
  }
}
