/**
 * The maintainers' moderation queue: votes fraud detection excluded (with the rule and reason) or
 * marked too fast, and voter reports on outputs. Every decision records who made it and when.
 */
import "server-only";
import { shownRenderKeys } from "@/lib/generations/display-views";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { ApiError } from "@/lib/api/errors";
import { staffAssetUrl } from "@/lib/storage";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { hideOutput, unhideOutput } from "@/lib/moderation/hide-output";
import { recordAudit } from "@/lib/moderation/audit-log";

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
  const vote = await db().vote.findUnique({ where: { id: voteId }, select: { id: true, valid: true, invalidReason: true, flagRule: true } });
  if (!vote) throw new ApiError("not_found", "This vote does not exist.");
  await db().$transaction(async (tx) => {
    await tx.vote.update({
      where: { id: voteId },
      data: {
        valid: action === "count",
        invalidReason: vote.invalidReason ?? (action === "exclude" ? "excluded by a maintainer" : null),
        reviewedById: maintainerId,
        reviewedAt: new Date(),
      },
    });
    await recordAudit(maintainerId, `vote.${action}`, "vote", voteId, { wasValid: vote.valid, rule: vote.flagRule, reason: vote.invalidReason }, tx);
  });
  await enqueue(JOBS.ratingsRecompute, { reason: "moderation" }, { delayMs: 0 });
}

export interface ReportedOutput {
  reportIds: string[];
  generationId: string;
  model: string;
  category: string;
  track: string;
  /** What the model was asked: the caption (text track) or the category's name and caption (image track). */
  prompt: string;
  /** The four views, then the display GLB for the inline viewer (staff asset URLs). */
  imageUrls: string[];
  glbUrl: string | null;
  hidden: boolean;
  reasons: { reason: string; count: number }[];
  notes: string[];
  firstAt: string;
  lastAt: string;
}

export interface HiddenFromQueue {
  generationId: string;
  model: string;
  category: string;
  hiddenAt: string;
  hiddenBy: string | null;
  imageUrl: string | null;
}

/** Outputs hidden from this queue in the last day and still hidden: each can be undone. */
export async function recentlyHidden(): Promise<HiddenFromQueue[]> {
  await requireRole("maintainer");
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  const hides = await db().auditLog.findMany({
    where: { action: "generation.hide", targetType: "generation", createdAt: { gte: since }, details: { path: ["via"], equals: "moderation" } },
    orderBy: { createdAt: "desc" },
    take: 50,
    include: { actor: { select: { email: true } } },
  });
  const ids = [...new Set(hides.map((h) => h.targetId).filter((x): x is string => x !== null))];
  const gens = await db().generation.findMany({
    where: { id: { in: ids }, status: "hidden" },
    select: { id: true, renderKeys: true, displayRenderKeys: true, contestant: { select: { slug: true } }, category: { select: { instanceId: true } } },
  });
  const byId = new Map(gens.map((g) => [g.id, g]));
  const out: HiddenFromQueue[] = [];
  for (const h of hides) {
    const g = h.targetId ? byId.get(h.targetId) : undefined;
    if (!g || out.some((o) => o.generationId === g.id)) continue;
    out.push({
      generationId: g.id,
      model: g.contestant.slug,
      category: g.category.instanceId,
      hiddenAt: h.createdAt.toISOString(),
      hiddenBy: h.actor?.email ?? null,
      imageUrl: shownRenderKeys(g)[0] ? staffAssetUrl(shownRenderKeys(g)[0]!) : null,
    });
  }
  return out.slice(0, 10);
}

/** Open reports grouped per output, most reported first. */
export async function openReports(): Promise<ReportedOutput[]> {
  await requireRole("maintainer");
  const rows = await db().report.findMany({
    where: { status: "open" },
    orderBy: { createdAt: "asc" },
    take: 500,
    include: {
      generation: {
        select: {
          id: true,
          track: true,
          status: true,
          renderKeys: true,
          displayRenderKeys: true,
          displayGlbKey: true,
          contestant: { select: { slug: true } },
          category: { select: { instanceId: true, name: true, description: true } },
        },
      },
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
        prompt: g.track === "text" ? g.category.description : `${g.category.name} (from four reference views): ${g.category.description}`,
        imageUrls: shownRenderKeys(g).slice(0, 4).map(staffAssetUrl),
        glbUrl: g.displayGlbKey ? staffAssetUrl(g.displayGlbKey) : null,
        hidden: g.status === "hidden",
        reasons: [],
        notes: [],
        firstAt: r.createdAt.toISOString(),
        lastAt: r.createdAt.toISOString(),
      } satisfies ReportedOutput);
    item.reportIds.push(r.id);
    item.lastAt = r.createdAt.toISOString();
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
export async function resolveReports(generationId: string, action: "dismiss" | "hide" | "unhide", maintainerId: string): Promise<void> {
  const gen = await db().generation.findUnique({ where: { id: generationId }, select: { id: true } });
  if (!gen) throw new ApiError("not_found", "This output does not exist.");
  await db().$transaction(async (tx) => {
    if (action === "unhide") {
      // Undo of a hide from this queue: the output comes back and so do the reports it closed.
      await unhideOutput(tx, generationId, maintainerId, { via: "moderation" });
      const reopened = await tx.report.updateMany({ where: { generationId, status: "actioned" }, data: { status: "open", resolvedById: null, resolvedAt: null } });
      await recordAudit(maintainerId, "reports.reopen", "generation", generationId, { reports: reopened.count }, tx);
      return;
    }
    if (action === "hide") await hideOutput(tx, generationId, maintainerId, { via: "moderation" });
    const closed = await tx.report.updateMany({
      where: { generationId, status: "open" },
      data: { status: action === "hide" ? "actioned" : "dismissed", resolvedById: maintainerId, resolvedAt: new Date() },
    });
    if (action === "dismiss") await recordAudit(maintainerId, "reports.dismiss", "generation", generationId, { reports: closed.count }, tx);
  });
}
