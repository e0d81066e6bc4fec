/**
 * Timing of the rating pipeline (prints, never asserts). `npm run bench:ratings [-- --skip-db --skip-reference]`
 *
 * 1. Fit + intervals per scope as published (method chosen per board, lib/ratings/board.ts) and,
 *    for comparison, the other method: 30 models at 10k / 100k / 1M votes (votes one by one, then
 *    aggregated) and 200 / 400 models at 10M votes (the pair counts drawn from the multinomial the
 *    10M votes would give: the fit only ever sees counts). Style control on the 30-model votes.
 *    Each size runs in its own child process, so peak RSS is its own.
 * 2. The reference: SciPy L-BFGS fit + 1,000-round multinomial bootstrap over unique matchups
 *    (FastChat's method, our own Python in scripts/ratings-reference.py) on the 30-model 1M-vote
 *    counts, against the published method and our bootstrap, with the largest difference in Elo.
 * 3. The database side at 10M votes (scripts/bench-ratings-db.ts): counting every vote with a
 *    GROUP BY (what a recompute did before) against folding the vote log and reading the changed
 *    scopes' pair counts (what it does now), and the trigger's cost per vote.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Outcome } from "@/lib/contracts";
import { ratePairCounts } from "@/lib/ratings";
import type { IntervalMethod } from "@/lib/ratings/board";
import { aggregateVotes, pairCountsFromRows, type PairCountRow, type PairCounts, type Vote } from "@/lib/ratings/pair-counts";
import { Variates, xoshiro128 } from "@/lib/ratings/random";
import { computeStyleControlled, type StyleFeatures, type StyledVote } from "@/lib/ratings/style-control";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = 1000;
const DRAW_RATE = 0.15;
/** Style control costs O(cells); 8 categories give ~3,500 cells at 30 models (212 would give ~92k). */
const CATEGORIES = 8;

interface Size {
  models: number;
  votes: number;
  /** Generate the votes one by one (and time the aggregation) or draw the counts directly. */
  individual: boolean;
}
const SIZES: Size[] = [
  { models: 30, votes: 10_000, individual: true },
  { models: 30, votes: 100_000, individual: true },
  { models: 30, votes: 1_000_000, individual: true },
  { models: 200, votes: 10_000_000, individual: false },
  { models: 400, votes: 10_000_000, individual: false },
];

const strengths = (models: number) => {
  const rand = xoshiro128(12345);
  return Array.from({ length: models }, () => 800 + 400 * rand());
};
const id = (k: number) => `model-${String(k).padStart(3, "0")}`;

function syntheticVotes(models: number, count: number): Vote[] {
  const elo = strengths(models);
  const rand = xoshiro128(777);
  const draws: Outcome[] = ["tie", "both_bad"];
  const votes: Vote[] = [];
  while (votes.length < count) {
    const a = Math.floor(rand() * models);
    const b = Math.floor(rand() * models);
    if (a === b) continue;
    const pA = 1 / (1 + 10 ** ((elo[b]! - elo[a]!) / 400));
    const outcome = rand() < DRAW_RATE ? draws[Math.floor(rand() * 2)]! : rand() < pA ? "a" : "b";
    votes.push({ a: id(a), b: id(b), outcome });
  }
  return votes;
}

/** The counts `count` such votes would give, drawn from their multinomial (all pairs equally often). */
function syntheticCounts(models: number, count: number): PairCounts {
  const elo = strengths(models);
  const weights: number[] = [];
  for (let i = 0; i < models; i++) {
    for (let j = i + 1; j < models; j++) {
      const p = 1 / (1 + 10 ** ((elo[j]! - elo[i]!) / 400));
      weights.push((1 - DRAW_RATE) * p, (1 - DRAW_RATE) * (1 - p), DRAW_RATE / 2, DRAW_RATE / 2);
    }
  }
  const drawn = new Float64Array(weights.length);
  new Variates(xoshiro128(777)).multinomial(count, Float64Array.from(weights), drawn);
  const rows: PairCountRow[] = [];
  let k = 0;
  for (let i = 0; i < models; i++) {
    for (let j = i + 1; j < models; j++, k += 4) {
      rows.push({ lo: id(i), hi: id(j), winsLo: drawn[k]!, winsHi: drawn[k + 1]!, ties: drawn[k + 2]!, bothBad: drawn[k + 3]! });
    }
  }
  return pairCountsFromRows(rows);
}

function withFeatures(votes: Vote[], models: number): StyledVote[] {
  const rand = xoshiro128(54321);
  const features: StyleFeatures[][] = Array.from({ length: models }, () =>
    Array.from({ length: CATEGORIES }, () => ({ faces: Math.round(200 * 500 ** rand()), parts: Math.floor(1 + 300 * rand() ** 3), hasMaterials: rand() < 0.5 })),
  );
  const of = (m: string) => features[Number(m.slice("model-".length))]!;
  // A literal, not { ...v, fa, fb }: spread copies made reading 1M of them 5x slower than the fit.
  return votes.map((v) => {
    const c = Math.floor(rand() * CATEGORIES);
    return { a: v.a, b: v.b, outcome: v.outcome, count: v.count, fa: of(v.a)[c]!, fb: of(v.b)[c]! };
  });
}

