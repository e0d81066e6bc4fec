/**
 * Coverage of the published 95% intervals on synthetic votes from known strengths (prints, never
 * asserts): `npm run sim:ratings [-- --reps=K --rounds=R --fields=5,20,100 --per-model=10,30,100]`.
 *
 * World: true Elo ~ Normal(0, 150) per model; each vote's pair is drawn half uniformly, half among
 * models within 3 places in the true order (the adaptive pairing favours close matchups); 15% of
 * votes are a tie or both_bad regardless of strength, the rest a Bradley-Terry coin flip.
 *
 * Truth: draws that ignore strength are not Bradley-Terry, so what the fit estimates is the
 * infinite-data fit under the same pairing (fitting the expected vote fractions), not the Elo the
 * votes were drawn from. Coverage is the share of published intervals (identified models with
 * enough votes, lib/ratings/board.ts) that contain that truth, centred on the same board members as
 * the published ratings. "rated" is the share of models that got a published interval at all.
 */
import { rateScope, type BoardOptions, type IntervalMethod } from "@/lib/ratings/board";
import { fitStrengths, winTable } from "@/lib/ratings/bradley-terry";
import { aggregateVotes, type Vote } from "@/lib/ratings/pair-counts";
import { xoshiro128, type Uniform } from "@/lib/ratings/random";
import type { Outcome } from "@/lib/contracts";

const NATS_PER_ELO = Math.LN10 / 400;
const DRAW_RATE = 0.15;
const SPREAD_ELO = 150;
const NEIGHBOURS = 3;

interface World {
  n: number;
  ids: string[];
  /** Pair sampling weights over (i < j), flattened, with their cumulative sums. */
  pairs: { i: number; j: number; p: number }[];
  cumulative: Float64Array;
  /** The estimand: log-strengths (nats) the fit converges to under this pairing. */
  target: Float64Array;
}

function normal(rand: Uniform): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function makeWorld(n: number, rand: Uniform): World {
  const trueElo = Array.from({ length: n }, () => SPREAD_ELO * normal(rand));
  const order = Array.from(trueElo.keys()).sort((a, b) => trueElo[b]! - trueElo[a]!);
  const place = new Int32Array(n);
  order.forEach((g, r) => (place[g] = r));
  const pairs: World["pairs"] = [];
  const all = (n * (n - 1)) / 2;
  let close = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (Math.abs(place[i]! - place[j]!) <= NEIGHBOURS) close++;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const near = Math.abs(place[i]! - place[j]!) <= NEIGHBOURS ? 0.5 / close : 0;
      const pA = 1 / (1 + Math.pow(10, (trueElo[j]! - trueElo[i]!) / 400));
      pairs.push({ i, j, p: 0.5 / all + near });
      // Remember pA on the side (the pair's win probability of i).
      (pairs.at(-1) as { pA?: number }).pA = pA;
    }
  }
  const cumulative = new Float64Array(pairs.length);
  let s = 0;
  pairs.forEach((p, k) => (cumulative[k] = s += p.p));
  const ids = Array.from({ length: n }, (_, k) => `m${String(k).padStart(3, "0")}`);
  // Target: the fit of the expected fractional outcomes (any total: the MLE is scale-free).
  const expected: Vote[] = pairs.flatMap((p) => {
    const pA = (p as { pA?: number }).pA!;
    return [
      { a: ids[p.i]!, b: ids[p.j]!, outcome: "a" as Outcome, count: p.p * (1 - DRAW_RATE) * pA },
      { a: ids[p.i]!, b: ids[p.j]!, outcome: "b" as Outcome, count: p.p * (1 - DRAW_RATE) * (1 - pA) },
      { a: ids[p.i]!, b: ids[p.j]!, outcome: "tie" as Outcome, count: p.p * DRAW_RATE },
    ];
  });
  const fit = fitStrengths(winTable(aggregateVotes(expected)));
  return { n, ids, pairs, cumulative, target: fit.theta };
}

