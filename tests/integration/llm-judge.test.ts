/**
 * The LLM judge end to end on real PostgreSQL and Redis, with the judge models replaced at the wire
 * by the local OpenAI mock (house rules §9): a run over human-voted battles completes through the
 * `judge.verdict` jobs, verdicts are stored in the battle's own A/B order whatever the order shown,
 * agreement figures match the seeded votes, a budget stops a run, a second run reuses verdicts,
 * and hostile answers (not JSON, a verdict "c", a 100 KB answer) are recorded as invalid.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { requireEnv } from "../support/env";
import { startMockProvider, MOCK_API_KEY, type MockServer } from "../support/mock-providers";
import { JUDGE_FAVOURITE_MARKER } from "../support/mock-providers/answers";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");
process.env.OPENAI_API_KEY = MOCK_API_KEY;
// One process, no shared limiter needed (and no leftover budget from other suites).
process.env.PROVIDER_RATE_LIMITER = "memory";

const { db, disconnectDb } = await import("@/lib/db");
const { assets } = await import("@/lib/storage");
const { runQueue } = await import("@/lib/jobs/runtime");
const { QUEUES } = await import("@/lib/jobs/constants");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeProviders } = await import("@/lib/providers");
const { planJudgeRun } = await import("@/lib/judge/plan");
const { startJudgeRun, judgeRunProgress } = await import("@/lib/judge/runs");
const { computeJudgeOverview } = await import("@/lib/judge/overview");
const { swapFor } = await import("@/lib/judge/request");
const { MAX_ANSWER_CHARS, RAW_ANSWER_KEEP } = await import("@/lib/judge/parse");

const P = "jdgtest";
const SET = `${P}-set`;
/** The smallest valid PNG (1x1, transparent): the mock only counts images. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
const GEN = ["x", "y", "z"] as const;
type Gen = (typeof GEN)[number];
/**
 * 24 battles, 8 per pair, each pair shown both ways round. Humans: x-y: x 6, y 1, tie 1; x-z: x 5,
 * z 2, both_bad 1; y-z: tie 4, y 2, z 2. Only x's script carries the judge's marker, so
 * mock-judge-marked picks x whenever x is there and "tie" for y-z.
 */
const HUMAN: [Gen, Gen, "first" | "second" | "tie" | "both_bad", number][] = [
  ["x", "y", "first", 3], ["y", "x", "second", 3], ["x", "y", "second", 1], ["y", "x", "tie", 1],
  ["x", "z", "first", 3], ["z", "x", "second", 2], ["x", "z", "second", 1], ["z", "x", "first", 1], ["z", "x", "both_bad", 1],
  ["y", "z", "tie", 2], ["z", "y", "tie", 2], ["y", "z", "first", 1], ["z", "y", "second", 1], ["y", "z", "second", 1], ["z", "y", "first", 1],
];
const JUDGES = ["marked", "first", "budget", "garbage", "c", "huge"] as const;
const ADMIN = `${P}admin`;

let mock: MockServer;
let worker: { close(): Promise<void> };
const battles: { id: string; a: Gen; b: Gen; human: "a" | "b" | "tie" | "both_bad" }[] = [];

async function cleanup(): Promise<void> {
  const like = `${P}%`;
  await db().$executeRaw`DELETE FROM "JudgeRun" WHERE "judgeContestantId" LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "AuditLog" WHERE "actorId" LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Vote" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Battle" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Generation" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Sweep" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Category" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Contestant" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "User" WHERE id LIKE ${like}`;
}

