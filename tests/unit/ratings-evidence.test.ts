/**
 * What the votes identify (issue 11): boards of strongly connected models, nothing published for
 * undefeated, winless or one-way records (one-sided bounds instead), separate boards for groups
 * never compared, no zero-width interval, the sandwich covariance and rank confidence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Outcome } from "@/lib/contracts";
import { computeRatings, type Vote } from "@/lib/ratings";
import { BOOTSTRAP_MAX_MODELS, BOOTSTRAP_MAX_VOTES, localBoard, MIN_BOARD_VOTES } from "@/lib/ratings/board";
import { sweepBound } from "@/lib/ratings/bounds";
import { fitBradleyTerry } from "@/lib/ratings/bradley-terry";
import { normalCdf } from "@/lib/ratings/normal";
import { projectOrder } from "@/lib/ratings/order";
import { aggregateVotes } from "@/lib/ratings/pair-counts";
import { sandwichCovariance } from "@/lib/ratings/sandwich";
import { MAX_BACKOFF_MS, recomputeBackoffMs } from "@/lib/ratings/schedule";
import { mulberry32 } from "@/lib/math/mulberry32";


function simulate(trueElo: number[], count: number, seed: number, drawRate = 0.15, prefix = "m"): Vote[] {
  const rand = mulberry32(seed);
  const votes: Vote[] = [];
  while (votes.length < count) {
    const a = Math.floor(rand() * trueElo.length);
    const b = Math.floor(rand() * trueElo.length);
    if (a === b) continue;
    const pA = 1 / (1 + Math.pow(10, (trueElo[b]! - trueElo[a]!) / 400));
    let outcome: Outcome = rand() < pA ? "a" : "b";
    if (rand() < drawRate) outcome = rand() < 0.5 ? "tie" : "both_bad";
    votes.push({ a: `${prefix}${a}`, b: `${prefix}${b}`, outcome });
  }
  return votes;
}

const repeat = (n: number, v: Vote): Vote[] => Array.from({ length: n }, () => v);

describe("identification", () => {
  const field = simulate([1150, 1080, 1000, 950, 900], 600, 3);

  it("a newcomer with 40 wins out of 40 moves no published number; with a loss it joins the board", () => {
    const before = computeRatings(field, { rounds: 300, seed: 5 });
    const rand = mulberry32(8);
    // The newcomer beats every model of the board, shown on either side.
    const sweep: Vote[] = Array.from({ length: 40 }, (_, k) => {
      const other = `m${Math.floor(rand() * 5)}`;
      return k % 2 ? { a: "new", b: other, outcome: "a" } : { a: other, b: "new", outcome: "b" };
    });
    const during = computeRatings([...field, ...sweep], { rounds: 300, seed: 5 });
    assert.equal(during.boards.length, 1);
    assert.ok(!during.models.some((m) => m.id === "new"), "never ranked");
    const newcomer = during.unrated.find((u) => u.id === "new")!;
    assert.equal(newcomer.reason, "no-loss");
    assert.deepEqual([newcomer.wins, newcomer.losses, newcomer.votes], [40, 0, 40]);
    assert.ok(newcomer.bound && newcomer.bound.side === "above" && newcomer.bound.elo > 400, JSON.stringify(newcomer.bound));
    for (const m of before.models) {
      const after = during.models.find((x) => x.id === m.id)!;
      // The board's votes and its bootstrap cells are unchanged, so the numbers are too (bound: 1 point).
      for (const key of ["elo", "ciLow", "ciHigh"] as const) assert.ok(Math.abs(after[key] - m[key]) <= 1, `${m.id} ${key} moved`);
      assert.equal(after.rank, m.rank);
    }

    const joined = computeRatings([...field, ...sweep, { a: "m2", b: "new", outcome: "a" }], { rounds: 300, seed: 5 });
    const rated = joined.models.find((m) => m.id === "new")!;
    assert.ok(rated, "one loss and it is rated like any other");
    assert.equal(rated.board, 0);
    assert.equal(rated.rank, 1);
    assert.ok(rated.ciLow < rated.elo && rated.elo < rated.ciHigh);
    assert.ok(Math.abs(joined.models.reduce((s, m) => s + m.elo, 0) / joined.models.length - 1000) < 1e-9, "centred on its members");
    assert.deepEqual(joined.unrated, []);
  });

  it("lists winless and one-way records apart with what is missing", () => {
    const votes: Vote[] = [
      ...field,
      ...repeat(12, { a: "m0", b: "loser", outcome: "a" }),
      // "middle" beat m4 but lost to "outsider", who never met the board otherwise: no loop closes.
      ...repeat(3, { a: "middle", b: "m4", outcome: "a" }),
      ...repeat(3, { a: "outsider", b: "middle", outcome: "a" }),
    ];
    const r = computeRatings(votes, { rounds: 100 });
    const why = Object.fromEntries(r.unrated.map((u) => [u.id, u.reason]));
    assert.deepEqual(why, { loser: "no-win", middle: "one-way", outsider: "no-loss" });
    const loser = r.unrated.find((u) => u.id === "loser")!;
    assert.deepEqual(loser.opponents, ["m0"]);
    assert.equal(loser.bound?.side, "below");
    assert.ok(loser.bound!.elo < -100);
    assert.equal(r.unrated.find((u) => u.id === "outsider")!.bound, null, "3 results bound nothing");
    assert.deepEqual(r.unrated.find((u) => u.id === "middle")!.opponents, ["m4", "outsider"]);
  });

  it("rates groups never compared with each other on separate boards, biggest first, each centred", () => {
    const big = simulate([1100, 1000, 900, 950], 400, 11, 0.15, "a");
    const small = simulate([1200, 800], 60, 12, 0.3, "b");
    const r = computeRatings([...small, ...big], { rounds: 200 });
    assert.equal(r.boards.length, 2);
    assert.deepEqual(r.boards[0]!.models.map((m) => m.id[0]), ["a", "a", "a", "a"]);
    assert.deepEqual(r.boards[1]!.models.map((m) => m.id[0]), ["b", "b"]);
    for (const [k, board] of r.boards.entries()) {
      const mean = board.models.reduce((s, m) => s + m.elo, 0) / board.models.length;
      assert.ok(Math.abs(mean - 1000) < 1e-9, `board ${k} mean ${mean}`);
      assert.ok(board.models.every((m) => m.board === k));
      assert.equal(board.models[0]!.rank, 1, "ranks count within the board");
    }
  });

  it("publishes nothing for a one-vote scope, and never a zero-width interval", () => {
    for (const outcome of ["a", "tie", "both_bad"] as const) {
      const r = computeRatings([{ a: "x", b: "y", outcome }], { rounds: 200 });
      assert.deepEqual(r.boards, [], outcome);
      assert.equal(r.unrated.length, 2);
      if (outcome !== "a") assert.ok(r.unrated.every((u) => u.reason === "few-votes"));
    }
    // Every model needs MIN_BOARD_VOTES votes inside its board.
    const few: Vote[] = [...repeat(2, { a: "x", b: "y", outcome: "a" }), ...repeat(2, { a: "x", b: "y", outcome: "b" })];
    assert.deepEqual(computeRatings(few).boards, []);
    const enough = [...few, { a: "x", b: "y", outcome: "tie" as const }];
    assert.equal(enough.length, MIN_BOARD_VOTES);
    const r = computeRatings(enough, { rounds: 200 });
    assert.equal(r.boards.length, 1);
    for (const m of r.models) assert.ok(m.ciHigh - m.ciLow > 50, `${m.id} ${m.ciLow}..${m.ciHigh}`);
    // Ties only: the sandwich has no spread to measure, so nothing is published rather than 0 wide.
    const ties = computeRatings(repeat(8, { a: "x", b: "y", outcome: "tie" }), { rounds: 200 });
    assert.deepEqual(ties.boards, []);
    assert.deepEqual(ties.unrated.map((u) => u.reason), ["no-interval", "no-interval"]);
  });
});

describe("one-sided bounds", () => {
  it("are the exact binomial bound on the Elo scale, only when they say more than an even match", () => {
    const b = sweepBound(40, "above")!;
    assert.ok(Math.abs(b.winProbability - Math.pow(0.05, 1 / 40)) < 1e-12);
    assert.ok(Math.abs(b.elo - 400 * Math.log10(b.winProbability / (1 - b.winProbability))) < 1e-9);
    assert.ok(b.elo > 440 && b.elo < 450, `${b.elo}`);
    assert.deepEqual(sweepBound(40, "below")!.elo, -b.elo);
    assert.equal(sweepBound(4, "above"), null);
    assert.ok(sweepBound(5, "above")!.elo > 0);
    // More wins, a higher floor.
    assert.ok(sweepBound(400, "above")!.elo > b.elo);
  });
});

describe("sandwich covariance", () => {
  it("equals H^-1 J H^-1 computed vote by vote with a pinned model, then centred (HC2 leverage)", () => {
    const votes = simulate([1120, 1040, 1000, 930], 300, 21, 0.2);
    const counts = aggregateVotes(votes);
    const n = counts.ids.length;
    const fit = fitBradleyTerry(counts);
    const theta = fit.theta;
    const board = localBoard(counts, counts.ids.map((_, k) => k));
    const cov = sandwichCovariance(n, board.pairs, theta)!;

    // Independent: parameters phi = theta - theta_0 for models 1..n-1, Gauss-Jordan inverse.
    const at = new Map(counts.ids.map((id, k) => [id, k]));
    const r = n - 1;
    const h = Array.from({ length: r }, () => new Array<number>(r).fill(0));
    const rows: { x: number[]; p: number; y: number }[] = [];
    for (const v of votes) {
      const a = at.get(v.a)!;
      const b = at.get(v.b)!;
      const x = new Array<number>(r).fill(0);
      if (a > 0) x[a - 1] = 1;
      if (b > 0) x[b - 1] = -1;
      const p = 1 / (1 + Math.exp(-(theta[a]! - theta[b]!)));
      rows.push({ x, p, y: v.outcome === "a" ? 1 : v.outcome === "b" ? 0 : 0.5 });
      for (let u = 0; u < r; u++) for (let w = 0; w < r; w++) h[u]![w]! += p * (1 - p) * x[u]! * x[w]!;
    }
    const inv = invert(h);
    const j = Array.from({ length: r }, () => new Array<number>(r).fill(0));
    for (const { x, p, y } of rows) {
      let quad = 0;
      for (let u = 0; u < r; u++) for (let w = 0; w < r; w++) quad += x[u]! * inv[u]![w]! * x[w]!;
      const res = (y - p) ** 2 / (1 - p * (1 - p) * quad);
      for (let u = 0; u < r; u++) for (let w = 0; w < r; w++) j[u]![w]! += res * x[u]! * x[w]!;
    }
    const vPinned = mul(mul(inv, j), inv);
    // theta_centred = C phi_full, phi_full = (0, phi): C = I - 11^T/n.
    const full = (u: number, w: number) => (u === 0 || w === 0 ? 0 : vPinned[u - 1]![w - 1]!);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let expected = 0;
        for (let u = 0; u < n; u++) {
          for (let w = 0; w < n; w++) expected += ((a === u ? 1 : 0) - 1 / n) * full(u, w) * ((b === w ? 1 : 0) - 1 / n);
        }
        assert.ok(Math.abs(cov.cov(a, b) - expected) < 1e-10, `cov(${a},${b}) ${cov.cov(a, b)} vs ${expected}`);
      }
    }
  });
});

describe("rank confidence", () => {
  it("is Phi(d / sd) of neighbours, with the documented projection of votes to settle", () => {
    const votes = simulate([1100, 1090, 1000, 850], 800, 31);
    const r = computeRatings(votes, { method: "sandwich" });
    const counts = aggregateVotes(votes);
    const fit = fitBradleyTerry(counts);
    const board = localBoard(counts, counts.ids.map((_, k) => k));
    const cov = sandwichCovariance(counts.ids.length, board.pairs, fit.theta)!;
    const models = r.boards[0]!.models;
    for (let k = 0; k + 1 < models.length; k++) {
      const [a, b] = [counts.ids.indexOf(models[k]!.id), counts.ids.indexOf(models[k + 1]!.id)];
      const d = fit.theta[a]! - fit.theta[b]!;
      const sd = Math.sqrt(cov.cov(a, a) + cov.cov(b, b) - 2 * cov.cov(a, b));
      const next = models[k]!.next!;
      assert.ok(Math.abs(next.probability - normalCdf(d / sd)) < 1e-12);
      if (next.probability >= 0.95) assert.equal(next.votesToSettle, 0);
      else if (next.votesToSettle !== null) {
        // After V more votes the standard error is sd sqrt(N / (N + V)): the order then reaches 95%.
        const after = sd * Math.sqrt(board.votes / (board.votes + next.votesToSettle));
        assert.ok(normalCdf(d / after) >= 0.95 - 1e-9);
      }
    }
    assert.equal(models.at(-1)!.next, null);
    // A clear gap is settled; a near tie is not reachable.
    assert.equal(projectOrder(1, 0.2, 100).votesToSettle, 0);
    assert.equal(projectOrder(0.001, 0.3, 100).votesToSettle, null);
    assert.equal(projectOrder(0.1, 0.1, 100).votesToSettle, Math.ceil(100 * (1.6448536269514722 ** 2 - 1)));
  });

  it("uses the share of bootstrap rounds on a bootstrap board", () => {
    const r = computeRatings(simulate([1100, 1095, 1000], 600, 41), { rounds: 400 });
    assert.equal(r.boards[0]!.method, "bootstrap");
    const p = r.boards[0]!.models[0]!.next!.probability;
    assert.ok(p > 0.5 && p < 0.95, `${p}`);
    assert.ok(Number.isInteger(p * 400 * 2), "a share of rounds (ties count half)");
  });
});

describe("interval method", () => {
  it("bootstrap on small boards, sandwich on big ones and where resamples lose the MLE", () => {
    const small = computeRatings(simulate([1100, 1000, 900, 950, 1050], 1500, 51), { rounds: 200 });
    assert.equal(small.boards[0]!.method, "bootstrap");
    const many = computeRatings(simulate([1100, 1000, 900, 950, 1050], BOOTSTRAP_MAX_VOTES + 1, 54), { rounds: 200 });
    assert.equal(many.boards[0]!.method, "sandwich", "many votes: the sandwich");
    const elo = Array.from({ length: BOOTSTRAP_MAX_MODELS + 5 }, (_, k) => 1000 + 8 * k);
    const big = computeRatings(simulate(elo, 20 * elo.length, 52), { rounds: 200 });
    assert.equal(big.boards[0]!.models.length, elo.length);
    assert.equal(big.boards[0]!.method, "sandwich");
    // 3 models, 8 votes each: most resamples leave some model undefeated.
    const thin = computeRatings(simulate([1100, 1000, 900], 12, 53, 0.3), { rounds: 200 });
    assert.equal(thin.boards.length, 1);
    assert.equal(thin.boards[0]!.method, "sandwich");
    for (const m of thin.models) assert.ok(m.ciHigh - m.ciLow > 100 && m.ciLow < m.elo && m.elo < m.ciHigh);
  });
});

describe("recompute schedule", () => {
  it("waits as long as the last recompute took, counted from its end, capped", () => {
    assert.equal(recomputeBackoffMs(null, 1000), 0, "the first one starts at once");
    // A 3 s recompute that ended at t = 10 s: not before t = 13 s.
    assert.equal(recomputeBackoffMs({ endedAt: 10_000, durationMs: 3000 }, 11_000), 2000);
    assert.equal(recomputeBackoffMs({ endedAt: 10_000, durationMs: 3000 }, 14_000), 0);
    assert.equal(recomputeBackoffMs({ endedAt: 0, durationMs: 10 * MAX_BACKOFF_MS }, 0), MAX_BACKOFF_MS);
  });

  it("starts at most one recompute per minimum interval, counted from the last one's start", () => {
    // A 200 ms recompute that started at t = 10 s, with a 5 s minimum interval: not before t = 15 s.
    const last = { endedAt: 10_200, durationMs: 200 };
    assert.equal(recomputeBackoffMs(last, 11_700, 5000), 3300);
    assert.equal(recomputeBackoffMs(last, 15_000, 5000), 0);
    assert.equal(recomputeBackoffMs(last, 11_700, 0), 0, "without one, only the duration counts");
    // A recompute longer than half the interval: its own duration still decides.
    assert.equal(recomputeBackoffMs({ endedAt: 14_000, durationMs: 4000 }, 14_000, 5000), 4000);
    // After a quiet spell nothing is waited: a lone vote shows within the debounce.
    assert.equal(recomputeBackoffMs(last, 60_000, 5000), 0);
  });
});

function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, r) => [...row, ...row.map((_, c) => (r === c ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    const piv = m.reduce((best, row, r) => (r >= c && Math.abs(row[c]!) > Math.abs(m[best]![c]!) ? r : best), c);
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    const d = m[c]![c]!;
    for (let k = 0; k < 2 * n; k++) m[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let k = 0; k < 2 * n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row) => row.slice(n));
}

function mul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, c) => row.reduce((s, x, k) => s + x * b[k]![c]!, 0)));
}


