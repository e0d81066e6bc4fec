/**
 * Tail probabilities for the vote audit, computed so that tiny p-values keep their digits: the normal
 * tail goes through erfc (never 1 - erf) and has a log form that does not underflow, the binomial
 * tail is summed in log space, and the likelihood tail of a voter (upsetLogSf) is a saddlepoint
 * approximation. No dependencies; erfc and the binomial tail are accurate to ~1e-12 relative or
 * better (checked against reference values in tests/unit/fraud.test.ts).
 */

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Below this the series for erf is used, above it the continued fraction for erfc. */
const SERIES_LIMIT = 2;

/**
 * erfc(x) for x >= SERIES_LIMIT as exp(-x^2) / (sqrt(pi) * f): `f` is the continued fraction
 * x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))) (Abramowitz & Stegun 7.1.14), evaluated by the
 * modified Lentz method. Returns log(f).
 */
function logErfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let n = 1; n <= 1000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.log(f);
}

/** erf(x) for |x| < SERIES_LIMIT: (2/sqrt(pi)) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)), all terms positive. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** Complementary error function, relative accuracy ~1e-14 (also deep in the tail, until it underflows). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  return Math.exp(logErfcNonNegative(x));
}

/** log erfc(x) for x >= 0 without underflow (erfc(30) ~ 1e-393 is still a finite log). */
function logErfcNonNegative(x: number): number {
  if (x < SERIES_LIMIT) return Math.log(1 - erfSeries(x));
  return -x * x - LOG_SQRT_PI - logErfcFraction(x);
}

/** Natural log of erfc(x); finite for every finite x. */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return Math.log(2 - erfc(-x));
  return logErfcNonNegative(x);
}

/** Standard normal cdf P(Z <= z) = erfc(-z / sqrt 2) / 2. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** log P(Z <= z); stays finite far below where normalCdf underflows to 0 (z < -38.5). */
export function normalLogCdf(z: number): number {
  return logErfc(-z / Math.SQRT2) - Math.LN2;
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
export function lnGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** log C(n, k) for integers 0 <= k <= n. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (k === 0 || k === n) return 0;
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/**
 * log P(X >= k) for X ~ Binomial(n, p): the terms log C(n,i) + i log p + (n-i) log(1-p), i = k..n,
 * are added with a running log-sum-exp, so neither tiny tails nor large n underflow or overflow.
 * Stops once the terms are past the mode and below 1e-20 of the sum.
 */
export function binomialLogSf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1)) return Number.NaN;
  const start = Math.max(0, Math.ceil(k));
  if (start === 0) return 0;
  if (start > n) return Number.NEGATIVE_INFINITY;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const mode = Math.floor((n + 1) * p);
  let term = logChoose(n, start) + start * logP + (n - start) * logQ;
  let max = term;
  let sum = 1; // sum of exp(term_i - max)
  for (let i = start + 1; i <= n; i++) {
    term += Math.log((n - i + 1) / i) + logP - logQ;
    if (term > max) {
      sum = sum * Math.exp(max - term) + 1;
      max = term;
    } else {
      sum += Math.exp(term - max);
      if (i > mode && term - max < -46) break;
    }
  }
  return Math.min(0, max + Math.log(sum));
}

/** P(X >= k) for X ~ Binomial(n, p) (may underflow to 0; use binomialLogSf for the log). */
export function binomialSf(k: number, n: number, p: number): number {
  return Math.exp(binomialLogSf(k, n, p));
}

/** A p-value given by its natural log, written as e.g. "3.2e-9" (works far below 1e-308). */
export function formatLogP(logP: number): string {
  if (Number.isNaN(logP)) return "NaN";
  if (logP === Number.NEGATIVE_INFINITY) return "0";
  const log10 = logP / Math.LN10;
  if (log10 >= -2) return Math.exp(logP).toPrecision(2);
  let exponent = Math.floor(log10);
  let mantissa = Math.pow(10, log10 - exponent);
  if (Number(mantissa.toFixed(1)) >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  return `${mantissa.toFixed(1)}e${exponent}`;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** 1 / (1 + e^-x) without overflow. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * log P(W >= w) for W = sum_i d_i U_i with independent U_i ~ Bernoulli(1 / (1 + e^d_i)), d_i > 0
 * (non-positive margins are ignored). In the audit d_i is the log-odds (nats) by which vote i's
 * favourite is expected to win, U_i = 1 when the voter picked the underdog, and W is exactly what the
 * voter's log-likelihood falls short of "always pick the favourite": small P(W >= w) = improbable voter.
 *
 * W is strongly right-skewed when some pairs are lopsided (an upset at 95:5 costs 2.9 nats, ten
 * times the average loss), so a normal tail from the mean and variance alone is far too small there:
 * in simulation it flagged 10-20x more honest 20-vote voters than alpha. This uses the
 * Barndorff-Nielsen r* form of the saddlepoint approximation instead, P ~ Phi(-r*) with
 * r* = r + log(u / r) / r, r = sqrt(2 (t w - K(t))), u = t sqrt(K''(t)), K the cumulant generating
 * function of W and K'(t) = w; it keeps the rate at alpha and is within ~2% of exact enumeration for
 * varied margins. With a single margin for all votes (W on a lattice) it is a continuous
 * approximation, near the mid-p value (up to ~2x below the exact tail at lattice points).
 * When every vote must be an upset to reach w (w > sum d - min d) the exact product is returned.
 */
export function upsetLogSf(margins: readonly number[], w: number): number {
  const d = margins.filter((x) => x > 0 && Number.isFinite(x));
  let mean = 0;
  let variance = 0;
  let total = 0;
  let minD = Number.POSITIVE_INFINITY;
  let logAllUpsets = 0;
  for (const x of d) {
    const r = sigmoid(-x);
    mean += x * r;
    variance += x * x * r * (1 - r);
    total += x;
    minD = Math.min(minD, x);
    logAllUpsets -= softplus(x);
  }
  if (!(w > 0)) return 0;
  if (d.length === 0 || w > total * (1 + 1e-12)) return Number.NEGATIVE_INFINITY;
  if (w > total - minD * (1 - 1e-9)) return logAllUpsets;
  const normal = normalLogCdf((mean - w) / Math.sqrt(variance));
  if (w <= mean) return normal;

  // Tilted upset probability of vote i at t is sigmoid(d_i (t - 1)): K'(t) = sum d_i pi_i(t), increasing.
  const derivatives = (t: number): { k1: number; k2: number } => {
    let k1 = 0;
    let k2 = 0;
    for (const x of d) {
      const p = sigmoid(x * (t - 1));
      k1 += x * p;
      k2 += x * x * p * (1 - p);
    }
    return { k1, k2 };
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && derivatives(hi).k1 < w; i++) [lo, hi] = [hi, hi * 2];
  let t = 0.5 * (lo + hi);
  for (let i = 0; i < 200; i++) {
    const { k1, k2 } = derivatives(t);
    if (k1 > w) hi = t;
    else lo = t;
    let next = t - (k1 - w) / k2;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const done = Math.abs(next - t) <= 1e-14 * (1 + t);
    t = next;
    if (done) break;
  }
  let k = 0;
  for (const x of d) k += softplus(x * (t - 1)) - softplus(-x);
  const r = Math.sqrt(Math.max(0, 2 * (t * w - k)));
  const u = t * Math.sqrt(derivatives(t).k2);
  // r -> 0 only right next to the mean, where the correction is 0/0 and the normal tail is accurate.
  if (!(r > 1e-3) || !(u > 0)) return normal;
  return Math.min(0, normalLogCdf(-(r + Math.log(u / r) / r)));
}
