/**
 * The admin audit log: every admin action writes one row (who, what, on which target, details),
 * inside the action's own transaction where it has one.
 */
import "server-only";
import { db, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";

type Tx = Pick<ReturnType<typeof db>, "auditLog">;

export async function recordAudit(
  actorId: string | null,
  action: string,
  targetType: string,
  targetId: string | null,
  details: Record<string, unknown> = {},
  tx: Tx = db(),
): Promise<void> {
  await tx.auditLog.create({
    data: { actorId, action, targetType, targetId, details: JSON.parse(JSON.stringify(details)) as Prisma.InputJsonValue },
  });
}

export interface AuditFilters {
  action?: string;
  targetType?: string;
  actor?: string;
  targetId?: string;
  limit?: number;
}

export interface AuditEntry {
  id: string;
  createdAt: string;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
}

export async function listAudit(f: AuditFilters = {}): Promise<AuditEntry[]> {
  await requireRole("admin");
  const where: Prisma.AuditLogWhereInput = {};
  if (f.action) where.action = { contains: f.action, mode: "insensitive" };
  if (f.targetType) where.targetType = f.targetType;
  if (f.targetId) where.targetId = f.targetId;
  if (f.actor) where.actor = { email: { contains: f.actor, mode: "insensitive" } };
  const rows = await db().auditLog.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: Math.min(f.limit ?? 200, 500),
    include: { actor: { select: { email: true, name: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    actor: r.actor?.email ?? r.actor?.name ?? null,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
  }));
}

export async function auditTargetTypes(): Promise<string[]> {
  await requireRole("admin");
  const rows = await db().auditLog.findMany({ distinct: ["targetType"], select: { targetType: true } });
  return rows.map((r) => r.targetType).sort();
}
