/**
 * Robust ("sandwich") covariance of centred Bradley-Terry log-strengths, H+ J H+, from per-pair
 * outcome counts (LMArena's arena-rank uses this estimator by default).
 *
 *   H = sum over votes of p(1-p) x x^T   the Fisher information at the MLE (x = e_i - e_j),
 *   J = sum over votes of (y - p)^2 x x^T  the outer products of the per-vote scores,
 *
 * with y = 1, 0 or 1/2 (tie, both_bad) and p = P(i beats j) at the fit. Both only depend on a
 * vote's pair and outcome, so they are sums over pairs: the cost is O(pairs + models^3) whatever
 * the number of votes. H has the all-ones vector in its null space (ratings are only defined up to
 * a shift); H+ is its pseudo-inverse, the covariance of the centred (mean 0) strengths.
 *
 * Why sandwich rather than H+ alone: counting a tie as half a win is a quasi-likelihood, whose
 * variance is not p(1-p); J measures the actual spread of the outcomes. Small samples: the squared
 * residuals at the MLE are too small on average (each vote pulls the fit toward itself), so each
 * pair's contribution is divided by (1 - h), h being the leverage of one of its votes (the "HC2"
 * correction of MacKinnon and White 1985, as in sandwich::vcovHC for GLMs). `npm run sim:ratings`
 * measured the choice: at 10 votes per model the plain sandwich covers 92.6-94.9% (20-100 models:
 * too narrow), HC2 95.8-97.0%, HC3 97.9-98.4% (too wide); at 30 and 100 votes all three are close.
 */
import { spdInverse } from "@/lib/math/cholesky";

/** Outcome counts of one pair, indices local to the fit (i != j). */
export interface PairOutcomes {
  i: number;
  j: number;
  /** Outright wins of i, of j, and draws (tie + both_bad). */
  winsI: number;
  winsJ: number;
  draws: number;
}

export interface Covariance {
  n: number;
  /** H+ (row-major n x n): the model-based covariance of the centred strengths, nats^2. */
  fisher: Float64Array;
  /** Covariance of strengths a and b (nats^2) under the sandwich estimator. */
  cov(a: number, b: number): number;
  /** Largest leverage of a single vote (1 means one vote alone determines a rating). */
  maxLeverage: number;
}

/** 0: plain sandwich; 1: HC2 (r / (1 - h)); 2: HC3 (r / (1 - h)^2). */
export type LeverageCorrection = 0 | 1 | 2;

/**
 * `theta`: the fitted log-strengths (nats) of the n models of a strongly connected board. Returns
 * null when H is singular (cannot happen for a strongly connected board).
 */
export function sandwichCovariance(
  n: number,
  pairs: readonly PairOutcomes[],
  theta: Float64Array,
  correction: LeverageCorrection = 1,
): Covariance | null {
  const prob = new Float64Array(pairs.length);
  // A = H + 11^T / n is positive definite and A^-1 = H+ + 11^T / n (H 1 = 0).
  const a = new Float64Array(n * n).fill(1 / n);
  pairs.forEach((p, k) => {
    const d = theta[p.i]! - theta[p.j]!;
    const s = 1 / (1 + Math.exp(-d));
    prob[k] = s;
    const h = (p.winsI + p.winsJ + p.draws) * s * (1 - s);
    a[p.i * n + p.i]! += h;
    a[p.j * n + p.j]! += h;
    a[p.i * n + p.j]! -= h;
    a[p.j * n + p.i]! -= h;
  });
  const fisher = spdInverse(a, n);
  if (!fisher) return null;
  for (let k = 0; k < n * n; k++) fisher[k]! -= 1 / n;

  // M = J H+, accumulated pair by pair: J = sum_p r_p x_p x_p^T, so row i gains r_p (H+_i - H+_j), row j loses it.
  const m = new Float64Array(n * n);
  let maxLeverage = 0;
  pairs.forEach((p, k) => {
    const s = prob[k]!;
    const { i, j } = p;
    const spread = fisher[i * n + i]! + fisher[j * n + j]! - 2 * fisher[i * n + j]!;
    const h = s * (1 - s) * spread;
    maxLeverage = Math.max(maxLeverage, h);
    let r = p.winsI * (1 - s) * (1 - s) + p.winsJ * s * s + p.draws * (0.5 - s) * (0.5 - s);
    if (correction > 0) r /= Math.pow(Math.max(1 - h, 1e-6), correction);
    if (r === 0) return;
    const ri = i * n;
    const rj = j * n;
    for (let c = 0; c < n; c++) {
      const d = r * (fisher[ri + c]! - fisher[rj + c]!);
      m[ri + c]! += d;
      m[rj + c]! -= d;
    }
  });
  // (H+ J H+)_ab = sum_c H+_ac M_cb (H+ symmetric: read its column a as row a).
  const cov = (x: number, y: number): number => {
    let s = 0;
    const row = x * n;
    for (let c = 0; c < n; c++) s += fisher[row + c]! * m[c * n + y]!;
    return s;
  };
  return { n, fisher, cov, maxLeverage };
}
