/**
 * Seeded random numbers for the rating bootstrap. xoshiro128** (128-bit state) rather than a
 * 32-bit-state generator because one bootstrap draws millions of numbers; seeding by splitmix32 so
 * that nearby seeds give unrelated streams.
 */

/** Uniform in [0, 1) with 32 random bits. */
export type Uniform = () => number;

export function xoshiro128(seed: number): Uniform {
  let x = seed >>> 0;
  const splitmix32 = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  const rotl = (v: number, k: number): number => (v << k) | (v >>> (32 - k));
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result / 4294967296;
  };
}

/** Below this mean, inversion (cost ~ mean) is used; above it BTRS (cost O(1)), as in TensorFlow. */
const INVERSION_MEAN = 10;

/**
 * Stirling-series remainder log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]: computed
 * exactly for k <= 9, where the three-term series used above that is least accurate.
 */
const STIRLING_TABLE = Array.from({ length: 10 }, (_, k) => {
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return logFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI));
});
function stirlingTail(k: number): number {
  if (k <= 9) return STIRLING_TABLE[k]!;
  const kp1sq = (k + 1) * (k + 1);
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/** Exact binomial and multinomial samplers on one uniform stream. */
export class Variates {
  constructor(readonly uniform: Uniform) {}

  /** Binomial(n, p), exact; O(1) expected cost for any n, which keeps the bootstrap O(cells). */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    return n * p < INVERSION_MEAN ? this.inversion(n, p) : this.btrs(n, p);
  }

  /** Sequential search from 0 (as in NumPy's binomial_inversion); p <= 0.5, n*p small. */
  private inversion(n: number, p: number): number {
    const q = 1 - p;
    const q0 = Math.exp(n * Math.log1p(-p));
    const bound = Math.min(n, n * p + 10 * Math.sqrt(n * p * q + 1));
    let x = 0;
    let px = q0;
    let u = this.uniform();
    while (u > px) {
      x++;
      if (x > bound) {
        x = 0;
        px = q0;
        u = this.uniform();
      } else {
        u -= px;
        px = ((n - x + 1) * p * px) / (x * q);
      }
    }
    return x;
  }

  /**
   * Transformed rejection with squeeze (Hormann 1993, "The generation of binomial random variates",
   * J. Stat. Comput. Simul. 46), constants as in TensorFlow's random_binomial_op; n*p >= 10, p <= 0.5.
   */
  private btrs(n: number, p: number): number {
    const spq = Math.sqrt(n * p * (1 - p));
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    const r = p / (1 - p);
    const alpha = (2.83 + 5.1 / b) * spq;
    const m = Math.floor((n + 1) * p);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (us >= 0.07 && v <= vr) return k; // inside the squeeze: accept without logs (~80%)
      if (k < 0 || k > n) continue;
      const lhs = Math.log((v * alpha) / (a / (us * us) + b));
      const bound =
        (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1))) +
        (n + 1) * Math.log((n - m + 1) / (n - k + 1)) +
        (k + 0.5) * Math.log((r * (n - k + 1)) / (k + 1)) +
        stirlingTail(m) +
        stirlingTail(n - m) -
        stirlingTail(k) -
        stirlingTail(n - k);
      if (lhs <= bound) return k;
    }
  }

  /** Multinomial(total, weights / sum) via conditional binomials, written into `out`. */
  multinomial(total: number, weights: Float64Array, out: Float64Array): void {
    let mass = 0;
    for (const w of weights) mass += w;
    let left = total;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k]!;
      // w >= mass marks the last non-empty cell: it takes whatever is left, whatever the rounding.
      const x = left > 0 && w > 0 ? this.binomial(left, w >= mass ? 1 : w / mass) : 0;
      out[k] = x;
      left -= x;
      mass -= w;
    }
  }
}