before(async () => {
  mock = await startMockProvider("openai");
  await cleanup();
  await db().user.createMany({ data: [{ id: `${P}voter`, anonymous: true }, { id: ADMIN, email: `${P}@example.test`, role: "admin" }] });
  await db().contestant.createMany({
    data: [
      ...GEN.map((g) => ({ id: `${P}con-${g}`, slug: `${P}-${g}`, displayName: `Model ${g.toUpperCase()}`, organisation: "test", kind: "baseline" as const, provider: "baseline", providerModelId: g, harness: "baseline" })),
      ...JUDGES.map((j) => ({
        id: `${P}judge-${j}`,
        slug: `${P}-judge-${j}`,
        displayName: `Judge ${j}`,
        organisation: "mock",
        kind: "llm" as const,
        provider: "openai",
        providerModelId: j === "budget" ? "mock-judge-first" : `mock-judge-${j}`,
        harness: "single-shot",
        status: "hidden" as const,
        settings: { baseUrl: mock.url, temperature: 0.7 },
        // The budget judge pays for input only, so what a call costs is close to what it holds.
        ...(j === "budget" ? { priceInput: 1000, priceOutput: 0 } : { priceInput: 2, priceCached: 0.5, priceOutput: 8 }),
      })),
    ],
  });
  await db().category.create({
    data: { id: `${P}cat`, instanceId: "JdgMug_seed0", name: "JdgMug", setName: SET, description: "A 3D model of a mug with a round handle.", instruction: "i", referenceScript: "", contentHash: "h" },
  });
  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  for (const g of GEN) {
    const renderKeys = [5, 15, 25, 35].map((v) => `generations/${P}gen-${g}/renders/Image_0${String(v).padStart(2, "0")}.png`);
    for (const k of renderKeys) await assets().putBytes(k, PNG);
    await db().generation.create({
      data: {
        id: `${P}gen-${g}`,
        contestantId: `${P}con-${g}`,
        categoryId: `${P}cat`,
        track: "text",
        sweepId: `${P}sweep`,
        status: "ready",
        finalCode: `import bpy\n# model ${g}\n${g === "x" ? `${JUDGE_FAVOURITE_MARKER}\n` : ""}bpy.ops.mesh.primitive_cylinder_add()\n`,
        renderKeys,
      },
    });
  }
  let i = 0;
  for (const [a, b, who, n] of HUMAN) {
    for (let k = 0; k < n; k++, i++) {
      const id = `${P}b${String(i).padStart(3, "0")}`;
      const human = who === "first" ? "a" : who === "second" ? "b" : who;
      battles.push({ id, a, b, human });
      const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      await db().battle.create({
        data: { id, track: "text", categoryId: `${P}cat`, generationAId: `${P}gen-${a}`, generationBId: `${P}gen-${b}`, voterId: `${P}voter`, tokenHash: `${P}tok${i}`, expiresAt: createdAt, createdAt },
      });
      await db().vote.create({ data: { id: `${P}v${i}`, battleId: id, outcome: human, voterId: `${P}voter`, createdAt } });
    }
  }
  assert.equal(battles.length, 24);
  // A battle whose vote was flagged is not the humans' verdict: it must stay out of every run.
  await db().battle.create({
    data: { id: `${P}bflag`, track: "text", categoryId: `${P}cat`, generationAId: `${P}gen-x`, generationBId: `${P}gen-y`, voterId: `${P}voter`, tokenHash: `${P}tokflag`, expiresAt: new Date() },
  });
  await db().vote.create({ data: { id: `${P}vflag`, battleId: `${P}bflag`, outcome: "b", voterId: `${P}voter`, valid: false, invalidReason: "test" } });
  worker = await runQueue(QUEUES.generation, { name: "t-judge", concurrency: 4, keepConnections: true });
});

after(async () => {
  await worker?.close();
  await cleanup();
  await closeProviders();
  await closeQueues();
  await disconnectDb();
  await mock.close();
});

