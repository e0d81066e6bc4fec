import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { paretoFrontier } from "@/components/charts/pareto";
import { linearScale, logScale, logTicks, niceTicks } from "@/components/charts/scale";
import { spearman } from "@/lib/math/spearman";
import { timeTicks } from "@/components/charts/time-ticks";

const close = (actual: number | null, expected: number, eps = 1e-9) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < eps, `expected ${expected}, got ${actual}`);

describe("spearman", () => {
  it("matches the textbook example without ties", () => {
    // Wikipedia's IQ / hours-of-TV example: ρ = -29/165.
    const iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17];
    close(spearman(iq, tv), -29 / 165);
  });

  it("gives tied values their average rank", () => {
    // y ranks 1, 2, 3.5, 5, 3.5 → ρ = 8 / √95 (scipy.stats.spearmanr agrees: 0.8207826816681233).
    close(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 8 / Math.sqrt(95));
    // Ties on both sides.
    close(spearman([1, 1, 2, 2], [1, 1, 2, 2]), 1);
  });

  it("is exactly ±1 for any monotone relation", () => {
    const x = [0.001, 0.004, 0.02, 0.09, 0.2, 0];
    assert.equal(spearman(x, x.map((v) => v ** 3 + 1000)), 1);
    assert.equal(spearman(x, x.map((v) => -Math.exp(v))), -1);
  });

  it("is null for fewer than 3 pairs or a constant column", () => {
    assert.equal(spearman([], []), null);
    assert.equal(spearman([1, 2], [2, 1]), null);
    assert.equal(spearman([1, 2, 3], [5, 5, 5]), null);
    assert.equal(spearman([4, 4, 4, 4], [1, 2, 3, 4]), null);
    // Non-finite pairs are dropped first, leaving two.
    assert.equal(spearman([1, 2, Number.NaN, 4], [1, 2, 3, Infinity]), null);
    close(spearman([1, 2, Number.NaN, 4, 5], [1, 3, 0, 2, 9]), 0.8);
  });

  it("rejects columns of different length", () => {
    assert.throws(() => spearman([1, 2, 3], [1, 2]), RangeError);
  });
});

describe("paretoFrontier", () => {
  const pt = (id: string, x: number, y: number) => ({ id, x, y });
  const ids = (points: { id: string }[]) => points.map((p) => p.id);

  it("keeps the points no cheaper point beats, sorted by cost", () => {
    const points = [pt("pricey", 0.2, 1220), pt("best", 0.09, 1250), pt("free", 0, 850), pt("cheap", 0.001, 980), pt("meh", 0.01, 970), pt("mid", 0.004, 1100)];
    const front = paretoFrontier(points);
    assert.deepEqual(ids(front), ["free", "cheap", "mid", "best"]);
    assert.equal(front[0], points[2], "returns the caller's objects");
  });

  it("keeps only the higher y among equal x, and the first of exact duplicates", () => {
    assert.deepEqual(ids(paretoFrontier([pt("low", 1, 10), pt("high", 1, 20), pt("next", 2, 30)])), ["high", "next"]);
    assert.deepEqual(ids(paretoFrontier([pt("a", 1, 10), pt("b", 1, 10)])), ["a"]);
  });

  it("drops a point that costs more for the same y", () => {
    assert.deepEqual(ids(paretoFrontier([pt("a", 1, 10), pt("b", 2, 10)])), ["a"]);
  });

  it("handles empty, single and non-finite input", () => {
    assert.deepEqual(paretoFrontier([]), []);
    assert.deepEqual(ids(paretoFrontier([pt("only", 3, 3)])), ["only"]);
    assert.deepEqual(ids(paretoFrontier([pt("nan", Number.NaN, 99), pt("ok", 1, 1), pt("inf", 0, Infinity)])), ["ok"]);
  });
});

describe("ticks and scales", () => {
  it("niceTicks encloses the data with round steps", () => {
    assert.deepEqual(niceTicks(850, 1250, 5), [800, 900, 1000, 1100, 1200, 1300]);
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(0.1, 0.3, 2), [0.1, 0.2, 0.3], "no float noise such as 0.30000000000000004");
    assert.deepEqual(niceTicks(-3, 7, 5), [-4, -2, 0, 2, 4, 6, 8]);
  });

  it("niceTicks widens a single value and ignores non-finite bounds", () => {
    const ticks = niceTicks(1100, 1100);
    assert.ok(ticks.length >= 2 && ticks[0]! < 1100 && ticks.at(-1)! > 1100, String(ticks));
    assert.ok(niceTicks(0, 0).length >= 2);
    assert.deepEqual(niceTicks(Number.NaN, 1), []);
  });

  it("logTicks picks 1-2-5 steps for a few decades and powers of ten for many", () => {
    assert.deepEqual(logTicks(0.001, 0.2), [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2]);
    assert.deepEqual(logTicks(1, 1e6), [1, 10, 100, 1000, 10000, 100000, 1000000]);
    assert.deepEqual(logTicks(0.5, 30, 8), [0.5, 1, 2, 5, 10, 20]);
    assert.deepEqual(logTicks(2, 3), [1, 10], "falls back to the bracketing powers");
    assert.deepEqual(logTicks(0, 1), [], "zero has no place on a log axis");
  });

  it("scales map domains onto ranges", () => {
    const y = linearScale([800, 1300], [400, 0]);
    assert.equal(y(800), 400);
    assert.equal(y(1050), 200);
    assert.equal(linearScale([5, 5], [0, 100])(5), 50);
    const x = logScale([0.001, 1], [0, 300]);
    assert.ok(Math.abs(x(0.01) - 100) < 1e-9);
    assert.ok(Math.abs(x(0.1) - 200) < 1e-9);
  });

  it("timeTicks chooses a calendar step and two-line UTC labels", () => {
    const start = Date.UTC(2025, 10, 24, 9);
    const ticks = timeTicks(start, start + 69 * 3_600_000);
    assert.deepEqual(
      ticks.map((t) => t.label),
      [["12:00", "Nov 24"], ["00:00", "Nov 25"], ["12:00"], ["00:00", "Nov 26"], ["12:00"], ["00:00", "Nov 27"]],
    );
    const months = timeTicks(Date.UTC(2025, 0, 10), Date.UTC(2026, 2, 1));
    assert.deepEqual(months.map((t) => new Date(t.value).toISOString().slice(0, 10)), ["2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"]);
    assert.deepEqual(months.map((t) => t.label), [["Apr", "2025"], ["Jul"], ["Oct"], ["Jan", "2026"]]);
    assert.deepEqual(timeTicks(Number.NaN, 1), []);
  });
});
