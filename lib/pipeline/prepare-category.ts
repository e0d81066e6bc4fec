/**
 * category.prepare: executes the reference script once per category content, reference profile
 * (REFERENCE_PROFILE, default benchmark) and Blender version, for the ground-truth metric GLB (for
 * Chamfer) and, when the set ships no images, the four reference views: the Image->3D input.
 */
import type { Runner } from "@/blender-runner/client/types";
import { db, Prisma } from "@/lib/db";
import { logger } from "@/lib/log";
import { referenceProfile } from "@/lib/categories/references";
import { displayProfile, displayProfileLabel, limitsFor, profileLabel } from "./profiles";
import { PermanentJobError } from "./errors";
import { emptyStoredRun, storeRun, StoreTimeoutError, type StoredRun } from "./store-run";

const log = logger("prepare");

export async function prepareCategory(runner: Runner, p: { categoryId: string }): Promise<void> {
  const cat = await db().category.findUnique({ where: { id: p.categoryId } });
  if (!cat) throw new PermanentJobError(`Category ${p.categoryId} no longer exists`);
  const profile = referenceProfile();
  const label = profileLabel(profile);
  // The display views (what people see of the reference) come with the same run; never the input.
  const display = displayProfile();
  const version = await runner.version();
  // Already prepared for this content, profile and Blender version (an import resets all three).
  if (cat.referenceStatus !== null && cat.referenceProfile === label && cat.referenceBlenderVersion === version) return;

  await db().category.update({ where: { id: cat.id }, data: { referenceStartedAt: new Date() } });
  const hash = cat.contentHash.slice(0, 12);
  let result;
  try {
    result = await runner.run({ id: `ref-${cat.instanceId}-${hash}`, code: cat.referenceScript, profile, display }, limitsFor(cat, profile));
  } catch (err) {
    // The job retries: back to queued in the progress view, not "rendering" forever.
    await db().category.update({ where: { id: cat.id }, data: { referenceStartedAt: null } });
    throw err;
  }
  try {
    let stored: StoredRun;
    let status = result.status;
    let errorText = result.errorText;
    const usedVersion = result.blenderVersion ?? version;
    // Per profile and version too: views shown in past battles keep their files.
    const prefix = `categories/${cat.instanceId}/reference-${hash}-${profile.name}-${usedVersion.replace(/[^\w.]/g, "_")}`;
    try {
      stored = await storeRun(prefix, result);
    } catch (err) {
      if (!(err instanceof StoreTimeoutError)) throw err;
      stored = emptyStoredRun();
      status = "ERR_EXPORT";
      errorText = err.message;
    }
    // A set's own views stay; ours are replaced, or cleared when this run rendered no full set.
    const views = cat.referenceViewsFromSet ? {} : { referenceImageKeys: stored.renderKeys.length === 4 ? stored.renderKeys : [] };
    const renderer = result.renderer
      ? { ...result.renderer, renderSec: round(result.timings.render), totalSec: round(result.timings.total) }
      : null;
    await db().category.update({
      where: { id: cat.id },
      data: {
        referenceStatus: status,
        referenceError: errorText,
        referenceStats: result.stats ? JSON.parse(JSON.stringify(result.stats)) : Prisma.DbNull,
        referenceGlbKey: stored.metricGlbKey,
        referenceProfile: label,
        referenceBlenderVersion: usedVersion,
        referenceRenderer: renderer ?? Prisma.DbNull,
        referenceStartedAt: null,
        referenceQueuedAt: null,
        referencePreparedAt: new Date(),
        ...views,
        displayImageKeys: status === "OK" ? stored.displayRenderKeys : [],
        displayProfile: display && status === "OK" && stored.displayRenderKeys.length ? displayProfileLabel(display) : null,
      },
    });
    log.info(`reference of ${cat.instanceId}: ${status} with ${label} on Blender ${usedVersion} in ${round(result.timings.total)} s`);
    if (status !== "OK") log.warn(`reference of ${cat.instanceId} ended ${status}: ${errorText?.split("\n")[0]}`);
    // References are trusted scripts; if one reaches for the harness, say so (its outputs came from process 2 regardless).
    if (result.tamper.suspected) log.warn(`reference of ${cat.instanceId}: tampering suspected: ${JSON.stringify(result.tamper.evidence.slice(0, 5))}`);
  } finally {
    await result.cleanup();
  }
}

function round(s: number): number {
  return Math.round(s * 10) / 10;
}
