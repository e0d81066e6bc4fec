/**
 * `npm run import:results -- <folder> --model <slug> [--dir <model folder>] [--create]`: imports a
 * results tree made elsewhere (docs/benchmark.md §7) as a sweep, then executes every script in our
 * runner (the workers must be running) and flags statuses that differ from the tree's.
 */
import path from "node:path";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const valued = new Set(["--model", "--dir", "--profile"]);
const folder = args.find((a, i) => !a.startsWith("--") && !valued.has(args[i - 1] ?? ""));
const model = flag("--model");
if (!folder || !model) {
  console.error("usage: npm run import:results -- <folder> --model <contestant slug> [--dir <model folder>] [--profile preview|benchmark] [--create]");
  process.exit(2);
}
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error("DATABASE_URL and REDIS_URL must be set (npm run up prints where the embedded services listen).");
  process.exit(2);
}
const { importResultsTree, ResultsTreeError } = await import("@/lib/runs/results-tree");
const { disconnectDb } = await import("@/lib/db");
const { closeQueues } = await import("@/lib/jobs/queue");
try {
  const r = await importResultsTree({
    root: path.resolve(folder),
    contestantSlug: model,
    modelDir: flag("--dir"),
    profile: flag("--profile"),
    createContestant: args.includes("--create"),
  });
  console.log(`sweep ${r.sweepId}: imported ${r.imported}, already there ${r.unchanged}, skipped ${r.skipped.length}`);
  for (const s of r.skipped) console.log(`skipped ${s.path}: ${s.reason}`);
  console.log("Execution runs in the workers; mismatching statuses show as statusMismatch on the sweep's generations.");
} catch (err) {
  // Expected problems read as one line; anything else too, but without a stack.
  console.error(err instanceof ResultsTreeError ? err.message : `Import failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeQueues();
  await disconnectDb();
}
