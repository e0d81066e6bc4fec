/**
 * `npm run categories:prepare -- [--set <name>] [--force] [--run] [--no-wait] [<instance id> ...]`:
 * queues reference preparation (the four views with REFERENCE_PROFILE, the metric GLB) for a set
 * of categories (all when none is named) and prints a progress line until none is queued or
 * rendering. The running execution worker (`npm run up`) does the work; `--run` starts one in this
 * process instead. `--force` prepares again references that are already prepared.
 * Exit code: 0 when every selected reference is prepared, 1 when any failed or stayed stale.
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const setIdx = args.indexOf("--set");
const setName = setIdx >= 0 ? args[setIdx + 1] : undefined;
const ids = args.filter((a, i) => !a.startsWith("--") && !(setIdx >= 0 && i === setIdx + 1));
const known = new Set(["--set", "--force", "--run", "--no-wait"]);
const unknown = args.filter((a) => a.startsWith("--") && !known.has(a));
if (unknown.length || (setIdx >= 0 && !setName)) {
  console.error("usage: npm run categories:prepare -- [--set <name>] [--force] [--run] [--no-wait] [<instance id> ...]");
  process.exit(2);
}
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error("DATABASE_URL and REDIS_URL must be set. Point them at the arena's services (npm run up prints where they listen).");
  process.exit(2);
}

const { db, disconnectDb } = await import("@/lib/db");
const { ensureReferences, executionBlenderVersion, progressLine, referenceProfileLabel, referenceProgress } = await import("@/lib/categories/references");
const { closeQueues } = await import("@/lib/jobs/queue");

let worker: { close(): Promise<void> } | undefined;
try {
  const cats = await db().category.findMany({
    where: { ...(setName ? { setName } : {}), ...(ids.length ? { instanceId: { in: ids } } : {}) },
    select: { id: true, instanceId: true },
  });
  const missing = ids.filter((id) => !cats.some((c) => c.instanceId === id));
  if (missing.length) throw new Error(`Unknown categories: ${missing.join(", ")} (import them first: npm run categories:import)`);
  if (cats.length === 0) throw new Error(setName ? `No categories in set "${setName}".` : "No categories imported yet.");
  const categoryIds = cats.map((c) => c.id);

  if (flag("--run")) {
    const { runQueue } = await import("@/lib/jobs/runtime");
    const { QUEUES } = await import("@/lib/jobs/constants");
    worker = await runQueue(QUEUES.execution, { keepConnections: true });
  }
  const blenderVersion = await executionBlenderVersion();
  const n = await ensureReferences(categoryIds, { blenderVersion, force: flag("--force") });
  console.log(
    `${cats.length} ${cats.length === 1 ? "category" : "categories"}; ${n} queued for preparation with ${referenceProfileLabel()}` +
      (blenderVersion ? ` on Blender ${blenderVersion}` : " (no execution worker is running yet: start one with npm run up, or pass --run)"),
  );

  let p = await referenceProgress({ categoryIds, blenderVersion });
  console.log(progressLine(p));
  if (!flag("--no-wait")) {
    let last = progressLine(p);
    let lastPrinted = Date.now();
    while (p.counts.queued + p.counts.rendering > 0) {
      await new Promise((r) => setTimeout(r, 2000));
      p = await referenceProgress({ categoryIds, blenderVersion: blenderVersion ?? (await executionBlenderVersion()) });
      const line = progressLine(p);
      // A line when something changed, and a reminder every 30 s that it is still going.
      if (line !== last || Date.now() - lastPrinted > 30_000) {
        console.log(line);
        last = line;
        lastPrinted = Date.now();
      }
    }
    for (const c of p.categories.filter((c) => c.state === "failed")) console.log(`failed ${c.instanceId}: ${c.status} ${c.error ?? ""}`);
    if (p.counts.prepared !== p.categories.length) process.exitCode = 1;
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await worker?.close();
  await closeQueues();
  await disconnectDb();
}

export {};
