/**
 * Ratings on real PostgreSQL (issue 11): the rating counts follow every change to a vote in the
 * vote's own transaction (trigger + fold) and equal a full recount for every scope; a recompute
 * refits only the scopes whose counts changed; the boards the API reads show what the votes
 * identify (an undefeated newcomer listed apart and moving nobody, groups never compared on boards
 * of their own, "not enough data" for a one-vote scope); the reveal's after-vote rating is what the
 * next snapshot publishes.
 *
 * Scenarios live in categories with tags of their own (rbt-*), so their tag scopes hold only this
 * file's votes whatever other suites left behind; everything is removed afterwards.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { recomputeRatings } = await import("@/lib/ratings/snapshot");
const { foldVoteCounts } = await import("@/lib/ratings/counts");
const { readLeaderboard } = await import("@/lib/leaderboard/read");
const { revealAfterVote } = await import("@/lib/ratings/after-vote");
const { DEFAULT_SCOPE, maintainedScopes, scopeKey } = await import("@/lib/ratings/scope");
const { mulberry32 } = await import("@/lib/math/mulberry32");
type Outcome = import("@/lib/contracts").Outcome;
type RatingScope = import("@/lib/ratings/scope").RatingScope;

const P = "rbt";
const MODELS = ["a", "b", "c", "d", "e", "f", "new"];
const TAGS = { sweep: `${P}-sweep`, groups: `${P}-groups`, one: `${P}-one` } as const;
const con = (m: string) => `${P}con-${m}`;
const gen = (m: string, cat: keyof typeof TAGS) => `${P}gen-${m}-${cat}`;
let battles = 0;

async function cleanup(): Promise<void> {
  await db().vote.deleteMany({ where: { battle: { id: { startsWith: P } } } });
  await db().battle.deleteMany({ where: { id: { startsWith: P } } });
  await db().generation.deleteMany({ where: { id: { startsWith: P } } });
  await db().category.deleteMany({ where: { id: { startsWith: P } } });
  await db().ratingSnapshot.deleteMany({ where: { scope: { contains: `tag:${P}-` } } });
  await db().ratingEntry.deleteMany({ where: { contestantId: { startsWith: P } } });
  await db().contestant.deleteMany({ where: { id: { startsWith: P } } });
  await db().sweep.deleteMany({ where: { id: { startsWith: P } } });
  await db().user.deleteMany({ where: { id: { startsWith: P } } });
}

/** Casts one vote straight into the database (the trigger does the bookkeeping). */
async function vote(a: string, b: string, cat: keyof typeof TAGS, outcome: Outcome, signedIn = false): Promise<string> {
  const id = `${P}bat${battles++}`;
  await db().battle.create({
    data: { id, track: "text", categoryId: `${P}cat-${cat}`, generationAId: gen(a, cat), generationBId: gen(b, cat), voterId: `${P}user`, tokenHash: id, expiresAt: new Date(Date.now() + 60_000) },
  });
  const v = await db().vote.create({ data: { battleId: id, outcome, voterId: `${P}user`, voterSignedIn: signedIn } });
  return v.id;
}

/** Bradley-Terry votes among `models` with strengths 100 Elo apart, in random display order. */
async function field(models: string[], count: number, cat: keyof typeof TAGS, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  for (let k = 0; k < count; k++) {
    const i = Math.floor(rand() * models.length);
    let j = Math.floor(rand() * (models.length - 1));
    if (j >= i) j++;
    const p = 1 / (1 + 10 ** (((i - j) * 100) / 400));
    const u = rand();
    await vote(models[i]!, models[j]!, cat, u < 0.1 ? "tie" : rand() < p ? "a" : "b");
  }
}