function drawVotes(world: World, count: number, rand: Uniform): Vote[] {
  const votes: Vote[] = [];
  const total = world.cumulative[world.cumulative.length - 1]!;
  for (let v = 0; v < count; v++) {
    const u = rand() * total;
    let lo = 0;
    let hi = world.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (world.cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    const p = world.pairs[lo]!;
    const pA = (p as { pA?: number }).pA!;
    let outcome: Outcome = rand() < pA ? "a" : "b";
    if (rand() < DRAW_RATE) outcome = rand() < 0.5 ? "tie" : "both_bad";
    // Random display order, as in the arena.
    votes.push(rand() < 0.5 ? { a: world.ids[p.i]!, b: world.ids[p.j]!, outcome } : { a: world.ids[p.j]!, b: world.ids[p.i]!, outcome: outcome === "a" ? "b" : outcome === "b" ? "a" : outcome });
  }
  return votes;
}

/** Rank confidence calibration: per bin of the stated probability, how often the order was right. */
const BINS = [0.5, 0.6, 0.75, 0.9, 0.95, 0.99, 1.0000001];
const calibration = new Map<string, { stated: number; right: number; n: number }[]>();
function record(method: string, p: number, right: boolean): void {
  const bins = calibration.get(method) ?? BINS.slice(1).map(() => ({ stated: 0, right: 0, n: 0 }));
  calibration.set(method, bins);
  const k = BINS.findIndex((b, i) => p >= b && p < BINS[i + 1]!);
  if (k < 0) return;
  bins[k]!.stated += p;
  bins[k]!.right += right ? 1 : 0;
  bins[k]!.n++;
}

interface Cell {
  intervals: number;
  covered: number;
  width: number;
  models: number;
  rated: number;
  fallbacks: number;
  boards: number;
  ms: number;
}

function runCell(n: number, perModel: number, method: IntervalMethod, reps: number, rounds: number, seed: number): Cell {
  const cell: Cell = { intervals: 0, covered: 0, width: 0, models: 0, rated: 0, fallbacks: 0, boards: 0, ms: 0 };
  const rand = xoshiro128(seed);
  for (let r = 0; r < reps; r++) {
    const world = makeWorld(n, rand);
    const votes = drawVotes(world, Math.round((n * perModel) / 2), rand);
    const opts: BoardOptions = { method, rounds, seed: 1 + r };
    const t0 = performance.now();
    const res = rateScope(aggregateVotes(votes), opts);
    cell.ms += performance.now() - t0;
    cell.models += n;
    for (const board of res.boards) {
      cell.boards++;
      if (board.method !== method) cell.fallbacks++;
      const members = board.models.map((m) => Number(m.id.slice(1)));
      const mean = members.reduce((s, g) => s + world.target[g]!, 0) / members.length;
      board.models.forEach((m, k) => {
        if (m.next && k + 1 < members.length) record(board.method, m.next.probability, world.target[members[k]!]! > world.target[members[k + 1]!]!);
        const truth = 1000 + (world.target[members[k]!]! - mean) / NATS_PER_ELO;
        cell.intervals++;
        cell.rated++;
        cell.width += m.ciHigh - m.ciLow;
        if (m.ciLow <= truth && truth <= m.ciHigh) cell.covered++;
      });
    }
  }
  return cell;
}

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

const fields = arg("fields", "5,20,100").split(",").map(Number);
const perModel = arg("per-model", "10,30,100").split(",").map(Number);
const rounds = Number(arg("rounds", "1000"));
const target = Number(arg("intervals", "4000"));
const methods = arg("methods", "bootstrap,sandwich").split(",") as IntervalMethod[];

console.log(
  `Coverage of 95% intervals; true Elo ~ N(0, ${SPREAD_ELO}), ${DRAW_RATE * 100}% draws, half the pairs among neighbours; ` +
    `bootstrap ${rounds} rounds; Node ${process.version}`,
);
console.log("models  votes/model  method      coverage   mean width   rated   fallback   ms/scope");
for (const n of fields) {
  for (const v of perModel) {
    for (const method of methods) {
      const reps = Number(arg("reps", "0")) || Math.max(8, Math.ceil(target / n));
      const c = runCell(n, v, method, reps, rounds, 1000 * n + v);
      const coverage = c.intervals ? (100 * c.covered) / c.intervals : Number.NaN;
      console.log(
        `${String(n).padStart(6)}  ${String(v).padStart(11)}  ${method.padEnd(10)}  ${coverage.toFixed(1).padStart(7)}%  ` +
          `${(c.width / Math.max(c.intervals, 1)).toFixed(0).padStart(8)} Elo  ${((100 * c.rated) / c.models).toFixed(0).padStart(5)}%  ` +
          `${String(c.fallbacks).padStart(5)}/${String(c.boards).padEnd(4)}  ${(c.ms / reps).toFixed(1).padStart(8)}`,
      );
    }
  }
}

console.log("\nRank confidence: stated probability that a neighbour pair's order is right vs how often it was (all sizes above)");
console.log("method      stated range   pairs    mean stated   observed");
for (const [method, bins] of calibration) {
  bins.forEach((b, k) => {
    if (b.n === 0) return;
    const range = `${(100 * BINS[k]!).toFixed(0)}-${Math.min(100, 100 * BINS[k + 1]!).toFixed(0)}%`;
    console.log(`${method.padEnd(10)}  ${range.padStart(12)}  ${String(b.n).padStart(6)}  ${((100 * b.stated) / b.n).toFixed(1).padStart(11)}%  ${((100 * b.right) / b.n).toFixed(1).padStart(8)}%`);
  });
}
