/**
 * Simulation (prints, never asserts): does adaptive pairing (lib/pairing/strategy.ts) reach tight
 * leaderboard intervals with fewer votes than uniform pairing?
 *
 * Each seed builds one synthetic arena: models with known true Elo (uniform in 800-1300), categories
 * where each model has an output with probability 0.8, and voters who follow Bradley-Terry on the
 * true Elo except that 15% of votes are a tie / both_bad coin flip. Both strategies run in the same
 * arena with the same voter randomness. Every `step` votes the ratings are refitted with the repo's
 * computeRatings (fewer bootstrap rounds than production, for speed), and the pairing then sees
 * those ratings and the pair counts as of that refit, like a server serving from a cached
 * leaderboard: it never sees the truth.
 *
 * Two scenarios:
 *  - cold start: every model from zero votes (the brief's benchmark);
 *  - newcomers: the arena has run `history` uniform votes (one shared history per seed), then
 *    `newcomers` new models join, as happens whenever a model is added; counted from the join.
 *
 * Besides the mean 95% interval width, checkpoints record how good the estimates are against the
 * truth, so that narrower intervals cannot pass for better estimates: interval coverage, Spearman
 * rank correlation and RMS error. The reference is the rating the fit converges to with unlimited
 * data (all pairs equally often), not the raw true Elo: counting a random 15% of draws as half a
 * win each pulls every gap towards 0 by ~15%, so the raw truth is not what any design estimates.
 *
 * Usage: npx tsx scripts/sim-pairing.ts [--seeds 5] [--models 16] [--categories 40] [--step 100]
 *        [--rounds 200] [--budget 4000] [--exploration 0.2] [--newcomers 4] [--history 2000]
 */
import type { Outcome } from "@/lib/contracts";
import { choosePair, pairKey, type PairingCandidate, type PairingRating } from "@/lib/pairing/strategy";
import { computeRatings, type ModelRating, type Vote } from "@/lib/ratings";
import { xoshiro128, type Uniform } from "@/lib/ratings/random";

type Strategy = "uniform" | "adaptive";
const STRATEGIES: Strategy[] = ["uniform", "adaptive"];

function parseArgs(): Record<string, number> {
  const out: Record<string, number> = {
    seeds: 5,
    models: 16,
    categories: 40,
    step: 100,
    rounds: 200,
    budget: 4000,
    exploration: 0.2,
    newcomers: 4,
    history: 2000,
  };
  const argv = process.argv.slice(2);
  for (let k = 0; k < argv.length; k += 2) {
    const name = argv[k]!.replace(/^--/, "");
    const value = Number(argv[k + 1]);
    if (!(name in out) || !Number.isFinite(value)) {
      console.error(`usage: sim-pairing [--${Object.keys(out).join(" N] [--")} N]`);
      process.exit(2);
    }
    out[name] = value;
  }
  return out;
}

const opt = parseArgs();
const SEEDS = opt.seeds!;
const MODELS = opt.models!;
const STEP = opt.step!;
const BUDGET = opt.budget!;
const NEWCOMERS = opt.newcomers!;
const NEWCOMER_BUDGET = Math.min(BUDGET, 2000);
const WIDTHS = [200, 150, 100];
const BUDGETS = [500, 1000, 2000, BUDGET].filter((b, k, all) => b <= BUDGET && all.indexOf(b) === k);
const NEWCOMER_BUDGETS = [200, 500, 1000, NEWCOMER_BUDGET].filter((b, k, all) => b <= NEWCOMER_BUDGET && all.indexOf(b) === k);
const COVERAGE = 0.8;
const DRAW_RATE = 0.15;

interface World {
  ids: string[];
  trueElo: Map<string, number>;
  /** Rating each model converges to with unlimited votes (field mean 1000). */
  target: Map<string, number>;
  candidates: PairingCandidate[];
}

function makeWorld(seed: number, models: number): World {
  const rand = xoshiro128(seed * 7919 + 1);
  const ids = Array.from({ length: models }, (_, k) => `model-${String(k).padStart(2, "0")}`);
  const trueElo = new Map(ids.map((id) => [id, 800 + 500 * rand()] as const));
  const candidates: PairingCandidate[] = [];
  for (let c = 0; c < opt.categories!; c++) {
    let contestants: string[] = [];
    while (contestants.length < 2) contestants = ids.filter(() => rand() < COVERAGE);
    candidates.push({ categoryId: `cat-${c}`, contestants });
  }
  // Expected vote fractions for every pair, fitted exactly like real votes (no bootstrap).
  const expected: Vote[] = [];
  for (const a of ids) {
    for (const b of ids) {
      if (a >= b) continue;
      const p = winProbability(trueElo.get(a)!, trueElo.get(b)!);
      expected.push({ a, b, outcome: "a", count: (1 - DRAW_RATE) * p });
      expected.push({ a, b, outcome: "b", count: (1 - DRAW_RATE) * (1 - p) });
      expected.push({ a, b, outcome: "tie", count: DRAW_RATE });
    }
  }
  const fit = computeRatings(expected, { rounds: 0 });
  const target = new Map(fit.models.map((m) => [m.id, m.elo] as const));
  return { ids, trueElo, target, candidates };
}

