/** Hiding an output by hand (web tier only: it writes the admin audit log). */
import "server-only";
import type { Prisma } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/moderation/audit-log";

/**
 * The one way an output is hidden by hand, from the admin console or the moderation queue: only a
 * ready or failed output can be hidden, and every hide is in the audit log (in the caller's
 * transaction). False when it was hidden already (nothing written).
 */
export async function hideOutput(
  tx: Prisma.TransactionClient,
  id: string,
  actorId: string,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const g = await tx.generation.findUnique({ where: { id }, select: { status: true } });
  if (!g) throw new ApiError("not_found", "This output does not exist.");
  if (g.status === "hidden") return false;
  if (g.status !== "ready" && g.status !== "failed") throw new ApiError("conflict", `A ${g.status} generation cannot be hidden.`);
  await tx.generation.update({ where: { id }, data: { status: "hidden", reviewedById: actorId, reviewedAt: new Date() } });
  await recordAudit(actorId, "generation.hide", "generation", id, { from: g.status, to: "hidden", ...details }, tx);
  return true;
}

/**
 * Undo of a hide: the output goes back to the status it was hidden from (the latest audited hide
 * says which), in the caller's transaction, audited. Refused for an output that is not hidden or
 * that no audited hide put there (a hide by the pipeline is not a moderator's to undo).
 */
export async function unhideOutput(tx: Prisma.TransactionClient, id: string, actorId: string, details: Record<string, unknown> = {}): Promise<"ready" | "failed"> {
  const g = await tx.generation.findUnique({ where: { id }, select: { status: true } });
  if (!g) throw new ApiError("not_found", "This output does not exist.");
  if (g.status !== "hidden") throw new ApiError("conflict", "This output is not hidden.");
  const hide = await tx.auditLog.findFirst({ where: { action: "generation.hide", targetType: "generation", targetId: id }, orderBy: { createdAt: "desc" }, select: { details: true } });
  const from = (hide?.details as { from?: unknown } | null)?.from;
  if (from !== "ready" && from !== "failed") throw new ApiError("conflict", "No moderator hid this output, so there is nothing to undo.");
  await tx.generation.update({ where: { id }, data: { status: from, reviewedById: actorId, reviewedAt: new Date() } });
  await recordAudit(actorId, "generation.unhide", "generation", id, { from: "hidden", to: from, ...details }, tx);
  return from;
}
