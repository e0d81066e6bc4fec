import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Outcome } from "@/lib/contracts";
import { computeRatings, type Vote } from "@/lib/ratings";
import { bootstrapBoard, ranksFromIntervals } from "@/lib/ratings/bootstrap";
import { localBoard } from "@/lib/ratings/board";
import { fitBradleyTerry } from "@/lib/ratings/bradley-terry";
import { aggregateVotes, type PairCount } from "@/lib/ratings/pair-counts";
import { Variates, xoshiro128 } from "@/lib/ratings/random";
import { mulberry32 } from "@/lib/math/mulberry32";

const NATS_PER_ELO = Math.LN10 / 400;

/** Votes from a known Bradley-Terry world; `drawRate` of votes become tie/both_bad coin flips. */
function simulate(trueElo: number[], count: number, seed: number, drawRate = 0): Vote[] {
  const rand = mulberry32(seed);
  const votes: Vote[] = [];
  while (votes.length < count) {
    const a = Math.floor(rand() * trueElo.length);
    const b = Math.floor(rand() * trueElo.length);
    if (a === b) continue;
    const pA = 1 / (1 + Math.pow(10, (trueElo[b]! - trueElo[a]!) / 400));
    let outcome: Outcome = rand() < pA ? "a" : "b";
    if (rand() < drawRate) outcome = rand() < 0.5 ? "tie" : "both_bad";
    votes.push({ a: `m${a}`, b: `m${b}`, outcome });
  }
  return votes;
}

/** Fractional win matrix straight from the votes (independent of pair-counts.ts). */
function winMatrix(votes: Vote[], ids: string[]): number[][] {
  const w = ids.map(() => ids.map(() => 0));
  const at = (id: string) => ids.indexOf(id);
  for (const v of votes) {
    const a = at(v.a);
    const b = at(v.b);
    if (v.outcome === "a") w[a]![b]! += 1;
    else if (v.outcome === "b") w[b]![a]! += 1;
    else {
      w[a]![b]! += 0.5;
      w[b]![a]! += 0.5;
    }
  }
  return w;
}

function gradient(w: number[][], theta: number[]): number[] {
  return theta.map((ti, i) =>
    theta.reduce((g, tj, j) => (i === j ? g : g + w[i]![j]! - (w[i]![j]! + w[j]![i]!) / (1 + Math.exp(tj - ti))), 0),
  );
}

/** Reference solver: plain Newton with theta_0 pinned to 0, Gaussian elimination, no safeguards. */
function bruteForceNewton(w: number[][]): number[] {
  const n = w.length;
  const theta = new Array<number>(n).fill(0);
  for (let it = 0; it < 100; it++) {
    const g = gradient(w, theta);
    const h = theta.map((ti, i) =>
      theta.map((tj, j) => {
        if (i !== j) {
          const p = 1 / (1 + Math.exp(tj - ti));
          return (w[i]![j]! + w[j]![i]!) * p * (1 - p);
        }
        return theta.reduce((s, tk, k) => {
          if (k === i) return s;
          const p = 1 / (1 + Math.exp(tk - ti));
          return s - (w[i]![k]! + w[k]![i]!) * p * (1 - p);
        }, 0);
      }),
    );
    // Solve -H[1:,1:] d = g[1:] (theta_0 fixed).
    const m = n - 1;
    const a = Array.from({ length: m }, (_, r) => [...h[r + 1]!.slice(1).map((x) => -x), g[r + 1]!]);
    for (let c = 0; c < m; c++) {
      const piv = a.reduce((best, row, r) => (r >= c && Math.abs(row[c]!) > Math.abs(a[best]![c]!) ? r : best), c);
      [a[c], a[piv]] = [a[piv]!, a[c]!];
      for (let r = 0; r < m; r++) {
        if (r === c) continue;
        const f = a[r]![c]! / a[c]![c]!;
        for (let k = c; k <= m; k++) a[r]![k]! -= f * a[c]![k]!;
      }
    }
    for (let r = 0; r < m; r++) theta[r + 1]! += a[r]![m]! / a[r]![r]!;
  }
  const mean = theta.reduce((s, x) => s + x, 0) / n;
  return theta.map((x) => 1000 + (x - mean) / NATS_PER_ELO);
}