async function waitForRun(runId: string, timeoutMs = 30_000) {
  const t0 = Date.now();
  for (;;) {
    const p = await judgeRunProgress(runId);
    if (p.finishedAt) return p;
    if (Date.now() - t0 > timeoutMs) assert.fail(`judge run ${runId} did not finish: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const judgeOf = (j: (typeof JUDGES)[number]) => `${P}-judge-${j}`;
const callsOf = (model: string) => mock.calls.filter((c) => c.model === model);

describe("LLM judge runs", () => {
  it("shows the cost before starting, judges every validly voted battle and maps verdicts back", async () => {
    const input = { judge: judgeOf("marked"), mode: "code" as const, track: "text" as const, prompts: "arena-default" as const, budgetUsd: 5, categorySet: SET };
    const plan = await planJudgeRun(input);
    assert.equal(plan.battles, 24, "the flagged vote's battle is left out");
    assert.equal(plan.toJudge, 24);
    assert.equal(plan.alreadyJudged, 0);
    assert.ok(plan.estimatedCostUsd > 0 && plan.worstCaseCostUsd > plan.estimatedCostUsd, JSON.stringify(plan));
    assert.equal(plan.coveredCalls, 24);
    assert.match(plan.promptVersion, /^arena-code-[0-9a-f]{12}$/);

    const started = await startJudgeRun(input, { id: ADMIN });
    const done = await waitForRun(started.runId);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.counts, { pending: 0, done: 24, invalid: 0, failed: 0, skipped: 0 });
    assert.equal(callsOf("mock-judge-marked").length, 24);

    const verdicts = await db().judgeVerdict.findMany({ where: { runId: started.runId } });
    let swapped = 0;
    for (const v of verdicts) {
      const b = battles.find((x) => x.id === v.battleId)!;
      const expected = b.a === "x" ? "a" : b.b === "x" ? "b" : "tie";
      assert.equal(v.verdict, expected, `battle ${b.id} (${b.a} vs ${b.b}, swapped ${v.swapped})`);
      assert.equal(v.swapped, swapFor(v.battleId, `${P}judge-marked`));
      if (v.swapped) swapped++;
      if (v.swapped && expected !== "tie") assert.notEqual(v.verdictShown, v.verdict, "shown in the other order");
      assert.ok(v.inputTokens > 0 && v.outputTokens > 0 && v.costUsd > 0);
    }
    assert.ok(swapped > 0 && swapped < 24, `both orders were used (${swapped} swapped)`);
    const spent = verdicts.reduce((s, v) => s + v.costUsd, 0);
    assert.ok(Math.abs(done.spentUsd - spent) < 1e-9, `${done.spentUsd} vs ${spent}`);
    assert.ok(done.tokens.input > 0);
    // Temperature 0 on the wire, whatever the model's own setting (0.7 here).
    assert.ok(callsOf("mock-judge-marked").every((c) => c.body.temperature === 0));

    // Agreement: the judge matches humans on x-y "x" (6), x-z "x" (5) and y-z "tie" (4): 15 of 24.
    const groups = await computeJudgeOverview();
    const g = groups.find((x) => x.judge.slug === judgeOf("marked"))!;
    assert.equal(g.agreement.n, 24);
    assert.equal(g.agreement.exact.value, 15 / 24);
    const c = g.agreement.confusion;
    // Every cell from the seeded table: row = the human's outcome, column = the side x was on (tie for y-z).
    const byHand = [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    const idx = { a: 0, b: 1, tie: 2, both_bad: 3 } as const;
    for (const b of battles) byHand[idx[b.human]]![idx[b.a === "x" ? "a" : b.b === "x" ? "b" : "tie"]]! += 1;
    assert.deepEqual(c, byHand);
    assert.equal(g.invalid, 0);
    // Both boards come from the same 24 battles.
    assert.equal(g.judgeBoard.votes, 24);
    assert.equal(g.humanBoard.votes, 24);
    assert.ok(g.humanBoard.rated.length + g.humanBoard.unrated.length === 3);
    // x never loses to the judge: no rating is published for it, only what is missing.
    assert.ok(g.judgeBoard.unrated.some((u) => u.slug === `${P}-x` && /no loss/.test(u.missing)), JSON.stringify(g.judgeBoard));

    // The same run again reuses every verdict: nothing is sent, nothing is spent.
    const before = callsOf("mock-judge-marked").length;
    const again = await startJudgeRun(input, { id: ADMIN });
    assert.equal(again.toJudge, 0);
    assert.equal(again.alreadyJudged, 24);
    const p2 = await waitForRun(again.runId);
    assert.equal(p2.status, "completed");
    assert.equal(p2.spentUsd, 0);
    assert.equal(callsOf("mock-judge-marked").length, before);
  });

  it("image mode sends the four renders of each side and maps 'first shown' back", async () => {
    const run = await startJudgeRun({ judge: judgeOf("first"), mode: "image", track: "text", prompts: "arena-default", budgetUsd: 5, categorySet: SET, limit: 6 }, { id: ADMIN });
    const p = await waitForRun(run.runId);
    assert.equal(p.counts.done, 6);
    const calls = callsOf("mock-judge-first");
    assert.equal(calls.length, 6);
    for (const call of calls) {
      const parts = (call.body.messages as { role: string; content: unknown }[]).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
      assert.equal(parts.filter((x: { type?: string }) => x.type === "image_url").length, 8);
    }
    for (const v of await db().judgeVerdict.findMany({ where: { runId: run.runId } })) {
      assert.equal(v.verdictShown, "a");
      assert.equal(v.verdict, v.swapped ? "b" : "a");
    }
  });

  it("stops at the budget and never spends past it", async () => {
    const input = { judge: judgeOf("budget"), mode: "code" as const, track: "text" as const, prompts: "arena-default" as const, budgetUsd: 1, categorySet: SET };
    const plan = await planJudgeRun(input);
    const perCall = plan.worstCaseCostUsd / plan.toJudge;
    const budgetUsd = perCall * 2.5;
    const planned = await planJudgeRun({ ...input, budgetUsd });
    assert.equal(planned.coveredCalls, 2, "the plan says how many calls the budget covers at worst");
    const run = await startJudgeRun({ ...input, budgetUsd }, { id: ADMIN });
    const p = await waitForRun(run.runId);
    assert.equal(p.status, "budget_stopped");
    assert.ok(p.counts.done >= 2 && p.counts.done <= 3, JSON.stringify(p.counts));
    assert.equal(p.counts.done + p.counts.skipped, 24);
    assert.ok(p.spentUsd > 0 && p.spentUsd <= budgetUsd, `${p.spentUsd} <= ${budgetUsd}`);
    const row = await db().judgeRun.findUniqueOrThrow({ where: { id: run.runId } });
    assert.ok(Math.abs(row.reservedUsd) < 1e-12, "nothing is left held");
    assert.equal(callsOf("mock-judge-first").length, 6 + p.counts.done);
    const skipped = await db().judgeVerdict.findFirstOrThrow({ where: { runId: run.runId, status: "skipped" } });
    assert.match(skipped.error ?? "", /budget/);
  });

  it("records hostile answers as invalid, never as a verdict", async () => {
    const cases = [
      ["garbage", /not JSON/],
      ["c", /winner "c" is not a, b, tie or both_bad/],
      ["huge", /answer too long/],
    ] as const;
    for (const [j, reason] of cases) {
      const run = await startJudgeRun({ judge: judgeOf(j), mode: "code", track: "text", prompts: "arena-default", budgetUsd: 5, categorySet: SET, limit: 2 }, { id: ADMIN });
      const p = await waitForRun(run.runId);
      assert.deepEqual(p.counts, { pending: 0, done: 0, invalid: 2, failed: 0, skipped: 0 }, j);
      for (const v of await db().judgeVerdict.findMany({ where: { runId: run.runId } })) {
        assert.equal(v.verdict, null);
        assert.equal(v.verdictShown, null);
        assert.match(v.error ?? "", reason);
        assert.ok((v.rawAnswer ?? "").length <= RAW_ANSWER_KEEP);
        assert.ok(v.costUsd > 0, "an invalid answer was still paid for");
      }
    }
    assert.ok(MAX_ANSWER_CHARS < 100_000);
    const g = (await computeJudgeOverview()).find((x) => x.judge.slug === judgeOf("c"))!;
    assert.equal(g.invalid, 2);
    assert.equal(g.agreement.n, 0);
    assert.equal(g.agreement.exact.value, null);
    assert.match((g.agreement.exact as { reason: string }).reason, /not enough data \(n=0/);
  });

  it("refuses a judge that is not a model, and the benchmark prompts without a checkout", async () => {
    await assert.rejects(planJudgeRun({ judge: `${P}-x`, mode: "code", track: "text", prompts: "arena-default", budgetUsd: 1 }), /not behind a model provider/);
    await assert.rejects(planJudgeRun({ judge: `${P}-nobody`, mode: "code", track: "text", prompts: "arena-default", budgetUsd: 1 }), /No model/);
    if (!process.env.BENCHMARK_CHECKOUT) {
      await assert.rejects(planJudgeRun({ judge: judgeOf("marked"), mode: "code", track: "text", prompts: "3dcodebench", budgetUsd: 1 }), /BENCHMARK_CHECKOUT/);
    }
  });
});
