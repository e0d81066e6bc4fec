/**
 * Which two models the next battle shows. Pure: the caller loads the candidates (same track,
 * executed outputs only), the track's current ratings and the vote count per pair.
 *
 * "uniform" is the original behaviour: a random category with at least two contestants, then two
 * random distinct contestants from it. Every vote then costs the same whatever it can still teach,
 * so a settled 400-Elo mismatch is shown as often as a coin-flip pair nobody has voted on yet.
 *
 * "adaptive" spends votes where they shrink the published intervals most. The quantity it serves
 * is the leaderboard's mean 95% interval width, so each feasible pair is scored by how much one
 * more vote on it is expected to shrink the sum of all models' interval widths:
 *
 *  1. Information. A vote between i and j carries Fisher information c = p(1 - p) about the
 *     strength difference (p = P(i beats j) from the Elo gap): a coin-flip pair gives 0.25, a
 *     400-Elo mismatch 0.083. The matchup's own uncertainty is folded in (probit approximation:
 *     the gap is shrunk by sqrt(1 + pi s^2 / 8), s^2 its variance), so a pair whose gap is unsure
 *     is treated as closer to a coin flip rather than trusted to a noisy point estimate.
 *  2. Where the uncertainty is. The information the existing votes carry is rebuilt from the pair
 *     counts, F = prior + sum n_ij c_ij (e_i - e_j)(e_i - e_j)^T, and inverted (a 30 x 30 matrix).
 *     This is the covariance of the ratings the fit would report, and it knows what interval widths
 *     alone cannot: two wide-interval models already compared 50 times with each other learn little
 *     from a 51st vote, while either learns a lot from a third model. Unrated models have only the
 *     prior (sd 400 Elo), i.e. maximal uncertainty, so they are drawn in fast.
 *  3. Gain. One more vote is a rank-one update of the covariance, so the new variance of every
 *     model k (on the field-mean scale the leaderboard uses) is known in closed form, and the score
 *     is sum_k [sd_k - sd_k'] in Elo-interval points. This automatically boosts models and pairs with
 *     few votes (their sd is large and falls fast), and it also credits the indirect gain on models
 *     linked to i and j through earlier votes.
 *
 * Pairs are then sampled with probability proportional to score^SHARPNESS, mixed with a uniform
 * draw over all feasible pairs (`exploration`, default 0.2). Not argmax: the ratings are refreshed
 * only now and then, so argmax would serve the same pair to everybody until the next refresh, and
 * a model whose point estimate is wrong would never get the votes that correct it. The uniform
 * share keeps every feasible pair appearing, which keeps the comparison graph connected and the
 * estimate honest if the scoring's assumptions are off. The category is then drawn uniformly among
 * those where both models have an output (spreading votes across prompts), and the display order
 * is a coin flip.
 *
 * Cost: pair-to-category lists are built once per call in O(categories x contestants^2), scoring
 * is O(contestants^3): about 2 ms for 30 contestants x 212 categories (uniform: 0.4 ms).
 */
import { ELO_PER_NAT } from "@/lib/ratings/bradley-terry";

export interface PairingRating {
  elo: number;
  ciLow: number;
  ciHigh: number;
  votes: number;
}

export interface PairingCandidate {
  categoryId: string;
  /** contestant ids with an executed output for this category and track */
  contestants: string[];
  /**
   * Pairs (by contestant id) whose outputs here are the same file: never served, since a voter
   * would see one model twice (e.g. two models that wrote identical code).
   */
  identical?: ReadonlyArray<readonly [string, string]>;
}

export interface PairingInput {
  candidates: PairingCandidate[];
  /** Current ratings of the track; contestants missing here are unrated (new) */
  ratings: ReadonlyMap<string, PairingRating>;
  /** Votes so far per unordered contestant pair, key pairKey(a, b) */
  pairVotes: ReadonlyMap<string, number>;
}

export interface PairingChoice {
  categoryId: string;
  a: string;
  b: string;
  /**
   * why, for logs/tests: adaptive = expected shrinkage of the summed 95% interval widths (Elo) from
   * one more vote on this pair; uniform = 1.
   */
  score: number;
}

type PairingStrategy = "adaptive" | "uniform";

const DEFAULT_EXPLORATION = 0.2;
/**
 * Exponent on the score before sampling: proportional to score^2 rather than score. Scores of the
 * useful pairs are often within a factor of two of each other, so the raw gain spreads votes
 * thinly; in scripts/sim-pairing.ts, 2 got four newcomers to a 100-Elo mean interval in ~700
 * votes against ~900 with 1, while 3 was no clearer a win (~620, within seed noise) and samples
 * more narrowly. Cold-start results were the same for 1, 2 and 3.
 */
