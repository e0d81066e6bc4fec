/**
 * category.prepare: executes the reference script once per category to get the ground-truth
 * metric GLB (for Chamfer) and, when the set ships no images, the four reference views.
 */
import type { Runner } from "@/blender-runner/client/types";
import { db } from "@/lib/db";
import { logger } from "@/lib/log";
import { limitsFor, profileByName } from "./profiles";
import { PermanentJobError } from "./errors";
import { storeRun } from "./store-run";

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
    const stored = await storeRun(`categories/${cat.instanceId}/reference-${cat.contentHash.slice(0, 12)}`, result);
    const useRenders = cat.referenceImageKeys.length === 0 && stored.renderKeys.length === 4;
    await db().category.update({
      where: { id: cat.id },
      data: {
        referenceStatus: result.status,
        referenceError: result.errorText,
        referenceStats: result.stats ? JSON.parse(JSON.stringify(result.stats)) : undefined,
        referenceGlbKey: stored.metricGlbKey,
        ...(useRenders ? { referenceImageKeys: stored.renderKeys } : {}),
      },
    });
    if (result.status !== "OK") log.warn(`reference of ${cat.instanceId} ended ${result.status}: ${result.errorText?.split("\n")[0]}`);
  } finally {
    await result.cleanup();
  }
}
