/** Standard normal distribution function and quantile, for Gaussian intervals and order probabilities. */

/** Phi(x) via erfc (W. J. Cody's rational approximations are overkill here: |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function, Numerical Recipes' erfcc (fractional error < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** z for a two-sided 95% interval and for a one-sided 95% bound. */
export const Z95 = 1.959963984540054;
export const Z95_ONE_SIDED = 1.6448536269514722;