before(async () => {
  await cleanup();
  await db().user.create({ data: { id: `${P}user`, anonymous: true } });
  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  await db().contestant.createMany({
    data: MODELS.map((m) => ({ id: con(m), slug: `${P}-${m}`, displayName: `RBT ${m.toUpperCase()}`, organisation: "test", kind: "baseline" as const, provider: "baseline", providerModelId: "x", harness: "baseline" })),
  });
  for (const [cat, tag] of Object.entries(TAGS)) {
    await db().category.create({
      data: { id: `${P}cat-${cat}`, instanceId: `Rbt${cat}_seed0`, name: `Rbt ${cat}`, setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h", tags: [tag] },
    });
    // Never "ready": no other suite can be served these outputs.
    await db().generation.createMany({
      data: MODELS.map((m) => ({ id: gen(m, cat as keyof typeof TAGS), contestantId: con(m), categoryId: `${P}cat-${cat}`, track: "text" as const, sweepId: `${P}sweep`, status: "failed" as const, meshStats: { faces: 100 + m.charCodeAt(0), parts: 2, hasMaterials: m < "c" } })),
    });
  }
});

after(async () => {
  await cleanup();
  // Leave the counts and snapshots as later suites expect (the tags changed: the fold rebuilds).
  await recomputeRatings();
  await disconnectDb();
});

/** Expected counts of every maintained plain scope, recounted from the votes with this file's own scope rule. */
async function recount(): Promise<Map<string, string>> {
  const rows = await db().$queryRaw<{ track: string; tags: string[]; a: string; b: string; outcome: Outcome; signedIn: boolean; valid: boolean; n: number }[]>`
    SELECT bt.track::text AS track, c.tags, ga."contestantId" AS a, gb."contestantId" AS b, v.outcome::text AS outcome,
           v."voterSignedIn" AS "signedIn", v.valid, count(*)::int AS n
    FROM "Vote" v JOIN "Battle" bt ON bt.id = v."battleId" JOIN "Category" c ON c.id = bt."categoryId"
    JOIN "Generation" ga ON ga.id = bt."generationAId" JOIN "Generation" gb ON gb.id = bt."generationBId"
    GROUP BY 1, 2, 3, 4, 5, 6, 7`;
  const tags = [...new Set((await db().category.findMany({ select: { tags: true } })).flatMap((c) => c.tags.map((t) => t.toLowerCase())))];
  const out = new Map<string, Map<string, number[]>>();
  for (const s of maintainedScopes(tags).filter((x: RatingScope) => !x.style)) {
    const m = new Map<string, number[]>();
    for (const r of rows) {
      const ok =
        (s.track === "all" || s.track === r.track) &&
        (s.voters === "all" || r.signedIn) &&
        (s.flagged === "include" || r.valid) &&
        (s.tag === null || r.tags.map((t) => t.toLowerCase()).includes(s.tag));
      if (!ok || r.a === r.b) continue;
      const [lo, hi] = r.a < r.b ? [r.a, r.b] : [r.b, r.a];
      const t = m.get(`${lo} ${hi}`) ?? [0, 0, 0, 0];
      const col = r.outcome === "tie" ? 2 : r.outcome === "both_bad" ? 3 : (r.outcome === "a") === (r.a === lo) ? 0 : 1;
      t[col]! += r.n;
      m.set(`${lo} ${hi}`, t);
    }
    out.set(scopeKey(s), m);
  }
  return new Map([...out].map(([k, m]) => [k, JSON.stringify([...m].filter(([, t]) => t.some((x) => x > 0)).sort())]));
}

async function stored(): Promise<Map<string, string>> {
  const rows = await db().scopePairCount.findMany({ orderBy: [{ scope: "asc" }, { contestantLoId: "asc" }, { contestantHiId: "asc" }] });
  const out = new Map<string, [string, number[]][]>();
  for (const r of rows) {
    const list = out.get(r.scope) ?? [];
    list.push([`${r.contestantLoId} ${r.contestantHiId}`, [r.winsLo, r.winsHi, r.ties, r.bothBad]]);
    out.set(r.scope, list);
  }
  return new Map([...out].map(([k, l]) => [k, JSON.stringify(l.sort())]));
}

test("rating counts follow every vote change and equal a full recount of every scope", async () => {
  await field(["a", "b", "c", "d"], 40, "sweep", 1);
  await foldVoteCounts(); // new tags: this one rebuilds from the votes
  const ids = [await vote("a", "b", "one", "a"), await vote("c", "a", "one", "tie", true), await vote("b", "c", "one", "both_bad")];
  // Flag, restore, change the outcome, delete: each in its own statement, as the services do.
  await db().vote.update({ where: { id: ids[0]! }, data: { valid: false, invalidReason: "test" } });
  await db().vote.update({ where: { id: ids[1]! }, data: { valid: false } });
  await db().vote.update({ where: { id: ids[1]! }, data: { valid: true } });
  await db().vote.update({ where: { id: ids[2]! }, data: { outcome: "a" } });
  const fold = await foldVoteCounts();
  assert.equal(fold.rebuilt, false);
  assert.ok(fold.changed.has(`tag:${TAGS.one}`) && fold.changed.has("flagged:include") && fold.changed.has("voters:signed-in"));
  const [expected, actual] = await Promise.all([recount(), stored()]);
  for (const [scope, counts] of expected) assert.equal(actual.get(scope) ?? "[]", counts, scope);

  await db().vote.deleteMany({ where: { id: { in: ids } } });
  await db().battle.deleteMany({ where: { categoryId: `${P}cat-one` } });
  const emptied = await foldVoteCounts();
  assert.ok(emptied.changed.has(`tag:${TAGS.one}`));
  assert.equal(await db().scopePairCount.count({ where: { scope: `tag:${TAGS.one}` } }), 0, "no empty rows are left behind");
  const [e2, a2] = await Promise.all([recount(), stored()]);
  for (const [scope, counts] of e2) assert.equal(a2.get(scope) ?? "[]", counts, scope);
});

test("a recompute refits only the scopes whose counts changed", async () => {
  await recomputeRatings();
  assert.deepEqual((await recomputeRatings()).filter((r) => r.written), [], "nothing changed, nothing written");
  await vote("a", "b", "sweep", "a");
  const written = (await recomputeRatings()).filter((r) => r.written).map((r) => r.scope).sort();
  const expected = [DEFAULT_SCOPE, { ...DEFAULT_SCOPE, track: "text" as const }].flatMap((s) => [
    s,
    { ...s, flagged: "include" as const },
    { ...s, style: true },
    { ...s, tag: TAGS.sweep },
  ]);
  assert.deepEqual(written, expected.map(scopeKey).sort());
});

test("an undefeated newcomer is listed apart and moves nobody; its first loss puts it on the board", async () => {
  const scope = { ...DEFAULT_SCOPE, tag: TAGS.sweep };
  await recomputeRatings();
  const before = await readLeaderboard(scope);
  assert.deepEqual(before.entries.map((e) => e.model).sort(), ["a", "b", "c", "d"].map((m) => `${P}-${m}`));
  assert.deepEqual(before.unrated, []);
  const rand = mulberry32(5);
  for (let k = 0; k < 40; k++) {
    const other = ["a", "b", "c", "d"][Math.floor(rand() * 4)]!;
    await (k % 2 ? vote("new", other, "sweep", "a") : vote(other, "new", "sweep", "b"));
  }
  await recomputeRatings();
  const during = await readLeaderboard(scope);
  assert.equal(during.entries.length, 4, "never ranked");
  const newcomer = during.unrated.find((u) => u.model === `${P}-new`)!;
  assert.deepEqual([newcomer.reason, newcomer.missing, newcomer.wins, newcomer.votes], ["no-loss", "no loss yet", 40, 40]);
  assert.ok(newcomer.bound && newcomer.bound.side === "above" && newcomer.bound.elo > 400, JSON.stringify(newcomer.bound));
  for (const e of before.entries) {
    const now = during.entries.find((x) => x.model === e.model)!;
    for (const key of ["elo", "ciLow", "ciHigh"] as const) assert.ok(Math.abs(now[key] - e[key]) <= 1, `${e.model} ${key}: ${e[key]} -> ${now[key]}`);
  }

  await vote("c", "new", "sweep", "a");
  await recomputeRatings();
  const joined = await readLeaderboard(scope);
  assert.deepEqual(joined.unrated, []);
  const rated = joined.entries.find((e) => e.model === `${P}-new`)!;
  assert.equal(rated.rank, 1);
  assert.equal(rated.board, 0);
  assert.ok(rated.order && rated.order.probability > 0.5);
});

test("groups never compared get boards of their own; a one-vote scope ranks nobody", async () => {
  await field(["a", "b", "c"], 30, "groups", 7);
  await field(["d", "e"], 12, "groups", 8);
  await vote("f", "a", "groups", "b"); // f: one loss, no win
  await vote("a", "b", "one", "a");
  await recomputeRatings();
  const groups = await readLeaderboard({ ...DEFAULT_SCOPE, tag: TAGS.groups });
  assert.deepEqual(groups.boards.map((b) => [b.label, b.models, b.comparable]), [["Main board", 3, true], ["Group 2", 2, false]]);
  for (const b of groups.boards) {
    const members = groups.entries.filter((e) => e.board === b.index);
    assert.ok(Math.abs(members.reduce((s, e) => s + e.elo, 0) / members.length - 1000) < 1e-6, `${b.label} centred`);
    assert.equal(Math.min(...members.map((e) => e.rank)), 1);
  }
  assert.deepEqual(groups.unrated.map((u) => [u.model, u.reason, u.missing]), [[`${P}-f`, "no-win", "no win yet"]]);
  assert.equal(groups.notEnoughData, null);

  const one = await readLeaderboard({ ...DEFAULT_SCOPE, tag: TAGS.one });
  assert.equal(one.votes, 1);
  assert.deepEqual(one.entries, []);
  assert.match(one.notEnoughData ?? "", /Not enough data: 1 vote/);
  assert.deepEqual(one.unrated.map((u) => u.reason).sort(), ["no-loss", "no-win"]);
});

test("the reveal's after-vote rating is what the next snapshot publishes", async () => {
  await recomputeRatings();
  const contestant = async (m: string) => db().contestant.findUniqueOrThrow({ where: { id: con(m) } });
  const [a, b] = await Promise.all([contestant("a"), contestant("b")]);
  const reveal = await revealAfterVote("text", a, b, "b");
  assert.equal(reveal.a.status, "rated");
  assert.ok(reveal.a.change! < 0 && reveal.b.change! > 0, `${reveal.a.change} ${reveal.b.change}`);
  await vote("a", "b", "sweep", "b");
  await recomputeRatings();
  const snap = await db().ratingSnapshot.findFirstOrThrow({ where: { scope: "track:text" }, orderBy: { computedAt: "desc" }, include: { entries: true } });
  for (const [side, id] of [["a", con("a")], ["b", con("b")]] as const) {
    const published = snap.entries.find((e) => e.contestantId === id)!.elo;
    assert.ok(Math.abs(published - reveal[side].eloAfter!) < 0.5, `${side}: reveal ${reveal[side].eloAfter}, snapshot ${published}`);
  }

  // A model's first result: not rated, and says why.
  const [f, g] = await Promise.all([contestant("f"), contestant("e")]);
  const first = await revealAfterVote("text", f, g, "a");
  assert.equal(first.a.eloAfter, null);
  assert.equal(first.a.status, "unrated");
  assert.ok(first.a.missing && first.a.missing.length > 5);
});
