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
