/**
 * Admin side of reference preparation: the progress view and the "prepare" action (audited).
 */
import "server-only";
import { db } from "@/lib/db";
import { requireRole, type SignedInUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/moderation/audit-log";
import { ApiError } from "@/lib/api/errors";
import { ensureReferences, executionBlenderVersion, referenceProgress, type ReferenceProgress } from "./references";

/** Every category's reference state, compared with the running execution worker's Blender. */
export async function referencesOverview(): Promise<ReferenceProgress> {
  await requireRole("admin");
  return referenceProgress({ blenderVersion: await executionBlenderVersion() });
}

/**
 * Queues preparation for the given categories (all when none given): missing or stale references,
 * and with `force` prepared and failed ones too.
 */
export async function prepareReferences(input: { categoryIds?: string[]; force?: boolean }, admin: SignedInUser): Promise<{ enqueued: number }> {
  const ids = input.categoryIds?.length
    ? input.categoryIds
    : (await db().category.findMany({ select: { id: true } })).map((c) => c.id);
  if (input.categoryIds?.length) {
    const found = await db().category.count({ where: { id: { in: ids } } });
    if (found !== new Set(ids).size) throw new ApiError("not_found", "Some of these categories do not exist.");
  }
  const enqueued = await ensureReferences(ids, { blenderVersion: await executionBlenderVersion(), force: input.force });
  await recordAudit(admin.id, "categories.prepare", "category", input.categoryIds?.length === 1 ? input.categoryIds[0]! : null, {
    categories: input.categoryIds?.length ?? "all",
    force: input.force ?? false,
    enqueued,
  });
  return { enqueued };
}
