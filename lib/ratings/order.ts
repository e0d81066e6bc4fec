/**
 * Rank confidence of two neighbours on a board: the probability that their order is right, and how
 * many more votes the current pairing would need to settle it.
 *
 * Probability: with the rating difference d > 0 and its standard error s, Phi(d / s) (the Gaussian
 * approximation of the difference's sampling distribution, read as the confidence that the upper
 * model really is stronger), or the share of bootstrap rounds that keep the order.
 *
 * Projection: if future votes are spread over pairs like the votes so far, the information grows in
 * proportion to the votes, so after V more votes s shrinks to s * sqrt(N / (N + V)). Assuming d stays
 * where it is, Phi(d / s') reaches 0.95 when d / s' = 1.645, i.e. V = N ((1.645 s / d)^2 - 1). When
 * that is more than NOT_REACHABLE times the votes so far (the gap is under a sixth of its standard
 * error: a near tie), the answer is "not reachable" rather than a number that means nothing.
 */
import { normalCdf, Z95_ONE_SIDED } from "@/lib/ratings/normal";

export const ORDER_CONFIDENCE = 0.95;
/** Beyond this many times the board's votes so far, settling the order is called "not reachable". */
export const NOT_REACHABLE = 100;

export interface OrderConfidence {
  /** Probability that the upper model is really the stronger one (0.5 .. 1). */
  probability: number;
  /** Further votes on the board (at the current pairing) until the probability reaches 0.95: 0 if it already has; null if not reachable. */
  votesToSettle: number | null;
}

/** d: rating difference (upper minus lower, >= 0); sd: its standard error (same units); boardVotes: N. */
export function projectOrder(d: number, sd: number, boardVotes: number, probability = gaussianOrder(d, sd)): OrderConfidence {
  if (probability >= ORDER_CONFIDENCE) return { probability, votesToSettle: 0 };
  if (!(d > 0) || !(sd > 0)) return { probability, votesToSettle: null };
  const ratio = (Z95_ONE_SIDED * sd) / d;
  const more = boardVotes * (ratio * ratio - 1);
  return { probability, votesToSettle: more > NOT_REACHABLE * boardVotes ? null : Math.max(1, Math.ceil(more)) };
}

export function gaussianOrder(d: number, sd: number): number {
  if (!(sd > 0)) return d > 0 ? 1 : 0.5;
  return normalCdf(d / sd);
}