describe("Bradley-Terry fit", () => {
  const truth = [1250, 1180, 1100, 1040, 1000, 960, 880, 790];
  const votes = simulate(truth, 4000, 7, 0.2);

  it("is a stationary point of the log-likelihood and matches an independent Newton solver", () => {
    const counts = aggregateVotes(votes);
    const fit = fitBradleyTerry(counts);
    assert.equal(fit.ridge, 0);
    assert.ok(fit.converged);
    const theta = fit.elo.map((e) => (e! - 1000) * NATS_PER_ELO);
    const w = winMatrix(votes, counts.ids);
    for (const g of gradient(w, theta)) assert.ok(Math.abs(g) < 1e-6, `gradient ${g}`);
    const reference = bruteForceNewton(w);
    fit.elo.forEach((e, k) => assert.ok(Math.abs(e! - reference[k]!) < 1e-6, `${e} vs ${reference[k]}`));
    assert.ok(Math.abs(fit.elo.reduce((s, e) => s! + e!, 0)! / fit.elo.length - 1000) < 1e-9);
  });

  it("counts tie and both_bad as half a win each", () => {
    const v = (outcome: Outcome, n: number): Vote[] => Array.from({ length: n }, () => ({ a: "A", b: "B", outcome }));
    const withTies = computeRatings([...v("a", 3), ...v("b", 1), ...v("tie", 1), ...v("both_bad", 1)], { rounds: 0 });
    const elo = Object.fromEntries(withTies.models.map((m) => [m.id, m.elo]));
    // Wins 3 + 1 = 4 against 1 + 1 = 2: odds 2, i.e. 400 * log10(2) Elo apart.
    assert.ok(Math.abs(elo.A! - elo.B! - 400 * Math.log10(2)) < 1e-9);

    // Two draws weigh exactly as one win each way, in a larger connected field too.
    const base = simulate([1100, 1000, 900], 300, 3);
    const drawsA = [...base, { a: "m0", b: "m2", outcome: "tie" as const }, { a: "m2", b: "m0", outcome: "both_bad" as const }];
    const winsA = [...base, { a: "m0", b: "m2", outcome: "a" as const }, { a: "m0", b: "m2", outcome: "b" as const }];
    const x = computeRatings(drawsA, { rounds: 0 }).models.map((m) => m.elo);
    const y = computeRatings(winsA, { rounds: 0 }).models.map((m) => m.elo);
    x.forEach((e, k) => assert.ok(Math.abs(e - y[k]!) < 1e-9));
  });

  it("shifts the whole scale onto an anchor", () => {
    const free = computeRatings(votes, { rounds: 50 });
    const anchored = computeRatings(votes, { rounds: 50, anchor: { id: "m4", elo: 1200 } });
    const shift = 1200 - free.models.find((m) => m.id === "m4")!.elo;
    anchored.models.forEach((m, k) => {
      const f = free.models[k]!;
      assert.equal(m.id, f.id);
      for (const key of ["elo", "ciLow", "ciHigh"] as const) assert.ok(Math.abs(m[key] - f[key] - shift) < 1e-9);
    });
    assert.deepEqual(anchored.boards[0]!.anchor, { id: "m4", elo: 1200 });
    // An anchor that is not rated leaves the board centred on its mean, and says so.
    const unanchored = computeRatings(votes, { rounds: 50, anchor: { id: "nobody", elo: 1 } });
    assert.equal(unanchored.boards[0]!.anchor, null);
    assert.deepEqual(unanchored.models, free.models);
  });
});