const ms = (t: number) => `${t < 10 ? t.toFixed(1) : t.toFixed(0)} ms`;
const mb = () => `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;

/** Fit + intervals with `method`; for the bootstrap on big boards, 20 rounds scaled to 1,000. */
function time(counts: PairCounts, method: "auto" | IntervalMethod): { ms: number; method: string; note: string } {
  const big = counts.ids.length > 60 && method === "bootstrap";
  const rounds = big ? 20 : ROUNDS;
  const t0 = performance.now();
  const res = ratePairCounts(counts, { rounds, method });
  const t = performance.now() - t0;
  const board = res.boards[0]!;
  return { ms: big ? (t * ROUNDS) / rounds : t, method: board.method, note: big ? ` (20 rounds timed, x50)` : "" };
}

function child(spec: Size, countsOut?: string): void {
  let counts: PairCounts;
  let aggregateMs = 0;
  let votes: Vote[] = [];
  if (spec.individual) {
    votes = syntheticVotes(spec.models, spec.votes);
    const t0 = performance.now();
    counts = aggregateVotes(votes);
    aggregateMs = performance.now() - t0;
  } else counts = syntheticCounts(spec.models, spec.votes);
  // Warm the JIT on the same code path first: a worker recomputes many scopes, not one.
  ratePairCounts(counts, { rounds: 20 });
  const published = time(counts, "auto");
  const other = time(counts, published.method === "sandwich" ? "bootstrap" : "sandwich");
  const label = `${String(spec.models).padStart(3)} models ${spec.votes.toLocaleString("en-US").padStart(10)} votes`;
  console.log(
    `${label}: published (${published.method}) ${ms(published.ms)}; ${other.method} ${ms(other.ms)}${other.note}` +
      `${spec.individual ? `; aggregating the votes ${ms(aggregateMs)}` : ""}; peak RSS ${mb()}`,
  );
  if (countsOut) writeFileSync(countsOut, JSON.stringify({ ids: counts.ids, pairs: counts.pairs, publishedMs: published.ms, bootstrapMs: other.method === "bootstrap" ? other.ms : published.ms }));
  if (spec.individual) {
    const styled = withFeatures(votes, spec.models);
    const t0 = performance.now();
    const style = computeStyleControlled(styled, { rounds: ROUNDS });
    console.log(`${" ".repeat(label.length)}  style control: ${style.params.cells} cells, ${ms(performance.now() - t0)} (controlled: ${style.controlled})`);
  }
}

function reference(file: string): void {
  const python = path.join(root, ".venv-blender/bin/python");
  const res = spawnSync(python, [path.join(root, "scripts/ratings-reference.py"), file, String(ROUNDS)], { encoding: "utf8" });
  if (res.status !== 0) {
    console.log(`reference skipped: ${python} failed (${(res.stderr || res.error?.message || "").trim().split("\n").pop()})`);
    return;
  }
  const ref = JSON.parse(res.stdout) as { totalMs: number; workers: number; matchups: number; elo: number[]; ciLow: number[]; ciHigh: number[] };
  const ours = JSON.parse(readFileSync(file, "utf8")) as { ids: string[]; pairs: PairCounts["pairs"]; publishedMs: number; bootstrapMs: number };
  const counts = pairCountsFromRows(ours.pairs.map((p) => ({ lo: ours.ids[p.i]!, hi: ours.ids[p.j]!, winsLo: p.winsI, winsHi: p.winsJ, ties: p.ties, bothBad: p.bothBad })));
  const boot = ratePairCounts(counts, { rounds: ROUNDS, method: "bootstrap" });
  const diff = (key: "elo" | "ciLow" | "ciHigh", ref: number[]) =>
    Math.max(...boot.models.map((m) => Math.abs(m[key] - ref[counts.ids.indexOf(m.id)]!)));
  console.log(
    `FastChat's method (SciPy L-BFGS + ${ROUNDS} multinomial rounds over ${ref.matchups} unique matchups, ${ref.workers} processes): ${ms(ref.totalMs)}; ` +
      `published ${ms(ours.publishedMs)} = ${(ref.totalMs / ours.publishedMs).toFixed(0)}x faster; our bootstrap ${ms(ours.bootstrapMs)} = ` +
      `${(ref.totalMs / ours.bootstrapMs).toFixed(1)}x. Same votes, our bootstrap vs theirs: points within ${diff("elo", ref.elo).toFixed(2)} Elo, ` +
      `bounds within ${Math.max(diff("ciLow", ref.ciLow), diff("ciHigh", ref.ciHigh)).toFixed(1)} Elo (Monte Carlo)`,
  );
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(JSON.parse(args[1]!) as Size, args[2]);
  console.log(`Fit + 95% intervals per scope, ${ROUNDS} bootstrap rounds; Node ${process.version}; load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-ratings-"));
  const countsFile = path.join(dir, "counts-30x1M.json");
  try {
    for (const size of SIZES) {
      const out = size.models === 30 && size.votes === 1_000_000 ? [countsFile] : [];
      const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", JSON.stringify(size), ...out], { stdio: "inherit" });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
    if (!args.includes("--skip-reference")) reference(countsFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!args.includes("--skip-db")) {
    const r = spawnSync(process.execPath, [...process.execArgv, path.join(root, "scripts/bench-ratings-db.ts"), ...args.filter((a) => a.startsWith("--db-"))], { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

main();