/**
 * Analytic ceiling for the cold start: with the true strengths known, the best fixed share of votes
 * per pair (multiplicative algorithm on the Fisher information, minimising the summed interval
 * widths), mixed with uniform in the adaptive strategy's exploration share. Returns how many times more votes
 * uniform pairing needs for the same widths (widths scale as 1/sqrt(votes)). Ignores ties and
 * categories, which affect both designs alike.
 */
function ceilingRatio(world: World): { best: number; mixed: number } {
  const ids = world.ids;
  const n = ids.length;
  const pairs: { i: number; j: number; c: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = winProbability(world.trueElo.get(ids[i]!)!, world.trueElo.get(ids[j]!)!);
      pairs.push({ i, j, c: p * (1 - p) });
    }
  }
  // Summed sd on the field-mean scale and its gradient in each pair's share of the votes.
  const evaluate = (share: readonly number[]) => {
    const a = new Float64Array(n * n).fill(1 / n); // + J/n: the inverse is then L^+ + J/n
    pairs.forEach(({ i, j, c }, k) => {
      const h = share[k]! * c;
      a[i * n + i]! += h;
      a[j * n + j]! += h;
      a[i * n + j]! -= h;
      a[j * n + i]! -= h;
    });
    const cov = invert(a, n).map((x) => x - 1 / n);
    const sd = Array.from({ length: n }, (_, k) => Math.sqrt(cov[k * n + k]!));
    const grad = pairs.map(({ i, j, c }) => {
      let g = 0;
      for (let k = 0; k < n; k++) g += (c * (cov[k * n + i]! - cov[k * n + j]!) ** 2) / (2 * sd[k]!);
      return g;
    });
    return { total: sd.reduce((s, x) => s + x, 0), grad };
  };
  const uniform = pairs.map(() => 1 / pairs.length);
  let share = [...uniform];
  for (let it = 0; it < 500; it++) {
    const { grad } = evaluate(share);
    const avg = share.reduce((s, x, k) => s + x * grad[k]!, 0);
    share = share.map((x, k) => x * Math.sqrt(grad[k]! / avg));
    const sum = share.reduce((s, x) => s + x, 0);
    share = share.map((x) => x / sum);
  }
  const base = evaluate(uniform).total;
  return {
    best: (base / evaluate(share).total) ** 2,
    mixed: (base / evaluate(share.map((x, k) => (1 - opt.exploration!) * x + opt.exploration! * uniform[k]!)).total) ** 2,
  };
}

