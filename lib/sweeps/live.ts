/** What the sweep pages show: the list, and one sweep's live state (polled every 2 s). */
import "server-only";
import { db, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { ApiError } from "@/lib/api/errors";
import { queueHealth, type QueueHealth } from "@/lib/jobs/queue-health";
import { ALL_STATUSES } from "@/lib/generations/status";
import { sweepOverrides } from "@/lib/sweeps/overrides";
import { describePromptSetId } from "@/lib/harness/prompt-set";

export const STAGES = ALL_STATUSES;

export interface SweepSummary {
  id: string;
  name: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
  total: number;
  done: number;
  byStatus: Record<string, number>;
  spentUsd: number;
  estimatedCostUsd: number | null;
  plannedCalls: number | null;
}

async function summaries(where: Prisma.SweepWhereInput, take = 100): Promise<SweepSummary[]> {
  const sweeps = await db().sweep.findMany({ where, orderBy: { createdAt: "desc" }, take, include: { createdBy: { select: { email: true } } } });
  if (sweeps.length === 0) return [];
  const ids = sweeps.map((s) => s.id);
  const rows = await db().generation.groupBy({ by: ["sweepId", "status"], where: { sweepId: { in: ids } }, _count: { _all: true }, _sum: { costUsd: true } });
  return sweeps.map((s) => {
    const byStatus: Record<string, number> = {};
    let total = 0;
    let spent = 0;
    for (const r of rows.filter((r) => r.sweepId === s.id)) {
      byStatus[r.status] = r._count._all;
      total += r._count._all;
      spent += r._sum.costUsd ?? 0;
    }
    const done = (byStatus.ready ?? 0) + (byStatus.failed ?? 0) + (byStatus.hidden ?? 0);
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      createdAt: s.createdAt.toISOString(),
      finishedAt: s.finishedAt?.toISOString() ?? null,
      createdBy: s.createdBy?.email ?? null,
      total,
      done,
      byStatus,
      spentUsd: spent,
      estimatedCostUsd: s.estimatedCostUsd,
      plannedCalls: s.plannedCalls,
    };
  });
}

export async function listSweeps(): Promise<SweepSummary[]> {
  await requireRole("admin");
  return summaries({});
}

export async function runningSweeps(): Promise<SweepSummary[]> {
  await requireRole("admin");
  return summaries({ status: { in: ["running", "paused"] } }, 20);
}

export interface GenerationRow {
  id: string;
  model: string;
  category: string;
  track: string;
  status: string;
  execStatus: string | null;
  failureGroup: string | null;
  attempts: number;
  costUsd: number;
  chamfer: number | null;
  errorText: string | null;
  statusMismatch: boolean;
  importedStatus: string | null;
}

export interface SweepLive extends SweepSummary {
  config: unknown;
  /** The sweep's prompt set, for display (null: an imported sweep, or one from before prompt sets). */
  promptSet: { id: string; label: string } | null;
  etaSeconds: number | null;
  ratePerMin: number | null;
  calls: number;
  byExecStatus: Record<string, number>;
  byFailureGroup: Record<string, number>;
  mismatches: { id: string; model: string; category: string; track: string; importedStatus: string | null; execStatus: string | null }[];
  queues: QueueHealth[];
  models: string[];
  generations: GenerationRow[];
}

export interface GenerationFilters {
  status?: string;
  model?: string;
  track?: string;
}

export async function sweepLive(id: string, f: GenerationFilters = {}): Promise<SweepLive> {
  await requireRole("admin");
  const [summary] = await summaries({ id });
  if (!summary) throw new ApiError("not_found", "This sweep does not exist.");
  const sweep = await db().sweep.findUniqueOrThrow({ where: { id } });
  const where: Prisma.GenerationWhereInput = { sweepId: id };
  if (f.status && (STAGES as readonly string[]).includes(f.status)) where.status = f.status as (typeof STAGES)[number];
  if (f.model) where.contestant = { slug: f.model };
  if (f.track === "text" || f.track === "image") where.track = f.track;

  const [gens, execRows, groupRows, calls, mismatches, models, finishedTimes, queues] = await Promise.all([
    db().generation.findMany({
      where,
      orderBy: [{ contestant: { slug: "asc" } }, { category: { instanceId: "asc" } }, { track: "asc" }],
      take: 500,
      include: { contestant: { select: { slug: true } }, category: { select: { instanceId: true } }, _count: { select: { attempts: true } } },
    }),
    db().generation.groupBy({ by: ["execStatus"], where: { sweepId: id, execStatus: { not: null }, status: { in: ["ready", "failed", "hidden"] } }, _count: { _all: true } }),
    db().generation.groupBy({ by: ["failureGroup"], where: { sweepId: id, status: "failed" }, _count: { _all: true } }),
    db().generationAttempt.aggregate({ where: { generation: { sweepId: id } }, _sum: { parseTries: true } }),
    db().generation.findMany({
      where: { sweepId: id, statusMismatch: true },
      take: 100,
      include: { contestant: { select: { slug: true } }, category: { select: { instanceId: true } } },
    }),
    db().generation.findMany({ where: { sweepId: id }, distinct: ["contestantId"], select: { contestant: { select: { slug: true } } } }),
    db().generation.findMany({ where: { sweepId: id, status: { in: ["ready", "failed", "hidden"] } }, select: { updatedAt: true } }),
    queueHealth(),
  ]);

  // ETA from the completion rate since the sweep started (or since it was last finished work).
  let etaSeconds: number | null = null;
  let ratePerMin: number | null = null;
  const remaining = summary.total - summary.done;
  if (finishedTimes.length > 0) {
    const last = Math.max(...finishedTimes.map((t) => t.updatedAt.getTime()));
    const elapsed = Math.max(1, (Math.max(last, sweep.status === "running" ? Date.now() : last) - sweep.createdAt.getTime()) / 1000);
    const perSec = finishedTimes.length / elapsed;
    ratePerMin = perSec * 60;
    etaSeconds = remaining === 0 ? 0 : sweep.status === "running" && perSec > 0 ? Math.round(remaining / perSec) : null;
  }
  const count = (rows: { _count: { _all: number } }[], key: (r: never) => string | null) =>
    Object.fromEntries(rows.map((r) => [key(r as never) ?? "unclassified", r._count._all]));

  return {
    ...summary,
    config: sweep.config,
    promptSet: promptSetOf(sweep.config),
    etaSeconds,
    ratePerMin,
    calls: calls._sum.parseTries ?? 0,
    byExecStatus: count(execRows, (r: { execStatus: string | null }) => r.execStatus),
    byFailureGroup: count(groupRows, (r: { failureGroup: string | null }) => r.failureGroup),
    mismatches: mismatches.map((g) => ({
      id: g.id,
      model: g.contestant.slug,
      category: g.category.instanceId,
      track: g.track,
      importedStatus: g.importedStatus,
      execStatus: g.execStatus,
    })),
    queues,
    models: models.map((m) => m.contestant.slug).sort(),
    generations: gens.map((g) => ({
      id: g.id,
      model: g.contestant.slug,
      category: g.category.instanceId,
      track: g.track,
      status: g.status,
      execStatus: g.execStatus,
      failureGroup: g.failureGroup,
      attempts: g._count.attempts,
      costUsd: g.costUsd,
      chamfer: g.chamfer,
      errorText: g.errorText,
      statusMismatch: g.statusMismatch,
      importedStatus: g.importedStatus,
    })),
  };
}

function promptSetOf(config: unknown): { id: string; label: string } | null {
  const id = sweepOverrides(config).promptSet;
  return id ? { id, label: describePromptSetId(id) } : null;
}