const SHARPNESS = 2;
/** Prior sd of a model's strength: 400 Elo, wider than any real field's spread around its mean. */
const PRIOR_SD = 400 / ELO_PER_NAT;
/** A 95% interval spans 2 x 1.96 sd. */
const Z95 = 1.959964;

/** Key of an unordered pair. Ids (cuids) never contain NUL, so distinct pairs never share a key. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

interface Eligible {
  categoryId: string;
  /** The pairs that may be served here (contestant indexes), at least one. */
  pairs: Array<readonly [number, number]>;
}

export function choosePair(
  input: PairingInput,
  rand: () => number,
  opts: { strategy?: PairingStrategy; exploration?: number } = {},
): PairingChoice | null {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const eligible: Eligible[] = [];
  for (const c of input.candidates) {
    const members: number[] = [];
    const seen = new Set<string>();
    for (const id of c.contestants) {
      if (seen.has(id)) continue;
      seen.add(id);
      let k = index.get(id);
      if (k === undefined) {
        k = ids.push(id) - 1;
        index.set(id, k);
      }
      members.push(k);
    }
    const identical = new Set((c.identical ?? []).map(([a, b]) => pairKey(a, b)));
    const pairs: Array<readonly [number, number]> = [];
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        if (identical.size === 0 || !identical.has(pairKey(ids[members[x]!]!, ids[members[y]!]!))) pairs.push([members[x]!, members[y]!]);
      }
    }
    if (pairs.length > 0) eligible.push({ categoryId: c.categoryId, pairs });
  }
  if (eligible.length === 0) return null;

  if ((opts.strategy ?? "adaptive") === "uniform") {
    const cat = eligible[pick(rand, eligible.length)]!;
    const [x, y] = cat.pairs[pick(rand, cat.pairs.length)]!;
    const [first, second] = rand() < 0.5 ? [x, y] : [y, x];
    return { categoryId: cat.categoryId, a: ids[first]!, b: ids[second]!, score: 1 };
  }

  const n = ids.length;
  // Categories per feasible pair in compressed rows: pair key i * n + j (i < j) owns
  // cats[start[key] .. start[key + 1]). Two passes over the categories, no per-pair allocation.
  const start = new Int32Array(n * n + 1);
  for (const { pairs } of eligible) for (const [x, y] of pairs) start[pairIndex(x, y, n) + 1]!++;
  const keys: number[] = [];
  for (let key = 0; key < n * n; key++) {
    if (start[key + 1]! > 0) keys.push(key);
    start[key + 1]! += start[key]!;
  }
  const cats = new Int32Array(start[n * n]!);
  const next = start.slice(0, n * n);
  eligible.forEach(({ pairs }, ci) => {
    for (const [x, y] of pairs) cats[next[pairIndex(x, y, n)]!++] = ci;
  });
  const scores = pairScores(ids, keys, input);

  let total = 0;
  const weight = scores.map((s) => Math.pow(s, SHARPNESS));
  for (const w of weight) total += w;
  const exploration = Math.min(1, Math.max(0, opts.exploration ?? DEFAULT_EXPLORATION));
  // No usable scores (cannot happen with the prior, but never trust NaN): fall back to uniform.
  const greedy = total > 0 && Number.isFinite(total) ? 1 - exploration : 0;
  const u = rand();
  let acc = 0;
  let chosen = keys.length - 1;
  for (let p = 0; p < keys.length; p++) {
    acc += (greedy * weight[p]!) / (total || 1) + (1 - greedy) / keys.length;
    if (u < acc) {
      chosen = p;
      break;
    }
  }
  const key = keys[chosen]!;
  const count = start[key + 1]! - start[key]!;
  const categoryId = eligible[cats[start[key]! + pick(rand, count)]!]!.categoryId;
  const i = ids[Math.floor(key / n)]!;
  const j = ids[key % n]!;
  const [a, b] = rand() < 0.5 ? [i, j] : [j, i];
  return { categoryId, a, b, score: scores[chosen]! };
}

function pairIndex(x: number, y: number, n: number): number {
  return x < y ? x * n + y : y * n + x;
}

/** Uniform index in [0, length), safe against a generator that returns exactly 1. */
function pick(rand: () => number, length: number): number {
  return Math.min(length - 1, Math.floor(rand() * length));
}

