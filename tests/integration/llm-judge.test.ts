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
import { markedVerdict, seedJudgeBattles, type JudgeSeed } from "../support/judge-seed";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");
process.env.OPENAI_API_KEY = MOCK_API_KEY;
// One process, no shared limiter needed (and no leftover budget from other suites).
process.env.PROVIDER_RATE_LIMITER = "memory";

const { db, disconnectDb } = await import("@/lib/db");
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
const JUDGES = ["marked", "first", "budget", "garbage", "c", "huge"] as const;
const ADMIN = `${P}admin`;

let mock: MockServer;
let worker: { close(): Promise<void> };
let seed: JudgeSeed;
let SET = "";
let battles: JudgeSeed["battles"] = [];

before(async () => {
  mock = await startMockProvider("openai");
  seed = await seedJudgeBattles(
    P,
    JUDGES.map((j) => ({
      key: j,
      model: j === "budget" ? "mock-judge-first" : `mock-judge-${j}`,
      // The budget judge pays for input only (cached or not), so a call costs about 1/1.5 of what it
      // holds (INPUT_SAFETY): 2.5 holds' worth of budget lets 2 or 3 calls through, never more.
      ...(j === "budget" && { prices: { priceInput: 1000, priceCached: 1000, priceOutput: 0 } }),
    })),
    mock.url,
  );
  ({ setName: SET, battles } = seed);
  assert.equal(battles.length, 24);
  await db().user.create({ data: { id: ADMIN, email: `${P}@example.test`, role: "admin" } });
  worker = await runQueue(QUEUES.generation, { name: "t-judge", concurrency: 4, keepConnections: true });
});

after(async () => {
  await worker?.close();
  await seed?.cleanup();
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

const judgeOf = (j: (typeof JUDGES)[number]) => seed.judgeSlug(j);
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
      const expected = markedVerdict(b);
      assert.equal(v.verdict, expected, `battle ${b.id} (${b.a} vs ${b.b}, swapped ${v.swapped})`);
      assert.equal(v.swapped, swapFor(v.battleId, seed.judgeId("marked")));
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
    for (const b of battles) byHand[idx[b.human]]![idx[markedVerdict(b)]]! += 1;
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
    // At least the calls the plan covers at worst; at most what the real (cheaper) costs fit: a call
    // is admitted while the spend so far plus its worst case fits, so how many more than the plan's
    // two get in depends on the real costs and on how many calls were in flight together.
    const costs = (await db().judgeVerdict.findMany({ where: { runId: run.runId, status: "done" } })).map((v) => v.costUsd);
    assert.equal(costs.length, p.counts.done);
    assert.ok(p.counts.done >= 2 && p.counts.done <= Math.floor(budgetUsd / Math.min(...costs)), JSON.stringify({ counts: p.counts, costs, budgetUsd }));
    assert.ok(p.counts.done < 24, "the run stopped before the end");
    assert.equal(p.counts.done + p.counts.skipped, 24);
    assert.ok(Math.abs(costs.reduce((x, y) => x + y, 0) - p.spentUsd) < 1e-9, "the spend is the sum of the calls' costs");
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

  it("a cancelled run sends nothing more and ends with every battle accounted for", async () => {
    const { cancelJudgeRun } = await import("@/lib/judge/runs");
    const run = await startJudgeRun({ judge: judgeOf("first"), mode: "code", track: "text", prompts: "arena-default", budgetUsd: 5, categorySet: SET }, { id: ADMIN });
    await cancelJudgeRun(run.runId, { id: ADMIN });
    const p = await waitForRun(run.runId);
    assert.equal(p.status, "cancelled");
    assert.equal(p.counts.pending, 0);
    assert.equal(p.counts.done + p.counts.skipped, 24);
    await assert.rejects(cancelJudgeRun(run.runId, { id: ADMIN }), /already cancelled/);
    const audit = await db().auditLog.findMany({ where: { targetId: run.runId }, orderBy: { createdAt: "asc" } });
    assert.deepEqual(audit.map((a) => a.action), ["judge.start", "judge.cancel"]);
  });

  it("refuses a judge that is not a model, and the benchmark prompts without a checkout", async () => {
    await assert.rejects(planJudgeRun({ judge: `${P}-x`, mode: "code", track: "text", prompts: "arena-default", budgetUsd: 1 }), /not behind a model provider/);
    await assert.rejects(planJudgeRun({ judge: `${P}-nobody`, mode: "code", track: "text", prompts: "arena-default", budgetUsd: 1 }), /No model/);
    if (!process.env.BENCHMARK_CHECKOUT) {
      await assert.rejects(planJudgeRun({ judge: judgeOf("marked"), mode: "code", track: "text", prompts: "3dcodebench", budgetUsd: 1 }), /BENCHMARK_CHECKOUT/);
    }
  });
});
