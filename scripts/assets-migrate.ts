/**
 * `npm run assets:migrate -- --to s3` (or `--to local`): copies every asset of this instance from
 * the other store into the named one, with progress lines, skipping objects already identical
 * there, then verifies every copy (size and SHA-256 of the stored bytes) and prints a summary.
 * Needs only the storage variables (ARENA_DATA_DIR, ASSET_S3_*; docs/storage.md), no database.
 * Exit code 0 when every asset verified, 1 otherwise.
 */
import { storeFromEnv } from "@/lib/storage";
import { migrateAssets } from "@/lib/storage/migrate";

const args = process.argv.slice(2);
const toIdx = args.indexOf("--to");
const to = toIdx >= 0 ? args[toIdx + 1] : undefined;
if (to !== "s3" && to !== "local") {
  console.error("usage: npm run assets:migrate -- --to s3|local   (copies from the other store, then verifies)");
  process.exit(2);
}
try {
  const started = Date.now();
  const report = await migrateAssets({ from: storeFromEnv(to === "s3" ? "local" : "s3"), to: storeFromEnv(to), log: (l) => console.log(l) });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `summary: ${report.keys} assets, ${report.copied} copied (${(report.bytesCopied / 1e6).toFixed(1)} MB), ${report.skipped} already identical, ` +
      `${report.verified} verified, ${report.failures.length} failed, in ${secs} s`,
  );
  for (const f of report.failures.slice(0, 50)) console.log(`  FAILED ${f.key}: ${f.reason}`);
  if (report.failures.length > 50) console.log(`  ... and ${report.failures.length - 50} more`);
  if (report.failures.length === 0) console.log(`done: set ASSET_STORE=${to} on every web and worker process to use the new store.`);
  process.exitCode = report.failures.length ? 1 : 0;
} catch (err) {
  console.error(`assets:migrate: ${(err as Error).message}`);
  process.exitCode = 1;
}
