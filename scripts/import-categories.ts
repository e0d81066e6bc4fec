/**
 * `npm run categories:import -- <folder> [--set <name>]`: imports a category set in the 3DCodeBench
 * layout (e.g. the benchmark's 212 categories) into the database the env points at. Reference
 * execution and sweeps happen through the pipeline; this only records the categories.
 */
import path from "node:path";

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith("--"));
const setIdx = args.indexOf("--set");
const setName = setIdx >= 0 ? args[setIdx + 1] : undefined;
if (!folder) {
  console.error("usage: npm run categories:import -- <folder> [--set <name>]");
  process.exit(2);
}
if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Point it at the arena's database (npm run up prints where the embedded one listens).");
  process.exit(2);
}
const { importCategorySet } = await import("@/lib/categories/import");
const { disconnectDb } = await import("@/lib/db");
const root = path.resolve(folder);
try {
  const r = await importCategorySet(root, setName ?? path.basename(root));
  console.log(`created ${r.created.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}`);
  for (const p of r.problems) console.log(`skipped ${p.folder}: ${p.reason}`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await disconnectDb();
}
