/**
 * The two interval methods of a board (board.ts): Wald intervals from the sandwich covariance, and
 * the percentile bootstrap; each with its rank confidence of neighbours (order.ts).
 */
import { bootstrapBoard, percentileInterval } from "@/lib/ratings/bootstrap";
import { Z95 } from "@/lib/ratings/normal";
import { projectOrder, type OrderConfidence } from "@/lib/ratings/order";
import { sandwichCovariance } from "@/lib/ratings/sandwich";
import type { IntervalMethod, LocalBoard } from "@/lib/ratings/board";

export interface Intervals {
  method: IntervalMethod;
  /** Centred bounds in nats. */
  low: Float64Array;
  high: Float64Array;
  /** Order confidence of members a above b (local indices, theta_a >= theta_b). */
  order: (a: number, b: number) => OrderConfidence;
  rounds: number;
  degenerate: number;
}

/** Wald 95% intervals and Gaussian order confidence from a covariance of the centred strengths (nats^2). */
export function gaussianIntervals(theta: Float64Array, cov: (a: number, b: number) => number, votes: number): Intervals | null {
  const n = theta.length;
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const sd = Math.sqrt(Math.max(cov(k, k), 0));
    // A zero-width interval would claim certainty no finite number of votes gives.
    if (!(sd > 0) || !Number.isFinite(sd)) return null;
    low[k] = theta[k]! - Z95 * sd;
    high[k] = theta[k]! + Z95 * sd;
  }
  const order = (a: number, b: number): OrderConfidence => {
    const d = theta[a]! - theta[b]!;
    const sd = Math.sqrt(Math.max(cov(a, a) + cov(b, b) - 2 * cov(a, b), 0));
    return projectOrder(d, sd, votes);
  };
  return { method: "sandwich", low, high, order, rounds: 0, degenerate: 0 };
}

export function sandwichIntervals(board: LocalBoard, theta: Float64Array): Intervals | null {
  const cov = sandwichCovariance(board.members.length, board.pairs, theta);
  return cov ? gaussianIntervals(theta, cov.cov, board.votes) : null;
}

export function bootstrapIntervals(board: LocalBoard, theta: Float64Array, rounds: number, seed: number): Intervals | null {
  const n = board.members.length;
  if (rounds <= 0) return null;
  const boot = bootstrapBoard(n, board.pairs, board.votes, { rounds, seed, init: theta });
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ci = percentileInterval(boot.samples.subarray(k * rounds, (k + 1) * rounds));
    if (!ci || !(ci.high > ci.low)) return null;
    // Percentile bounds can miss the MLE in a skewed round distribution; the published interval
    // always contains the published rating.
    low[k] = Math.min(ci.low, theta[k]!);
    high[k] = Math.max(ci.high, theta[k]!);
  }
  const order = (a: number, b: number): OrderConfidence => {
    let kept = 0;
    let valid = 0;
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < rounds; r++) {
      const x = boot.samples[a * rounds + r]!;
      if (Number.isNaN(x)) continue;
      const d = x - boot.samples[b * rounds + r]!;
      valid++;
      kept += d > 0 ? 1 : d === 0 ? 0.5 : 0;
      sum += d;
      sq += d * d;
    }
    const mean = sum / valid;
    const sd = Math.sqrt(Math.max(sq / valid - mean * mean, 0) * (valid / Math.max(valid - 1, 1)));
    return projectOrder(theta[a]! - theta[b]!, sd, board.votes, kept / valid);
  };
  return { method: "bootstrap", low, high, order, rounds, degenerate: boot.degenerate };
}

