/**
 * Copies every asset from one store to another (`npm run assets:migrate -- --to s3|local`), then
 * verifies the copy byte for byte. Idempotent and resumable: an object already at the destination
 * with the same size and SHA-256 is skipped, so an interrupted run is simply started again. The
 * source is never changed; switching ASSET_STORE afterwards is the operator's step.
 */
import { createHash } from "node:crypto";
import type { AssetStat, AssetStore } from "./types";

export interface MigrationReport {
  keys: number;
  copied: number;
  skipped: number;
  bytesCopied: number;
  verified: number;
  /** Keys whose copy is missing or differs after the copy pass, with why. */
  failures: { key: string; reason: string }[];
}

/** The SHA-256 the store recorded at upload, else one computed from the stored bytes. */
async function digest(store: AssetStore, key: string, stat: AssetStat | null, trustRecorded: boolean): Promise<string | null> {
  if (trustRecorded && stat?.sha256) return stat.sha256;
  const s = await store.stream(key);
  if (!s) return null;
  const h = createHash("sha256");
  for await (const chunk of s.body) h.update(chunk as Buffer);
  return h.digest("hex");
}

async function inParallel<T>(items: T[], n: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

export async function migrateAssets(opts: {
  from: AssetStore;
  to: AssetStore;
  log: (line: string) => void;
  concurrency?: number;
  /** A progress line every this many keys (and at the end of each pass). */
  every?: number;
}): Promise<MigrationReport> {
  const { from, to, log } = opts;
  const n = opts.concurrency ?? 4;
  const every = opts.every ?? 100;
  log(`listing ${from.describe} ...`);
  const keys: string[] = [];
  for await (const a of from.list()) keys.push(a.key);
  keys.sort();
  log(`${keys.length} assets to copy from ${from.describe} to ${to.describe}`);
  const report: MigrationReport = { keys: keys.length, copied: 0, skipped: 0, bytesCopied: 0, verified: 0, failures: [] };
  const copyFailed = new Set<string>();

  let done = 0;
  await inParallel(keys, n, async (key) => {
    try {
      const [src, dst] = await Promise.all([from.stat(key), to.stat(key)]);
      if (!src) {
        copyFailed.add(key);
        report.failures.push({ key, reason: "disappeared from the source during the copy" });
      } else if (dst && dst.size === src.size && (await digest(to, key, dst, true)) === (await digest(from, key, src, true))) {
        report.skipped++;
      } else {
        const bytes = await from.get(key);
        if (!bytes) throw new Error("disappeared from the source during the copy");
        await to.putBytes(key, bytes);
        report.copied++;
        report.bytesCopied += bytes.length;
      }
    } catch (err) {
      copyFailed.add(key);
      report.failures.push({ key, reason: `copy failed: ${(err as Error).message}` });
    }
    done++;
    if (done % every === 0 || done === keys.length) {
      log(`copy ${done}/${keys.length}: ${report.copied} copied (${(report.bytesCopied / 1e6).toFixed(1)} MB), ${report.skipped} already there, ${copyFailed.size} failed`);
    }
  });

  // Verification reads the destination's bytes themselves, not what it recorded about them.
  done = 0;
  const toVerify = keys.filter((k) => !copyFailed.has(k));
  await inParallel(toVerify, n, async (key) => {
    try {
      const [src, dst] = await Promise.all([from.stat(key), to.stat(key)]);
      if (!dst) report.failures.push({ key, reason: "missing at the destination" });
      else if (src && dst.size !== src.size) report.failures.push({ key, reason: `size ${dst.size} at the destination, ${src.size} at the source` });
      else if ((await digest(to, key, dst, false)) !== (await digest(from, key, src, false))) report.failures.push({ key, reason: "SHA-256 differs" });
      else report.verified++;
    } catch (err) {
      report.failures.push({ key, reason: `verification failed: ${(err as Error).message}` });
    }
    done++;
    if (done % every === 0 || done === toVerify.length) log(`verify ${done}/${toVerify.length}: ${report.verified} identical`);
  });
  return report;
}
