/**
 * The fraud audit (job votes.audit): runs lib/moderation/fraud over every vote against the current ratings,
 * excludes newly flagged votes with their reason, and restores votes it flagged earlier that no
 * longer look fraudulent. Votes a maintainer reviewed are never touched again.
 */
import { db, Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { detectFraud, type AuditVote, type FraudFlag } from "@/lib/moderation/fraud/detect";
import type { Outcome } from "@/lib/contracts";

export interface AuditSummary {
  audited: number;
  flagged: number;
  restored: number;
}

interface Row {
  id: string;
  voterId: string;
  ipHash: string | null;
  createdAt: Date;
  a: string;
  b: string;
  outcome: Outcome;
  valid: boolean;
  flagRule: string | null;
  reviewed: boolean;
}

export async function auditVotes(): Promise<AuditSummary> {
  const env = getEnv();
  const [rows, snapshot] = await Promise.all([
    db().$queryRaw<Row[]>(Prisma.sql`
      SELECT v."id", v."voterId", v."ipHash", v."createdAt", ga."contestantId" AS "a", gb."contestantId" AS "b",
             v."outcome"::text AS "outcome", v."valid", v."flagRule", v."reviewedAt" IS NOT NULL AS "reviewed"
      FROM "Vote" v
      JOIN "Battle" bt ON bt."id" = v."battleId"
      JOIN "Generation" ga ON ga."id" = bt."generationAId"
      JOIN "Generation" gb ON gb."id" = bt."generationBId"`),
    // The overall ratings are the yardstick for "improbable" votes.
    db().ratingSnapshot.findFirst({ where: { scope: "all" }, orderBy: { computedAt: "desc" }, include: { entries: true } }),
  ]);
  const elo = new Map((snapshot?.entries ?? []).map((e) => [e.contestantId, e.elo]));
  const votes: AuditVote[] = rows.map((r) => ({
    id: r.id,
    voterId: r.voterId,
    ipHash: r.ipHash,
    createdAt: r.createdAt.getTime(),
    a: r.a,
    b: r.b,
    outcome: r.outcome,
  }));
  const flags = new Map<string, FraudFlag>(
    detectFraud(votes, elo, { minVotes: env.FRAUD_MIN_VOTES, burstMax: env.FRAUD_IP_BURST_MAX }).map((f) => [f.voteId, f]),
  );

  const toFlag: FraudFlag[] = [];
  const toRestore: string[] = [];
  for (const r of rows) {
    if (r.reviewed) continue;
    const flag = flags.get(r.id);
    if (flag && (r.valid || r.flagRule !== flag.rule)) toFlag.push(flag);
    else if (!flag && r.flagRule !== null) toRestore.push(r.id);
  }
  await db().$transaction([
    ...toFlag.map((f) => db().vote.update({ where: { id: f.voteId }, data: { valid: false, flagRule: f.rule, invalidReason: f.reason } })),
    db().vote.updateMany({ where: { id: { in: toRestore }, reviewedAt: null }, data: { valid: true, flagRule: null, invalidReason: null } }),
  ]);
  return { audited: rows.length, flagged: toFlag.length, restored: toRestore.length };
}