describe("computeRatings", () => {
  const truth = [1300, 1200, 1120, 1060, 1000, 930, 850, 740];
  const votes = simulate(truth, 4000, 11, 0.15);

  it("does not depend on vote order or on display order", () => {
    const reference = computeRatings(votes, { rounds: 200, seed: 9 });
    assert.equal(reference.boards[0]!.method, "bootstrap");
    const rand = mulberry32(99);
    const shuffled = [...votes];
    for (let k = shuffled.length - 1; k > 0; k--) {
      const r = Math.floor(rand() * (k + 1));
      [shuffled[k], shuffled[r]] = [shuffled[r]!, shuffled[k]!];
    }
    const swap: Record<Outcome, Outcome> = { a: "b", b: "a", tie: "tie", both_bad: "both_bad" };
    const swapped = shuffled.map((v) => ({ a: v.b, b: v.a, outcome: swap[v.outcome] }));
    assert.deepEqual(computeRatings(shuffled, { rounds: 200, seed: 9 }), reference);
    assert.deepEqual(computeRatings(swapped, { rounds: 200, seed: 9 }), reference);
  });

  it("tallies per-model counts and sorts by rating", () => {
    const r = computeRatings(votes, { rounds: 0 });
    assert.equal(r.voteCount, 4000);
    assert.equal(r.models.reduce((s, m) => s + m.votes, 0), 8000);
    for (const m of r.models) {
      assert.equal(m.wins + m.losses + m.ties + m.bothBad, m.votes);
      assert.equal(m.winRate, m.wins / m.votes);
    }
    for (let k = 1; k < r.models.length; k++) assert.ok(r.models[k - 1]!.elo >= r.models[k]!.elo);
    assert.deepEqual(r.models.map((m) => m.id), truth.map((_, k) => `m${k}`)); // well separated truth
  });

  it("bootstrap intervals cover the true centred ratings at about the nominal rate", (t) => {
    const mean = truth.reduce((s, x) => s + x, 0) / truth.length;
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = computeRatings(simulate(truth, 4000, 100 + seed), { rounds: 400, seed });
      for (const m of r.models) {
        const t = truth[Number(m.id.slice(1))]! - mean + 1000;
        total++;
        if (m.ciLow <= t && t <= m.ciHigh) covered++;
        assert.ok(m.ciLow < m.elo && m.elo < m.ciHigh);
      }
    }
    t.diagnostic(`coverage ${covered}/${total}`);
    // 240 intervals at 95% (expect ~228). Intervals within one data set are correlated, so the
    // spread is wider than binomial (these seeds give 219/240; 200 other seeds gave 94.1%).
    // Below 88% the intervals are too narrow, above 99% too wide.
    assert.ok(covered >= 0.88 * total && covered <= 0.99 * total, `coverage ${covered}/${total}`);
  });

  it("is reproducible for a seed and changes with it", () => {
    const a = computeRatings(votes, { rounds: 100, seed: 1 });
    assert.deepEqual(computeRatings(votes, { rounds: 100, seed: 1 }), a);
    assert.notDeepEqual(computeRatings(votes, { rounds: 100, seed: 2 }).models, a.models);
  });

  it("ranks by interval separation", () => {
    assert.deepEqual(ranksFromIntervals([10, 5, 4.5, 0], [12, 9, 6, 4]), [1, 2, 2, 4]);
    const r = computeRatings(votes, { rounds: 500 });
    for (const m of r.models) {
      assert.equal(m.rank, 1 + r.models.filter((o) => o.ciLow > m.ciHigh).length);
    }
    assert.equal(r.models[0]!.rank, 1);
    assert.ok(r.models.at(-1)!.rank > 1);
  });

  it("treats pre-counted votes exactly like the same votes one by one", () => {
    const grouped = new Map<string, Vote>();
    for (const v of votes) {
      const key = `${v.a} ${v.b} ${v.outcome}`;
      const g = grouped.get(key) ?? { ...v, count: 0 };
      g.count! += 1;
      grouped.set(key, g);
    }
    assert.ok(grouped.size < votes.length / 10);
    assert.deepEqual(computeRatings([...grouped.values()], { rounds: 100, seed: 3 }), computeRatings(votes, { rounds: 100, seed: 3 }));
  });

  it("bootstraps at the aggregated level (cost independent of vote count)", () => {
    const counts = aggregateVotes(votes);
    const times = (p: PairCount) => ({ ...p, winsI: p.winsI * 1000, winsJ: p.winsJ * 1000, ties: p.ties * 1000, bothBad: p.bothBad * 1000 });
    const scaled = { ...counts, voteCount: counts.voteCount * 1000, pairs: counts.pairs.map(times) };
    const all = counts.ids.map((_, k) => k);
    const run = (c: typeof counts) => {
      const b = localBoard(c, all);
      return bootstrapBoard(all.length, b.pairs, b.votes, { rounds: 100, seed: 1, init: new Float64Array(all.length) });
    };
    const t0 = performance.now();
    const small = run(counts);
    const t1 = performance.now();
    const big = run(scaled);
    const t2 = performance.now();
    assert.ok(t2 - t1 < 10 * (t1 - t0) + 500, `4k votes ${t1 - t0} ms, 4M votes ${t2 - t1} ms`);
    // 1000x the data: the spread of the rounds shrinks by about sqrt(1000) ~ 32.
    const spread = (b: typeof small) => {
      const xs = Array.from(b.samples.subarray(0, 100));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    };
    assert.equal(small.degenerate + big.degenerate, 0);
    assert.ok(spread(big) < spread(small) / 15);
  });
});

describe("random variates", () => {
  it("draw multinomials that keep the total and binomials with the right moments", () => {
    const v = new Variates(xoshiro128(42));
    const out = new Float64Array(4);
    v.multinomial(1_000_003, Float64Array.from([5, 0, 2, 1]), out);
    assert.equal(out.reduce((s, x) => s + x, 0), 1_000_003);
    assert.equal(out[1], 0);
    for (const [n, p] of [[1e6, 0.3], [50, 0.1], [1e5, 0.97]] as const) {
      const draws = Array.from({ length: 4000 }, () => v.binomial(n, p));
      const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
      const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1);
      const sd = Math.sqrt(n * p * (1 - p));
      assert.ok(Math.abs(mean - n * p) < 5 * sd / Math.sqrt(draws.length), `mean ${mean} for ${n}, ${p}`);
      assert.ok(Math.abs(variance / (sd * sd) - 1) < 0.12, `variance ${variance} vs ${sd * sd}`);
      assert.ok(draws.every((x) => Number.isInteger(x) && x >= 0 && x <= n));
    }
  });

  it("match the exact binomial pmf on both sampler paths (inversion and BTRS)", () => {
    const v = new Variates(xoshiro128(7));
    for (const [n, p] of [[40, 0.2], [100, 0.3], [60, 0.75]] as const) {
      const pmf: number[] = [Math.pow(1 - p, n)];
      for (let k = 1; k <= n; k++) pmf.push((pmf[k - 1]! * (n - k + 1) * p) / (k * (1 - p)));
      const draws = 200_000;
      const seen = new Array<number>(n + 1).fill(0);
      for (let d = 0; d < draws; d++) seen[v.binomial(n, p)]! += 1;
      const tv = 0.5 * pmf.reduce((s, q, k) => s + Math.abs(q - seen[k]! / draws), 0);
      // Sampling noise alone gives TV 0.003-0.005 here; a wrong constant in BTRS gives far more.
      assert.ok(tv < 0.012, `TV ${tv} for Binomial(${n}, ${p})`);
    }
  });
});
