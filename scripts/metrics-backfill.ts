/**
 * `npm run metrics:backfill -- [--metric <id>] [--dry-run] [--no-wait]`: queues the missing
 * (output, metric, version) pairs of every available registry metric (or one), then prints a
 * progress line per metric until none is missing. The scoring worker (`npm run up`) computes them.
 * Unavailable metrics are listed with their reason and skipped. Exit code: 0 when nothing is left
 * missing, 1 when progress stalled or a metric was not found.
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const mi = args.indexOf("--metric");
const metric = mi >= 0 ? args[mi + 1] : undefined;
const known = new Set(["--metric", "--dry-run", "--no-wait"]);
const unknown = args.filter((a, i) => (a.startsWith("--") && !known.has(a)) || (!a.startsWith("--") && i !== mi + 1));
if (unknown.length || (mi >= 0 && !metric)) {
  console.error("usage: npm run metrics:backfill -- [--metric <id>] [--dry-run] [--no-wait]");
  process.exit(2);
}
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error("DATABASE_URL and REDIS_URL must be set. Point them at the arena's services (npm run up prints where they listen).");
  process.exit(2);
}

const { disconnectDb } = await import("@/lib/db");
const { closeQueues } = await import("@/lib/jobs/queue");
const { backfillMetrics, metricProgress } = await import("@/lib/metrics/backfill");
const { metricPlugin } = await import("@/lib/metrics/registry");

/** Without any change for this long, the worker is probably not running. */
const STALL_MS = 120_000;

let code = 0;
try {
  const results = await backfillMetrics({ metric, dryRun: flag("--dry-run") });
  for (const r of results) {
    if (!r.available) console.log(`${r.id}: unavailable (${r.reason}); ${r.missing} outputs without it`);
    else console.log(`${r.id}: ${r.missing} missing, ${flag("--dry-run") ? "none queued (--dry-run)" : `${r.enqueued} queued`}`);
  }
  const watched = results.filter((r) => r.available && r.enqueued > 0).map((r) => metricPlugin(r.id)!);
  if (watched.length && !flag("--dry-run") && !flag("--no-wait")) {
    let last = "";
    let changedAt = Date.now();
    for (;;) {
      const progress = await Promise.all(watched.map((p) => metricProgress(p)));
      const line = progress.map((p) => `${p.id} ${p.computed + p.failed}/${p.eligible} (${p.failed} failed, ${p.missing} missing)`).join(" · ");
      if (line !== last) {
        console.log(line);
        last = line;
        changedAt = Date.now();
      }
      if (progress.every((p) => p.missing === 0)) break;
      if (Date.now() - changedAt > STALL_MS) {
        console.error(`No progress for ${STALL_MS / 1000} s: is a scoring worker running (npm run up)? The jobs stay queued.`);
        code = 1;
        break;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  code = 1;
} finally {
  await closeQueues();
  await disconnectDb();
}
process.exit(code);
export {};
