/**
 * Issue 16 part 5: the bootstrap interval of Spearman's rho (models resampled, fixed seed) and the
 * conditional / penalised means of plugin scores.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MIN_MODELS, rankCorrelation } from "@/lib/math/rank-correlation";
import { spearman } from "@/lib/math/spearman";
import { scoreMeans } from "@/lib/metrics/means";
import { metricCorrelations } from "@/lib/leaderboard/metric-columns";
import type { LeaderboardEntry, LeaderboardMetric } from "@/lib/contracts";

describe("rank correlation with a bootstrap interval", () => {
  // y ranks 1, 2, 3.5, 5, 3.5: rho = 8 / sqrt(95) (scipy.stats.spearmanr: 0.8207826816681233).
  const x = [1, 2, 3, 4, 5];
  const y = [5, 6, 7, 8, 7];

  it("is deterministic: the same data give the same interval on every read", () => {
    const a = rankCorrelation(x, y);
    assert.deepEqual(rankCorrelation(x, y), a);
    assert.ok(Math.abs(a.rho! - 8 / Math.sqrt(95)) < 1e-12);
    assert.equal(a.n, 5);
  });

  it("matches the exact bootstrap distribution, enumerated over all 5^5 resamples", () => {
    // Every index tuple is one equally likely resample; degenerate ones (constant x or y) have no rho.
    const exact: number[] = [];
    for (let code = 0; code < 5 ** 5; code++) {
      const idx = [0, 1, 2, 3, 4].map((p) => Math.floor(code / 5 ** p) % 5);
      const r = spearman(idx.map((i) => x[i]!), idx.map((i) => y[i]!));
      if (r !== null) exact.push(r);
    }
    const below = (v: number) => exact.filter((e) => e < v - 1e-12).length / exact.length;
    const atMost = (v: number) => exact.filter((e) => e <= v + 1e-12).length / exact.length;
    const r = rankCorrelation(x, y, { replicates: 20_000 });
    assert.ok(r.ciLow !== null && r.ciHigh !== null);
    // The distribution is discrete (rho takes few values), so check that each bound is a p-quantile
    // of the exact distribution: less than p of it lies below, at least p at or below (Monte Carlo
    // error of a share with 20,000 draws: about 0.1 point; allowed 0.5).
    for (const [bound, p] of [[r.ciLow, 0.025], [r.ciHigh, 0.975]] as const) {
      assert.ok(below(bound) <= p + 0.005 && atMost(bound) >= p - 0.005, `${bound}: ${below(bound)} below, ${atMost(bound)} at or below, p = ${p}`);
    }
    assert.ok(r.ciLow <= r.rho! && r.rho! <= r.ciHigh);
    // The check has teeth: 0.5 is not a 2.5% point of this distribution.
    assert.ok(!(below(0.5) <= 0.03 && atMost(0.5) >= 0.02));
  });

  it("a perfectly monotone relation has rho 1 and the interval [1, 1]; reversed, -1", () => {
    const up = rankCorrelation([1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60]);
    assert.deepEqual([up.rho, up.ciLow, up.ciHigh], [1, 1, 1]);
    const down = rankCorrelation([1, 2, 3, 4, 5, 6], [60, 50, 40, 30, 20, 10]);
    assert.deepEqual([down.rho, down.ciLow, down.ciHigh], [-1, -1, -1]);
  });

  it("says 'not enough data' below the minimum and never gives a number for a constant column", () => {
    const few = rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1]);
    assert.equal(few.rho, null);
    assert.equal(few.note, `not enough data (n=4; needs ${MIN_MODELS} models)`);
    // Non-finite values (a model without the metric) are dropped before counting.
    assert.equal(rankCorrelation([1, 2, NaN, 4, 5, NaN], [1, 2, 3, 4, 5, 6]).note, "not enough data (n=4; needs 5 models)");
    const flat = rankCorrelation([3, 3, 3, 3, 3], [1, 2, 3, 4, 5]);
    assert.equal(flat.rho, null);
    assert.match(flat.note!, /same value/);
  });

  it("gives no interval when most resamples are degenerate (two distinct models among many copies)", () => {
    const r = rankCorrelation([1, 1, 1, 1, 1, 2], [1, 1, 1, 1, 1, 2]);
    assert.equal(r.rho, 1);
    assert.equal(r.ciLow, null);
    assert.match(r.note!, /interval not identified/);
  });
});

describe("conditional and penalised means of a plugin score", () => {
  // Four scored outputs: values 0.8, 0.6, null (missing views), and one failed row; six outputs in all.
  const agg = { scored: 4, withValue: 2, sum: 0.8 + 0.6 };

  it("zero penalty: conditional over values, penalised over every scored output with missing = 0", () => {
    const m = scoreMeans(agg, "zero", 6);
    assert.ok(Math.abs(m.conditional! - 0.7) < 1e-12);
    assert.ok(Math.abs(m.penalised! - 1.4 / 4) < 1e-12);
    assert.deepEqual([m.withValue, m.scored, m.outputs], [2, 4, 6]);
  });

  it("conditional leaves out outputs scored on only some views; penalised keeps them", () => {
    // 0.6 came from an output with two of four views (details.complete = false): conditional = 0.8 / 1.
    const m = scoreMeans({ ...agg, completeWithValue: 1, completeSum: 0.8 }, "zero", 6);
    assert.ok(Math.abs(m.conditional! - 0.8) < 1e-12);
    assert.ok(Math.abs(m.penalised! - 1.4 / 4) < 1e-12);
  });

  it("excluded penalty has no penalised mean; nothing scored has no means at all", () => {
    assert.equal(scoreMeans(agg, "excluded", 6).penalised, null);
    assert.deepEqual(scoreMeans({ scored: 1, withValue: 0, sum: 0 }, "zero", 1), { conditional: null, penalised: 0, withValue: 0, scored: 1, outputs: 1 });
    assert.deepEqual(scoreMeans({ scored: 0, withValue: 0, sum: 0 }, "zero", 3), { conditional: null, penalised: null, withValue: 0, scored: 0, outputs: 3 });
  });

  it("correlations: available scores use their headline mean, unavailable metrics say why with no number", () => {
    const metrics: LeaderboardMetric[] = [
      {
        id: "command:uni3d",
        label: "Uni3D",
        version: "1",
        available: true,
        reason: null,
        scores: [{ column: "command:uni3d/shape", key: "shape", label: "3D-3D", higherIsBetter: true, penalty: "zero" }],
      },
      { id: "siglip2-image", label: "SigLIP-2", version: "1", available: false, reason: "METRIC_SIGLIP2_DIR is not set", scores: [{ column: "siglip2-image/paired", key: "paired", label: "view-paired", higherIsBetter: true, penalty: "zero" }] },
    ];
    const entry = (k: number, shape: number | null): LeaderboardEntry =>
      ({
        elo: 1000 + 10 * k,
        execRate: k / 10,
        chamfer: null,
        chamferRotMin: null,
        metricScores: shape === null ? {} : { "command:uni3d/shape": { conditional: 1, penalised: shape, withValue: 1, scored: 1, outputs: 1 } },
      }) as unknown as LeaderboardEntry;
    const rows = metricCorrelations([0, 1, 2, 3, 4, 5].map((k) => entry(k, k === 5 ? null : k * k)), metrics);
    const by = new Map(rows.map((r) => [r.column, r]));
    assert.deepEqual([by.get("execRate")!.rho, by.get("execRate")!.n], [1, 6]);
    assert.equal(by.get("chamfer")!.note, "not enough data (n=0; needs 5 models)");
    assert.deepEqual([by.get("command:uni3d/shape")!.rho, by.get("command:uni3d/shape")!.n, by.get("command:uni3d/shape")!.mean], [1, 5, "penalised"]);
    assert.deepEqual(by.get("siglip2-image/paired"), {
      column: "siglip2-image/paired", label: "SigLIP-2: view-paired", mean: "penalised", higherIsBetter: true,
      n: 0, rho: null, ciLow: null, ciHigh: null, note: "unavailable: METRIC_SIGLIP2_DIR is not set",
    });
  });
});
