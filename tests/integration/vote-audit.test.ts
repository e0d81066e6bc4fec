/**
 * The fraud audit on real PostgreSQL: honest voters, an always-side-a voter, a voter who always
 * picks the weaker model and a burst from one IP, against stored ratings. Flags carry their rule
 * and reason, maintainer decisions are never overturned, stale flags are lifted, and flagged votes
 * leave the default leaderboards.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { auditVotes } = await import("@/lib/moderation/vote-audit");
const { recomputeRatings } = await import("@/lib/ratings/snapshot");
const { mulberry32 } = await import("@/lib/math/mulberry32");

const P = "vat";
const ELO = [1250, 1120, 1000, 850];
const START = Date.UTC(2003, 5, 1);
const rand = mulberry32(404);
let seq = 0;

async function cleanup(): Promise<void> {
  const like = `${P}%`;
  await db().$executeRaw`DELETE FROM "Vote" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Battle" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Generation" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "RatingSnapshot" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Sweep" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Category" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Contestant" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "User" WHERE id LIKE ${like}`;
}

/** One served battle and its vote. `pick` decides the winner's model index from the two shown. */
async function vote(voter: string, ip: string, at: number, choose: (a: number, b: number) => "a" | "b" | "tie"): Promise<string> {
  const k = seq++;
  let a = Math.floor(rand() * 4);
  let b = Math.floor(rand() * 3);
  if (b >= a) b++;
  if (rand() < 0.5) [a, b] = [b, a];
  const createdAt = new Date(at);
  await db().battle.create({
    data: { id: `${P}b${k}`, track: "text", categoryId: `${P}cat`, generationAId: `${P}gen${a}`, generationBId: `${P}gen${b}`, voterId: voter, tokenHash: `${P}t${k}`, expiresAt: createdAt, createdAt },
  });
  await db().vote.create({ data: { id: `${P}v${k}`, battleId: `${P}b${k}`, outcome: choose(a, b), voterId: voter, ipHash: ip, createdAt } });
  return `${P}v${k}`;
}

const honest = (a: number, b: number) => (rand() < 1 / (1 + 10 ** ((ELO[b]! - ELO[a]!) / 400)) ? "a" : "b");

const ids = { honest: [] as string[], sameSide: [] as string[], anti: [] as string[], burst: [] as string[] };

before(async () => {
  await cleanup();
  await db().contestant.createMany({
    data: ELO.map((_, i) => ({ id: `${P}con${i}`, slug: `${P}-m${i}`, displayName: `M${i}`, organisation: "test", kind: "baseline" as const, provider: "baseline", providerModelId: "x", harness: "baseline" })),
  });
  await db().category.create({ data: { id: `${P}cat`, instanceId: "VatMug_seed0", name: "VatMug", setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h" } });
  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  await db().generation.createMany({
    data: ELO.map((_, i) => ({ id: `${P}gen${i}`, contestantId: `${P}con${i}`, categoryId: `${P}cat`, track: "text" as const, sweepId: `${P}sweep`, status: "ready" as const })),
  });
  // The yardstick: the newest overall snapshot.
  await db().ratingSnapshot.create({
    data: {
      id: `${P}snap`,
      scope: "all",
      computedAt: new Date(Date.now() + 60_000),
      voteCount: 0,
      params: {},
      entries: { create: ELO.map((elo, i) => ({ contestantId: `${P}con${i}`, elo, ciLow: elo - 20, ciHigh: elo + 20, rank: i + 1, votes: 0, wins: 0, losses: 0, ties: 0, bothBad: 0 })) },
    },
  });
  const users = [...Array.from({ length: 8 }, (_, k) => `${P}uhonest${k}`), `${P}uside`, `${P}uanti`, ...Array.from({ length: 40 }, (_, k) => `${P}uburst${k}`)];
  await db().user.createMany({ data: users.map((id) => ({ id, anonymous: true })) });

  const minute = 60_000;
  for (let k = 0; k < 8; k++) for (let n = 0; n < 25; n++) ids.honest.push(await vote(`${P}uhonest${k}`, `${P}ip${k}`, START + (k * 25 + n) * minute, honest));
  for (let n = 0; n < 25; n++) ids.sameSide.push(await vote(`${P}uside`, `${P}ipside`, START + n * minute + 7, () => "a"));
  for (let n = 0; n < 30; n++) ids.anti.push(await vote(`${P}uanti`, `${P}ipanti`, START + n * minute + 11, (a, b) => (ELO[a]! < ELO[b]! ? "a" : "b")));
  // 40 different "voters" within 20 s from one address.
  for (let k = 0; k < 40; k++) ids.burst.push(await vote(`${P}uburst${k}`, `${P}ipburst`, START + 500 * k, honest));
});

after(async () => {
  await cleanup();
  await disconnectDb();
});

async function state(voteIds: string[]) {
  return db().vote.findMany({ where: { id: { in: voteIds } }, select: { id: true, valid: true, flagRule: true, invalidReason: true } });
}

test("flags the bots with their rule and reason, and no honest voter", async () => {
  const res = await auditVotes();
  assert.ok(res.flagged >= 25 + 30 + 31, JSON.stringify(res));
  // Always choosing side a also means many upsets here, and the first matching rule is recorded.
  const rules = { sameSide: ["same-side", "improbable-voter"], anti: ["improbable-voter"], burst: ["ip-burst"] } as const;
  for (const [group, allowed] of Object.entries(rules) as [keyof typeof rules, readonly string[]][]) {
    const rows = await state(ids[group]);
    assert.ok(rows.every((r) => !r.valid && allowed.includes(r.flagRule ?? "") && (r.invalidReason ?? "").length > 20), `${group}: ${JSON.stringify(rows[0])}`);
  }
  const honestRows = await state(ids.honest);
  assert.deepEqual(honestRows.filter((r) => !r.valid), [], "honest voters are not flagged");
  // Stable: a second audit changes nothing.
  const again = await auditVotes();
  assert.deepEqual([again.flagged, again.restored], [0, 0]);
});

test("maintainer decisions stand, and stale flags are lifted", async () => {
  const [reviewed] = ids.burst;
  await db().vote.update({ where: { id: reviewed }, data: { valid: true, reviewedAt: new Date() } });
  const [stale] = ids.honest;
  await db().vote.update({ where: { id: stale }, data: { valid: false, flagRule: "ip-burst", invalidReason: "old flag" } });
  const res = await auditVotes();
  assert.equal(res.restored, 1);
  const [r, s] = await Promise.all([reviewed!, stale!].map((id) => db().vote.findUniqueOrThrow({ where: { id } })));
  assert.equal(r!.valid, true, "reviewed vote keeps the maintainer's decision");
  assert.deepEqual([s!.valid, s!.flagRule, s!.invalidReason], [true, null, null]);
});

test("flagged votes leave the default scopes but stay in flagged:include", async () => {
  await recomputeRatings();
  const [all, withFlagged] = await Promise.all(
    ["all", "flagged:include"].map((scope) => db().ratingSnapshot.findFirstOrThrow({ where: { scope, NOT: { id: `${P}snap` } }, orderBy: { computedAt: "desc" } })),
  );
  const flagged = await db().vote.count({ where: { valid: false } });
  assert.ok(flagged >= 86);
  assert.equal(withFlagged!.voteCount - all!.voteCount, flagged);
});
