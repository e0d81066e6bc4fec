/**
 * Imports a category set into the database (create or update by instance id, by content hash).
 */
import { db, Prisma } from "@/lib/db";
import { assets } from "@/lib/storage";
import { readCategorySet, REFERENCE_VIEWS, type FolderProblem } from "./read-folder";

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  problems: FolderProblem[];
}

export async function importCategorySet(root: string, setName: string): Promise<ImportReport> {
  const { categories, problems } = await readCategorySet(root);
  const report: ImportReport = { created: [], updated: [], unchanged: [], problems };
  for (const c of categories) {
    const existing = await db().category.findUnique({ where: { instanceId: c.instanceId } });
    if (existing?.contentHash === c.contentHash) {
      report.unchanged.push(c.instanceId);
      continue;
    }
    let referenceImageKeys: string[] = [];
    if (c.referenceImages) {
      referenceImageKeys = REFERENCE_VIEWS.map((v) => `categories/${c.instanceId}/reference/${v}`);
      await Promise.all(c.referenceImages.map((png, i) => assets().putBytes(referenceImageKeys[i]!, png)));
    }
    const data = {
      name: c.name,
      setName,
      description: c.description,
      instruction: c.instruction,
      referenceScript: c.referenceScript,
      tags: c.tags,
      timeLimitSec: c.timeLimitSec,
      contentHash: c.contentHash,
      referenceImageKeys,
      referenceViewsFromSet: referenceImageKeys.length > 0,
      // A changed reference must be executed again.
      referenceGlbKey: null,
      referenceStatus: null,
      referenceError: null,
      referenceStats: Prisma.DbNull,
      referenceProfile: null,
      referenceBlenderVersion: null,
      referenceRenderer: Prisma.DbNull,
      referencePreparedAt: null,
      referenceQueuedAt: null,
      referenceStartedAt: null,
    };
    if (existing) {
      await db().category.update({ where: { id: existing.id }, data });
      report.updated.push(c.instanceId);
    } else {
      await db().category.create({ data: { instanceId: c.instanceId, ...data } });
      report.created.push(c.instanceId);
    }
  }
  return report;
}