/** Expected shrinkage (Elo) of the summed 95% interval widths from one more vote, per pair key. */
function pairScores(ids: readonly string[], keys: readonly number[], input: PairingInput): number[] {
  const n = ids.length;
  // Strengths in nats. Unrated models sit at the mean of the rated ones: nothing says otherwise.
  const theta = new Float64Array(n);
  // Variance of each model from its published interval (0 if unknown): used only to judge how
  // unsure a matchup's Elo gap is, where the bootstrap can be wider than the Fisher approximation.
  const published = new Float64Array(n);
  const rated: boolean[] = [];
  let sum = 0;
  let count = 0;
  ids.forEach((id, k) => {
    const r = input.ratings.get(id);
    const ok = r !== undefined && r.votes > 0 && Number.isFinite(r.elo);
    rated.push(ok);
    if (!ok) return;
    theta[k] = r.elo / ELO_PER_NAT;
    sum += theta[k]!;
    count++;
    const width = r.ciHigh - r.ciLow;
    if (Number.isFinite(width) && width > 0) published[k] = (width / (2 * Z95 * ELO_PER_NAT)) ** 2;
  });
  const mean = count > 0 ? sum / count : 0;
  for (let k = 0; k < n; k++) {
    if (!rated[k]) {
      theta[k] = mean;
      published[k] = PRIOR_SD * PRIOR_SD;
    }
  }

  // Information the votes so far carry, at the current estimates, plus the prior.
  const fisher = new Float64Array(n * n);
  for (let k = 0; k < n; k++) fisher[k * n + k] = 1 / (PRIOR_SD * PRIOR_SD);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const votes = input.pairVotes.get(pairKey(ids[i]!, ids[j]!)) ?? 0;
      if (!(votes > 0)) continue;
      const p = logistic(theta[i]! - theta[j]!);
      const h = votes * p * (1 - p);
      fisher[i * n + i]! += h;
      fisher[j * n + j]! += h;
      fisher[i * n + j]! -= h;
      fisher[j * n + i]! -= h;
    }
  }
  const cov = spdInverse(fisher, n);

  // Field-mean scale (what the leaderboard publishes): centre the covariance, P cov P.
  const rowMean = new Float64Array(n);
  let allMean = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += cov[r * n + c]!;
    rowMean[r] = s / n;
    allMean += s / (n * n);
  }
  const sd = new Float64Array(n);
  for (let k = 0; k < n; k++) sd[k] = Math.sqrt(Math.max(0, cov[k * n + k]! - 2 * rowMean[k]! + allMean));

  const toWidth = 2 * Z95 * ELO_PER_NAT;
  const v = new Float64Array(n);
  return keys.map((key) => {
    const i = Math.floor(key / n);
    const j = key % n;
    const q = Math.max(0, cov[i * n + i]! + cov[j * n + j]! - 2 * cov[i * n + j]!);
    const gapVar = Math.max(q, published[i]! + published[j]!);
    const p = logistic((theta[i]! - theta[j]!) / Math.sqrt(1 + (Math.PI * gapVar) / 8));
    const c = p * (1 - p);
    // cov' = cov - c v v^T / (1 + c q) with v = cov (e_i - e_j); centred, v loses its mean.
    let vMean = 0;
    for (let k = 0; k < n; k++) {
      v[k] = cov[k * n + i]! - cov[k * n + j]!;
      vMean += v[k]! / n;
    }
    const f = c / (1 + c * q);
    let gain = 0;
    for (let k = 0; k < n; k++) {
      const w = v[k]! - vMean;
      const s = sd[k]!;
      gain += s - Math.sqrt(Math.max(0, s * s - f * w * w));
    }
    return gain * toWidth;
  });
}

function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Inverse of a symmetric positive definite matrix (row-major n x n) via Cholesky. */
function spdInverse(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c <= r; c++) {
      let s = a[r * n + c]!;
      for (let k = 0; k < c; k++) s -= l[r * n + k]! * l[c * n + k]!;
      l[r * n + c] = r === c ? Math.sqrt(Math.max(s, 1e-300)) : s / l[c * n + c]!;
    }
  }
  const inv = new Float64Array(n * n);
  const x = new Float64Array(n);
  for (let col = 0; col < n; col++) {
    // L y = e_col, then L^T x = y.
    for (let r = 0; r < n; r++) {
      let s = r === col ? 1 : 0;
      for (let k = 0; k < r; k++) s -= l[r * n + k]! * x[k]!;
      x[r] = s / l[r * n + r]!;
    }
    for (let r = n - 1; r >= 0; r--) {
      let s = x[r]!;
      for (let k = r + 1; k < n; k++) s -= l[k * n + r]! * x[k]!;
      x[r] = s / l[r * n + r]!;
    }
    for (let r = 0; r < n; r++) inv[r * n + col] = x[r]!;
  }
  return inv;
}