/** Gauss-Jordan inverse of a small well-conditioned matrix (row-major n x n). */
function invert(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) inv[k * n + k] = 1;
  for (let c = 0; c < n; c++) {
    const d = a[c * n + c]!;
    for (let k = 0; k < n; k++) {
      a[c * n + k]! /= d;
      inv[c * n + k]! /= d;
    }
    for (let r = 0; r < n; r++) {
      const f = a[r * n + c]!;
      if (r === c || f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k]! -= f * a[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}

function winProbability(a: number, b: number): number {
  return 1 / (1 + 10 ** ((b - a) / 400));
}

function vote(world: World, a: string, b: string, rand: Uniform): Vote {
  let outcome: Outcome;
  if (rand() < DRAW_RATE) outcome = rand() < 0.5 ? "tie" : "both_bad";
  else outcome = rand() < winProbability(world.trueElo.get(a)!, world.trueElo.get(b)!) ? "a" : "b";
  return { a, b, outcome };
}

interface Checkpoint {
  /** Votes since the run started (history excluded). */
  votes: number;
  /** Mean 95% interval width over all models (Infinity while any model is unrated). */
  width: number;
  /** The same over the focus models (the newcomers), or over all models without a focus. */
  focusWidth: number;
  coverage: number;
  spearman: number;
  rmse: number;
}

function spearman(x: readonly number[], y: readonly number[]): number {
  const ranks = (v: readonly number[]) => {
    const r = new Array<number>(v.length);
    v.map((e, k) => [e, k] as const)
      .sort((p, q) => p[0] - q[0])
      .forEach(([, k], pos) => (r[k] = pos));
    return r;
  };
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const d2 = rx.reduce((s, r, k) => s + (r - ry[k]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

function measure(world: World, models: readonly ModelRating[], votes: number, focus: ReadonlySet<string> | null): Checkpoint {
  if (models.length < world.ids.length) {
    return { votes, width: Infinity, focusWidth: Infinity, coverage: Number.NaN, spearman: Number.NaN, rmse: Number.NaN };
  }
  let width = 0;
  let focusWidth = 0;
  let covered = 0;
  let sq = 0;
  for (const r of models) {
    const t = world.target.get(r.id)!;
    width += r.ciHigh - r.ciLow;
    if (!focus || focus.has(r.id)) focusWidth += r.ciHigh - r.ciLow;
    if (r.ciLow <= t && t <= r.ciHigh) covered++;
    sq += (r.elo - t) ** 2;
  }
  const n = models.length;
  return {
    votes,
    width: width / n,
    focusWidth: focusWidth / (focus ? focus.size : n),
    coverage: covered / n,
    spearman: spearman(
      models.map((r) => r.elo),
      models.map((r) => world.trueElo.get(r.id)!),
    ),
    rmse: Math.sqrt(sq / n),
  };
}

/** Serves and collects `budget` votes after `history`, refitting every STEP votes. */
function run(
  world: World,
  strategy: Strategy,
  seed: number,
  history: readonly Vote[],
  focus: ReadonlySet<string> | null,
  budget: number,
): Checkpoint[] {
  const pairRand = xoshiro128(seed * 104729 + (strategy === "uniform" ? 11 : 13));
  // Same voter stream for both strategies: differences come from the pairing only.
  const voterRand = xoshiro128(seed * 15485863 + 17);
  const votes: Vote[] = [...history];
  const pairVotes = new Map<string, number>();
  const count = (v: Vote) => {
    const key = pairKey(v.a, v.b);
    pairVotes.set(key, (pairVotes.get(key) ?? 0) + 1);
  };
  history.forEach(count);
  const refit = () => computeRatings(votes, { rounds: opt.rounds });
  const snapshot = (models: readonly ModelRating[]) =>
    new Map<string, PairingRating>(models.map((r) => [r.id, { elo: r.elo, ciLow: r.ciLow, ciHigh: r.ciHigh, votes: r.votes }]));
  let ratings = history.length > 0 ? snapshot(refit().models) : new Map<string, PairingRating>();
  let served = new Map(pairVotes);
  const out: Checkpoint[] = [];

  for (let t = 1; t <= budget; t++) {
    const choice = choosePair({ candidates: world.candidates, ratings, pairVotes: served }, pairRand, {
      strategy,
      exploration: opt.exploration,
    });
    if (!choice) throw new Error("no feasible pair");
    const v = vote(world, choice.a, choice.b, voterRand);
    votes.push(v);
    count(v);
    if (t % STEP !== 0) continue;
    const result = refit();
    ratings = snapshot(result.models);
    served = new Map(pairVotes);
    out.push(measure(world, result.models, t, focus));
  }
  return out;
}

/** Votes at which `field` first reaches `target`, interpolated between checkpoints; null if never. */
function votesToReach(cps: readonly Checkpoint[], target: number, field: "width" | "focusWidth"): number | null {
  for (let k = 0; k < cps.length; k++) {
    const c = cps[k]!;
    if (c[field] > target) continue;
    const prev = cps[k - 1];
    if (!prev || !Number.isFinite(prev[field])) return c.votes;
    return prev.votes + ((prev[field] - target) / (prev[field] - c[field])) * (c.votes - prev.votes);
  }
  return null;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const pad = (s: string, w: number): string => s.padStart(w);
const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : "-");

function reachTable(runs: Record<Strategy, Checkpoint[][]>, field: "width" | "focusWidth", budget: number): void {
  console.log(`${pad("width", 8)}${pad("uniform", 12)}${pad("adaptive", 12)}${pad("uniform/adaptive", 19)}`);
  for (const target of WIDTHS) {
    const cell = (strategy: Strategy): number | null => {
      const need = runs[strategy].map((cps) => votesToReach(cps, target, field));
      return need.every((x) => x !== null) ? mean(need as number[]) : null;
    };
    const u = cell("uniform");
    const a = cell("adaptive");
    const show = (x: number | null) => (x === null ? `>${budget}` : x.toFixed(0));
    const ratio = u !== null && a !== null ? `${(u / a).toFixed(2)}x` : a !== null ? `>${(budget / a).toFixed(2)}x` : "-";
    console.log(`${pad(`${target} Elo`, 8)}${pad(show(u), 12)}${pad(show(a), 12)}${pad(ratio, 19)}`);
  }
}

function budgetTable(runs: Record<Strategy, Checkpoint[][]>, budgets: readonly number[], focusColumn: boolean): void {
  console.log(
    `${pad("votes", 7)}  ${pad("strategy", 9)}${focusColumn ? pad("new CI", 9) : ""}${pad("CI width", 10)}` +
      `${pad("coverage", 10)}${pad("spearman", 10)}${pad("RMSE", 8)}`,
  );
  for (const budget of budgets) {
    for (const strategy of STRATEGIES) {
      const at = runs[strategy].map((cps) => cps.find((c) => c.votes === budget)).filter((c) => c !== undefined);
      if (at.length === 0) continue;
      const avg = (f: (c: Checkpoint) => number) => mean(at.map(f));
      console.log(
        `${pad(String(budget), 7)}  ${pad(strategy, 9)}` +
          `${focusColumn ? pad(fmt(avg((c) => c.focusWidth), 1), 9) : ""}${pad(fmt(avg((c) => c.width), 1), 10)}` +
          `${pad(`${fmt(100 * avg((c) => c.coverage), 1)}%`, 10)}` +
          `${pad(fmt(avg((c) => c.spearman), 3), 10)}${pad(fmt(avg((c) => c.rmse), 1), 8)}`,
      );
    }
  }
}

const t0 = performance.now();
const cold: Record<Strategy, Checkpoint[][]> = { uniform: [], adaptive: [] };
const joined: Record<Strategy, Checkpoint[][]> = { uniform: [], adaptive: [] };
const ceilings: { best: number; mixed: number }[] = [];
for (let s = 1; s <= SEEDS; s++) {
  const world = makeWorld(s, MODELS);
  ceilings.push(ceilingRatio(world));
  for (const strategy of STRATEGIES) cold[strategy].push(run(world, strategy, s, [], null, BUDGET));

  if (NEWCOMERS > 0) {
    const grown = makeWorld(1000 + s, MODELS + NEWCOMERS);
    const fresh = new Set(grown.ids.slice(MODELS));
    // Shared history: uniform pairing among the established models only.
    const established = grown.candidates.map((c) => ({ ...c, contestants: c.contestants.filter((id) => !fresh.has(id)) }));
    const rand = xoshiro128(s * 31337 + 5);
    const history: Vote[] = [];
    while (history.length < opt.history!) {
      const c = choosePair({ candidates: established, ratings: new Map(), pairVotes: new Map() }, rand, { strategy: "uniform" });
      history.push(vote(grown, c!.a, c!.b, rand));
    }
    for (const strategy of STRATEGIES) joined[strategy].push(run(grown, strategy, s, history, fresh, NEWCOMER_BUDGET));
  }
}
const seconds = (performance.now() - t0) / 1000;

console.log(
  `${MODELS} models (true Elo 800-1300), ${opt.categories} categories (${COVERAGE * 100}% coverage), ` +
    `${DRAW_RATE * 100}% tie/both_bad, ${SEEDS} seeds, refit every ${STEP} votes with ${opt.rounds} bootstrap rounds, ` +
    `exploration ${opt.exploration}; ${seconds.toFixed(1)} s`,
);
console.log("");
console.log("Cold start: votes to reach a mean 95% CI width (mean over seeds; interpolated between refits)");
reachTable(cold, "width", BUDGET);
console.log(
  `Analytic ceiling (true strengths known, best fixed vote share per pair): ${mean(ceilings.map((c) => c.best)).toFixed(2)}x, ` +
    `${mean(ceilings.map((c) => c.mixed)).toFixed(2)}x with the ${100 * opt.exploration!}% uniform share`,
);
console.log("");
console.log(
  "Cold start at fixed budgets (mean over seeds): mean CI width, CI coverage of the target, Spearman vs truth, RMSE vs target",
);
budgetTable(cold, BUDGETS, false);

if (NEWCOMERS > 0) {
  console.log("");
  console.log(
    `Newcomers: ${NEWCOMERS} models join ${MODELS} that have ${opt.history} uniform votes; ` +
      "votes after the join until the newcomers' mean 95% CI width reaches",
  );
  reachTable(joined, "focusWidth", NEWCOMER_BUDGET);
  console.log("");
  console.log("Newcomers at fixed budgets after the join: newcomers' mean CI width, then all models as above");
  budgetTable(joined, NEWCOMER_BUDGETS, true);
}
