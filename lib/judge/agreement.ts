/**
 * Agreement between the judge and the people who voted on the same battles (docs/judge.md
 * "Agreement figures"). Pure functions over (human, judge) pairs in the battle's own A/B order.
 * A figure is published only from MIN_AGREEMENT_SAMPLE pairs up (house rule 15); below that the
 * result says how many there are instead.
 */
import type { Verdict } from "./types";

export const OUTCOMES: readonly Verdict[] = ["a", "b", "tie", "both_bad"];
/** Fewer pairs than this give a kappa whose interval spans most of [-1, 1]: no number is shown. */
export const MIN_AGREEMENT_SAMPLE = 20;

export interface AgreementPair {
  human: Verdict;
  judge: Verdict;
}

/** A share or kappa, or why there is none. */
export type Figure = { value: number; n: number } | { value: null; n: number; reason: string };

export interface Agreement {
  n: number;
  /** Share of pairs where the judge gave the human's outcome (all four outcomes). */
  exact: Figure;
  /** Cohen's kappa over the four outcomes. */
  kappa: Figure;
  /** Pairs where both the human and the judge picked a side (a or b). */
  decisive: {
    n: number;
    /** Share of those where they picked the same side. */
    agreement: Figure;
    /** Cohen's kappa on that 2x2 table (a vs b). */
    kappa: Figure;
  };
  /** Human votes that were decisive and the share of those the judge also decided. */
  coverage: Figure;
  /** confusion[human][judge], rows and columns in OUTCOMES order. */
  confusion: number[][];
}

export function confusionMatrix(pairs: readonly AgreementPair[], outcomes: readonly Verdict[] = OUTCOMES): number[][] {
  const m = outcomes.map(() => outcomes.map(() => 0));
  for (const p of pairs) {
    const i = outcomes.indexOf(p.human);
    const j = outcomes.indexOf(p.judge);
    if (i >= 0 && j >= 0) m[i]![j]! += 1;
  }
  return m;
}

/**
 * Cohen's kappa of a square table: (po - pe) / (1 - pe), po = diagonal share, pe = sum over
 * outcomes of (row share x column share). Null when pe = 1 (both raters used a single and the
 * same outcome: agreement by chance is total and kappa is undefined).
 */
export function cohensKappa(m: readonly (readonly number[])[]): number | null {
  const n = m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) return null;
  let po = 0;
  let pe = 0;
  for (let k = 0; k < m.length; k++) {
    po += m[k]![k]! / n;
    const row = m[k]!.reduce((a, b) => a + b, 0) / n;
    const col = m.reduce((s, r) => s + r[k]!, 0) / n;
    pe += row * col;
  }
  if (pe >= 1 - 1e-12) return null;
  return (po - pe) / (1 - pe);
}

function figure(value: number | null, n: number, min: number, undefinedReason = "undefined for these data"): Figure {
  if (n < min) return { value: null, n, reason: `not enough data (n=${n}, need ${min})` };
  if (value === null || !Number.isFinite(value)) return { value: null, n, reason: undefinedReason };
  return { value, n };
}

export function agreement(pairs: readonly AgreementPair[], minSample = MIN_AGREEMENT_SAMPLE): Agreement {
  const n = pairs.length;
  const confusion = confusionMatrix(pairs);
  const same = pairs.filter((p) => p.human === p.judge).length;
  const decisivePairs = pairs.filter((p) => (p.human === "a" || p.human === "b") && (p.judge === "a" || p.judge === "b"));
  const dn = decisivePairs.length;
  const dSame = decisivePairs.filter((p) => p.human === p.judge).length;
  const humanDecisive = pairs.filter((p) => p.human === "a" || p.human === "b").length;
  const undefinedKappa = "undefined: both sides gave one and the same outcome throughout";
  return {
    n,
    exact: figure(n ? same / n : null, n, minSample),
    kappa: figure(cohensKappa(confusion), n, minSample, undefinedKappa),
    decisive: {
      n: dn,
      agreement: figure(dn ? dSame / dn : null, dn, minSample),
      kappa: figure(cohensKappa(confusionMatrix(decisivePairs, ["a", "b"])), dn, minSample, undefinedKappa),
    },
    coverage: figure(humanDecisive ? dn / humanDecisive : null, humanDecisive, minSample),
    confusion,
  };
}
