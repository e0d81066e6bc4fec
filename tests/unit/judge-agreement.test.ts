/**
 * Agreement figures (lib/judge/agreement.ts) against an example worked by hand. The arithmetic is
 * in the comments so a reader can check it without running anything.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agreement, cohensKappa, confusionMatrix, MIN_AGREEMENT_SAMPLE, type AgreementPair } from "@/lib/judge/agreement";
import type { Verdict } from "@/lib/judge/types";

const close = (actual: number | null, expected: number, eps = 1e-12) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < eps, `expected ${expected}, got ${actual}`);

/**
 * 20 battles. Rows = human vote, columns = judge verdict, order a, b, tie, both_bad:
 *
 *              judge:  a   b  tie  bb | row
 *   human a            6   1   1   0  |  8
 *   human b            1   5   0   0  |  6
 *   human tie          1   1   1   0  |  3
 *   human both_bad     0   0   1   2  |  3
 *   column             8   7   3   2  | 20
 */
const CELLS: [Verdict, Verdict, number][] = [
  ["a", "a", 6], ["a", "b", 1], ["a", "tie", 1],
  ["b", "a", 1], ["b", "b", 5],
  ["tie", "a", 1], ["tie", "b", 1], ["tie", "tie", 1],
  ["both_bad", "tie", 1], ["both_bad", "both_bad", 2],
];
// Interleave the cells so the result cannot depend on input order.
const PAIRS: AgreementPair[] = CELLS.flatMap(([human, judge, n]) => Array.from({ length: n }, () => ({ human, judge }))).sort((x, y) =>
  `${x.judge}${x.human}` < `${y.judge}${y.human}` ? -1 : 1,
);

describe("judge agreement, hand-computed example", () => {
  it("builds the 4x4 confusion matrix (rows human, columns judge)", () => {
    assert.equal(PAIRS.length, 20);
    assert.deepEqual(confusionMatrix(PAIRS), [
      [6, 1, 1, 0],
      [1, 5, 0, 0],
      [1, 1, 1, 0],
      [0, 0, 1, 2],
    ]);
  });

  it("exact agreement and four-way Cohen's kappa", () => {
    const r = agreement(PAIRS, 20);
    // Diagonal 6 + 5 + 1 + 2 = 14 of 20: po = 0.7.
    close(r.exact.value, 0.7);
    // pe = (8*8 + 6*7 + 3*3 + 3*2) / 20^2 = (64 + 42 + 9 + 6) / 400 = 121/400 = 0.3025
    // kappa = (0.7 - 0.3025) / (1 - 0.3025) = 0.3975 / 0.6975 = 53/93 = 0.56989...
    close(r.kappa.value, 53 / 93);
    assert.equal(r.n, 20);
  });

  it("agreement on decisive votes, its binary kappa and coverage", () => {
    const r = agreement(PAIRS, 10);
    // Both picked a side: cells (a,a)=6 (a,b)=1 (b,a)=1 (b,b)=5, n = 13; same side 6 + 5 = 11.
    assert.equal(r.decisive.n, 13);
    close(r.decisive.agreement.value, 11 / 13);
    // 2x2: rows a 7, b 6; columns a 7, b 6. po = 11/13 = 143/169; pe = (7*7 + 6*6)/169 = 85/169;
    // kappa = (143 - 85)/169 / ((169 - 85)/169) = 58/84 = 29/42 = 0.69047...
    close(r.decisive.kappa.value, 29 / 42);
    // Humans were decisive 8 + 6 = 14 times; the judge also decided 13 of those.
    close(r.coverage.value, 13 / 14);
  });

  it("publishes no figure below the minimum sample, and says how many there are", () => {
    assert.equal(MIN_AGREEMENT_SAMPLE, 20);
    const r = agreement(PAIRS);
    // 20 pairs reach the minimum; the 13 decisive ones do not.
    close(r.exact.value, 0.7);
    assert.equal(r.decisive.agreement.value, null);
    assert.equal(r.decisive.n, 13);
    assert.match((r.decisive.agreement as { reason: string }).reason, /not enough data \(n=13/);
    assert.equal(r.decisive.kappa.value, null);
    const few = agreement(PAIRS.slice(0, 19));
    assert.equal(few.exact.value, null);
    assert.equal(few.kappa.value, null);
    assert.match((few.exact as { reason: string }).reason, /^not enough data \(n=19, need 20\)$/);
    // The confusion matrix is counts, shown whatever the sample.
    assert.equal(few.confusion.flat().reduce((a, b) => a + b, 0), 19);
  });

  it("kappa is undefined, not 0 or 1, when both sides used one and the same outcome", () => {
    const same = Array.from({ length: 25 }, () => ({ human: "a" as const, judge: "a" as const }));
    // pe = (25*25)/25^2 = 1: chance agreement is total, (po - pe)/(1 - pe) = 0/0.
    assert.equal(cohensKappa(confusionMatrix(same)), null);
    const r = agreement(same);
    close(r.exact.value, 1);
    assert.equal(r.kappa.value, null);
    assert.match((r.kappa as { reason: string }).reason, /undefined/);
  });

  it("kappa of perfect disagreement on a balanced 2x2 is -1", () => {
    // rows a 5, b 5; columns a 5, b 5; po = 0; pe = (25 + 25)/100 = 0.5; kappa = (0 - 0.5)/0.5 = -1.
    close(cohensKappa([[0, 5], [5, 0]]), -1);
  });
});
