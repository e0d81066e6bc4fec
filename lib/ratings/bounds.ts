/**
 * One-sided bounds for a record that identifies no rating (only wins, or only losses): the exact
 * binomial (Clopper-Pearson) bound on the win probability against the opponents it met, on the
 * Elo scale. n wins out of n give P(win) >= alpha^(1/n) with confidence 1 - alpha; 40 of 40 give
 * 0.928, i.e. at least +444 Elo over those opponents. Fewer than 5 results bound nothing useful
 * (the bound would be below an even match), so none is published.
 */
import { ELO_PER_NAT } from "@/lib/ratings/bradley-terry";

export const BOUND_CONFIDENCE = 0.95;

export interface OneSidedBound {
  /** "above": the model is at least `elo` points above its opponents; "below": at least `-elo` below. */
  side: "above" | "below";
  /** Elo difference to the opponents it met: positive for "above", negative for "below". */
  elo: number;
  /** The matching bound on its win probability against them. */
  winProbability: number;
  confidence: number;
}

/** The bound for `n` results all in one direction, or null when it says less than "better than even". */
export function sweepBound(n: number, side: "above" | "below"): OneSidedBound | null {
  if (n <= 0) return null;
  const p = Math.pow(1 - BOUND_CONFIDENCE, 1 / n);
  if (!(p > 0.5)) return null;
  const gap = Math.log(p / (1 - p)) * ELO_PER_NAT;
  return side === "above"
    ? { side, elo: gap, winProbability: p, confidence: BOUND_CONFIDENCE }
    : { side, elo: -gap, winProbability: 1 - p, confidence: BOUND_CONFIDENCE };
}
