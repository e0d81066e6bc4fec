/**
 * Timing for the rating pipeline (prints, never asserts): 30 models, 1,000 bootstrap rounds,
 * 10k / 100k / 1M votes. Each size runs in its own child process so that peak RSS is its own.
 * Usage: npx tsx scripts/bench-ratings.ts [votes]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Outcome } from "@/lib/contracts";
import { bootstrapElo } from "@/lib/ratings/bootstrap";
import { fitBradleyTerry } from "@/lib/ratings/bradley-terry";
import { aggregateVotes, type Vote } from "@/lib/ratings/pair-counts";
import { xoshiro128 } from "@/lib/ratings/random";

const MODELS = 30;
const ROUNDS = 1000;
const SIZES = [10_000, 100_000, 1_000_000];

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

function measure(count: number): void {
  const votes = syntheticVotes(count);
  const t0 = performance.now();
  const counts = aggregateVotes(votes);
  const t1 = performance.now();
  const fit = fitBradleyTerry(counts);
  const t2 = performance.now();
  const boot = bootstrapElo(counts, { rounds: ROUNDS, init: fit.theta });
  const t3 = performance.now();
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  console.log(
    `${count.toLocaleString("en-US").padStart(9)} votes: aggregate ${(t1 - t0).toFixed(0)} ms, ` +
      `fit ${(t2 - t1).toFixed(1)} ms (${fit.iterations} Newton steps), ` +
      `bootstrap x${ROUNDS} ${(t3 - t2).toFixed(0)} ms (unconverged ${boot.unconverged}), ` +
      `peak RSS ${mb(process.resourceUsage().maxRSS)} MB`,
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
