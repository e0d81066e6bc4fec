/**
 * Timing for the rating pipeline (prints, never asserts): 30 models, 1,000 bootstrap rounds,
 * 10k / 100k / 1M votes, then style control on the same votes. Each size runs in its own child
 * process so that peak RSS is its own (measured before style control).
 * Usage: npx tsx scripts/bench-ratings.ts [votes]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Outcome } from "@/lib/contracts";
import { rateScope } from "@/lib/ratings/board";
import { fitBradleyTerry } from "@/lib/ratings/bradley-terry";
import { aggregateVotes, type Vote } from "@/lib/ratings/pair-counts";
import { xoshiro128 } from "@/lib/ratings/random";
import { computeStyleControlled, type StyleFeatures, type StyledVote } from "@/lib/ratings/style-control";

const MODELS = 30;
const ROUNDS = 1000;
const SIZES = [10_000, 100_000, 1_000_000];
/**
 * Style control costs O(cells) per round and cells grow as pairs x categories: 8 gives ~3,500 cells;
 * the benchmark's 212 would give ~92k (see lib/ratings/style-control.ts for what that costs).
 */
const CATEGORIES = 8;

function syntheticVotes(count: number): Vote[] {
  const rand = xoshiro128(12345);
  const elo = Array.from({ length: MODELS }, () => 800 + 400 * rand());
  const outcomes: Outcome[] = ["tie", "both_bad"];
  const votes: Vote[] = [];
  while (votes.length < count) {
    const a = Math.floor(rand() * MODELS);
    const b = Math.floor(rand() * MODELS);
    if (a === b) continue;
    const pA = 1 / (1 + 10 ** ((elo[b]! - elo[a]!) / 400));
    const outcome = rand() < 0.15 ? outcomes[Math.floor(rand() * 2)]! : rand() < pA ? "a" : "b";
    votes.push({ a: `model-${a}`, b: `model-${b}`, outcome });
  }
  return votes;
}

/**
 * Features per (model, category), each vote in a random category: a model's output for a prompt is
 * fixed, so real data have at most models x categories distinct feature vectors.
 */
function withFeatures(votes: Vote[]): StyledVote[] {
  const rand = xoshiro128(54321);
  const features: StyleFeatures[][] = Array.from({ length: MODELS }, () =>
    Array.from({ length: CATEGORIES }, () => ({
      faces: Math.round(200 * 500 ** rand()),
      parts: Math.floor(1 + 300 * rand() ** 3),
      hasMaterials: rand() < 0.5,
    })),
  );
  const model = (id: string) => features[Number(id.slice("model-".length))]!;
  // A literal rather than { ...v, fa, fb }: spread copies keep the added fields out of line, and
  // reading 1M of those made style control's aggregation 5x slower than the fit it is timing.
  return votes.map((v) => {
    const c = Math.floor(rand() * CATEGORIES);
    return { a: v.a, b: v.b, outcome: v.outcome, fa: model(v.a)[c]!, fb: model(v.b)[c]! };
  });
}

function measure(count: number): void {
  const votes = syntheticVotes(count);
  const t0 = performance.now();
  const counts = aggregateVotes(votes);
  const t1 = performance.now();
  const fit = fitBradleyTerry(counts);
  const t2 = performance.now();
  const boot = rateScope(counts, { rounds: ROUNDS, method: "bootstrap" });
  const t3 = performance.now();
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  console.log(
    `${count.toLocaleString("en-US").padStart(9)} votes: aggregate ${(t1 - t0).toFixed(0)} ms, ` +
      `fit ${(t2 - t1).toFixed(1)} ms (${fit.iterations} Newton steps), ` +
      `bootstrap x${ROUNDS} ${(t3 - t2).toFixed(0)} ms (boards ${boot.boards.length}), ` +
      `peak RSS ${mb(process.resourceUsage().maxRSS)} MB`,
  );

  const styled = withFeatures(votes);
  const t4 = performance.now();
  const style = computeStyleControlled(styled, { rounds: ROUNDS });
  const t5 = performance.now();
  console.log(
    `${" ".repeat(11)}style control: cells ${style.params.cells}, ` +
      `aggregate+fit+bootstrap x${ROUNDS} ${(t5 - t4).toFixed(0)} ms (controlled ${style.controlled})`,
  );
}

const arg = process.argv[2];
if (arg) measure(Number(arg));
else {
  console.log(`${MODELS} models, ${ROUNDS} bootstrap rounds, Node ${process.version}`);
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(size)], {
      stdio: "inherit",
    });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}
