/** Normal distribution helpers for Gaussian intervals and order probabilities. */
export { normalCdf } from "@/lib/moderation/fraud/tests";

/** z for a two-sided 95% interval and for a one-sided 95% bound. */
export const Z95 = 1.959963984540054;
export const Z95_ONE_SIDED = 1.6448536269514722;
