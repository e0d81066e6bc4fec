/**
 * The maintainers' moderation queue: votes fraud detection excluded (with the rule and reason) or
 * marked too fast, and voter reports on outputs. Every decision records who made it and when.
 */
import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { ApiError } from "@/lib/api/errors";
import { staffAssetUrl } from "@/lib/storage";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { hideOutput } from "@/lib/moderation/hide-output";

const PAGE = 100;

/** A stable pseudonym: maintainers can see that votes share a voter without seeing who it is. */
function pseudonym(id: string): string {
  return createHash("sha256").update(`voter:${id}`).digest("hex").slice(0, 8);
}

export interface FlaggedVote {
  id: string;
  createdAt: string;
  voter: string;
  outcome: string;
  category: string;
  models: [string, string];
  rule: string | null;
  reason: string | null;
  valid: boolean;
  tooFast: boolean;
  decisionMs: number | null;
  reviewedBy: string | null;
}

export async function flaggedVotes(): Promise<{ votes: FlaggedVote[]; total: number }> {
  await requireRole("maintainer");
  const where = { OR: [{ valid: false }, { flagRule: { not: null } }] };
  const [rows, total] = await Promise.all([
    db().vote.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take: PAGE,
      include: {
        reviewedBy: { select: { email: true } },
        battle: {
          select: {
            category: { select: { instanceId: true } },
            generationA: { select: { contestant: { select: { slug: true } } } },
            generationB: { select: { contestant: { select: { slug: true } } } },
          },
        },
      },
    }),
    db().vote.count({ where }),
  ]);
  return {
    total,
    votes: rows.map((v) => ({
      id: v.id,
      createdAt: v.createdAt.toISOString(),
      voter: pseudonym(v.voterId),
      outcome: v.outcome,
      category: v.battle.category.instanceId,
      models: [v.battle.generationA.contestant.slug, v.battle.generationB.contestant.slug],
      rule: v.flagRule,
      reason: v.invalidReason,
      valid: v.valid,
      tooFast: v.tooFast,
      decisionMs: v.decisionMs,
      reviewedBy: v.reviewedBy?.email ?? (v.reviewedAt ? "a maintainer" : null),
    })),
  };
}

/** "count": the vote counts again despite the flag; "exclude": it stays out. Either is final. */
export async function reviewVote(voteId: string, action: "count" | "exclude", maintainerId: string): Promise<void> {
  const vote = await db().vote.findUnique({ where: { id: voteId }, select: { id: true, invalidReason: true } });
  if (!vote) throw new ApiError("not_found", "This vote does not exist.");
  await db().vote.update({
    where: { id: voteId },
    data: {
      valid: action === "count",
      invalidReason: vote.invalidReason ?? (action === "exclude" ? "excluded by a maintainer" : null),
      reviewedById: maintainerId,
      reviewedAt: new Date(),
    },
  });
  await enqueue(JOBS.ratingsRecompute, { reason: "moderation" }, { delayMs: 0 });
}

export interface ReportedOutput {
  reportIds: string[];
  generationId: string;
  model: string;
  category: string;
  track: string;
  imageUrl: string | null;
  hidden: boolean;
  reasons: { reason: string; count: number }[];
  notes: string[];
  firstAt: string;
}

/** Open reports grouped per output, most reported first. */
export async function openReports(): Promise<ReportedOutput[]> {
  await requireRole("maintainer");
  const rows = await db().report.findMany({
    where: { status: "open" },
    orderBy: { createdAt: "asc" },
    take: 500,
    include: {
      generation: { select: { id: true, track: true, status: true, renderKeys: true, contestant: { select: { slug: true } }, category: { select: { instanceId: true } } } },
    },
  });
  const byGen = new Map<string, ReportedOutput>();
  for (const r of rows) {
    const g = r.generation;
    const item =
      byGen.get(g.id) ??
      ({
        reportIds: [],
        generationId: g.id,
        model: g.contestant.slug,
        category: g.category.instanceId,
        track: g.track,
        imageUrl: g.renderKeys[0] ? staffAssetUrl(g.renderKeys[0]) : null,
        hidden: g.status === "hidden",
        reasons: [],
        notes: [],
        firstAt: r.createdAt.toISOString(),
      } satisfies ReportedOutput);
    item.reportIds.push(r.id);
    const reason = item.reasons.find((x) => x.reason === r.reason);
    if (reason) reason.count++;
    else item.reasons.push({ reason: r.reason, count: 1 });
    if (r.note) item.notes.push(r.note);
    byGen.set(g.id, item);
  }
  return [...byGen.values()].sort((x, y) => y.reportIds.length - x.reportIds.length);
}

/**
 * "dismiss" closes the output's open reports; "hide" also takes the output out of new battles,
 * through the same audited path as the admin console's hide (lib/generations/transition.ts).
 */
export async function resolveReports(generationId: string, action: "dismiss" | "hide", maintainerId: string): Promise<void> {
  const gen = await db().generation.findUnique({ where: { id: generationId }, select: { id: true } });
  if (!gen) throw new ApiError("not_found", "This output does not exist.");
  await db().$transaction(async (tx) => {
    if (action === "hide") await hideOutput(tx, generationId, maintainerId, { via: "moderation" });
    await tx.report.updateMany({
      where: { generationId, status: "open" },
      data: { status: action === "hide" ? "actioned" : "dismissed", resolvedById: maintainerId, resolvedAt: new Date() },
    });
  });
}
