/**
 * generation.execute: runs an attempt's code in the sandboxed Blender (docs/benchmark.md §2–§4),
 * stores GLBs, renders and mesh stats, then scores, retries (multi-turn) or fails.
 * Identical code under the same Blender version and render profile is executed once.
 */
import { createHash } from "node:crypto";
import { sweepConfig } from "@/lib/sweeps/config";
import type { Runner } from "@/blender-runner/client/types";
import { classifyFailure } from "@/blender-runner/client/taxonomy";
import { db, type Prisma } from "@/lib/db";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { codeGeneratorFor } from "@/lib/contestants/registry";
import { limitsFor, profileByName, profileLabel } from "./profiles";
import { IdenticalRunInFlightError, PermanentJobError } from "./errors";
import { withRunLock } from "./run-lock";
import { storeRun, StoreTimeoutError, type StoredRun } from "./store-run";
import { completeSweepIfDone } from "@/lib/sweeps/sweeps";
import { withSweepOverrides } from "@/lib/sweeps/overrides";
import { enqueueMetricsFor } from "@/lib/metrics/backfill";
import { transition } from "@/lib/generations/transition";

export function codeHash(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

interface Outcome {
  execStatus: NonNullable<Prisma.GenerationUpdateInput["execStatus"]>;
  errorText: string | null;
  failureGroup: string | null;
  failureDetail: string | null;
  metricGlbKey: string | null;
  displayGlbKey: string | null;
  renderKeys: string[];
  meshStats: Prisma.InputJsonValue | undefined;
  blenderVersion: string | null;
  /** Cycles device of the views (runConditions.device), beside the Blender version. */
  execDevice: string | null;
  /** For admins only: the script reached for the harness (audit hook, report channel); the status stands. */
  tamperSuspected: boolean;
  tamperEvidence: Prisma.InputJsonValue | undefined;
  /** The export step's own status (metric GLB), independent of execStatus. */
  exportStatus: string | null;
  runConditions: Prisma.InputJsonValue | undefined;
}

export async function executeAttempt(runner: Runner, p: { generationId: string; attempt: number }): Promise<void> {
  const gen = await db().generation.findUnique({
    where: { id: p.generationId },
    include: { category: true, contestant: true, sweep: true, attempts: { where: { index: p.attempt } } },
  });
  if (!gen) throw new PermanentJobError(`Generation ${p.generationId} no longer exists`);
  if (gen.status !== "executing") return;
  const attempt = gen.attempts[0];
  if (!attempt?.code) throw new PermanentJobError(`Attempt ${p.attempt} of ${gen.id} has no code`);

  const profileName = sweepConfig(gen.sweep.config, gen.sweep.id).profile;
  const profile = profileByName(profileName);
  const hash = codeHash(attempt.code);
  const version = await runner.version();

  const label = profileLabel(profile);
  let outcome = await reuse(hash, label, version, gen.id);
  if (!outcome) {
    // One execution per identical code at a time; the others wait and reuse its result.
    const ttl = limitsFor(gen.category, profile).wallSeconds + 120;
    const ran = await withRunLock(`${hash}:${label}:${version}`, ttl, () => run(runner, gen, attempt.code!, profile, p.attempt));
    if (!ran.locked) throw new IdenticalRunInFlightError(`identical code is executing for another generation`);
    outcome = ran.value;
  }

  await db().generationAttempt.update({
    where: { id: attempt.id },
    data: {
      execStatus: outcome.execStatus,
      errorText: outcome.errorText,
      failureGroup: outcome.failureGroup,
      failureDetail: outcome.failureDetail,
      // What the run left, for the benchmark's feedback template ("meshes", "views x/4").
      meshObjects: meshObjectsOf(outcome.meshStats),
      viewsRendered: outcome.renderKeys.length,
    },
  });

  const base = {
    finalCode: attempt.code,
    codeHash: hash,
    renderProfile: label,
    ...outcome,
    // Imported from a results tree (docs/benchmark.md §7): flag a status that differs from theirs.
    // Imported from a benchmark run folder: flag a status that differs from the one it scored.
    ...(gen.importedStatus !== null ? { statusMismatch: !sameStatus(String(outcome.execStatus), gen.importedStatus) } : {}),
  };
  if (outcome.execStatus === "OK") {
    if (!(await transition(gen.id, ["executing"], "scoring", base))) return;
    await enqueue(JOBS.generationScore, { generationId: gen.id });
    return;
  }
  // An imported generation is re-executed as recorded, never regenerated.
  const maxAttempts = gen.importedRun !== null || gen.importedStatus !== null ? 1 : codeGeneratorFor(withSweepOverrides(gen.contestant, gen.sweep.config)).maxAttempts;
  if (p.attempt + 1 < maxAttempts) {
    if (!(await transition(gen.id, ["executing"], "generating", base))) return;
    await enqueue(JOBS.generationGenerate, { generationId: gen.id, attempt: p.attempt + 1 });
  } else {
    if (!(await transition(gen.id, ["executing"], "failed", base))) return;
    // The benchmark scores Chamfer whenever a metric GLB exists, whatever the status.
    if (outcome.metricGlbKey) await enqueue(JOBS.generationScore, { generationId: gen.id });
    // Without one it is not scored: its registry metrics (a failed row: no views) are queued here.
    else await enqueueMetricsFor(gen.id, gen.track).catch(() => undefined);
    await completeSweepIfDone(gen.sweepId);
  }
}

/**
 * The benchmark records a script that raised SystemExit with status null (its `except Exception`
 * misses it); we record ERR_EXEC (docs/benchmark.md). Both are failures of the script itself.
 */
function sameStatus(ours: string, theirs: string): boolean {
  return ours === theirs || (ours === "ERR_EXEC" && theirs === "null");
}

async function reuse(hash: string, profile: string, version: string, selfId: string): Promise<Outcome | null> {
  const prior = await db().generation.findFirst({
    where: { codeHash: hash, renderProfile: profile, blenderVersion: version, execStatus: { not: null }, id: { not: selfId } },
    orderBy: { updatedAt: "desc" },
  });
  if (!prior?.execStatus) return null;
  return {
    execStatus: prior.execStatus,
    errorText: prior.errorText,
    failureGroup: prior.failureGroup,
    failureDetail: prior.failureDetail,
    metricGlbKey: prior.metricGlbKey,
    displayGlbKey: prior.displayGlbKey,
    renderKeys: prior.renderKeys,
    meshStats: (prior.meshStats ?? undefined) as Prisma.InputJsonValue | undefined,
    blenderVersion: prior.blenderVersion,
    execDevice: prior.execDevice,
    tamperSuspected: prior.tamperSuspected,
    tamperEvidence: (prior.tamperEvidence ?? undefined) as Prisma.InputJsonValue | undefined,
    exportStatus: prior.exportStatus,
    runConditions: (prior.runConditions ?? undefined) as Prisma.InputJsonValue | undefined,
  };
}

async function run(
  runner: Runner,
  gen: { id: string; category: { timeLimitSec: number | null } },
  code: string,
  profile: ReturnType<typeof profileByName>,
  attempt: number,
): Promise<Outcome> {
  const result = await runner.run({ id: `gen-${gen.id}-a${attempt}`, code, profile }, limitsFor(gen.category, profile));
  try {
    let stored: StoredRun;
    let status = result.status;
    let errorText = result.errorText;
    try {
      stored = await storeRun(`runs/${gen.id}-a${attempt}`, result);
    } catch (err) {
      if (!(err instanceof StoreTimeoutError)) throw err;
      // A stuck store ends the run like any other host-side step (ERR_EXPORT), freeing the slot.
      stored = { metricGlbKey: null, displayGlbKey: null, renderKeys: [], displayGlbBytes: null, displayGlbCompressedBytes: null };
      status = "ERR_EXPORT";
      errorText = err.message;
    }
    const failure = status === result.status ? (result.failure ?? classifyFailure(status, errorText)) : classifyFailure(status, errorText);
    return {
      tamperSuspected: result.tamper.suspected,
      // [] = checked and clean (null stays for runs from before the check, or imported ones).
      tamperEvidence: JSON.parse(JSON.stringify(result.tamper.evidence)) as Prisma.InputJsonValue,
      execStatus: status,
      errorText,
      failureGroup: failure?.group ?? null,
      failureDetail: failure?.detail ?? null,
      metricGlbKey: stored.metricGlbKey,
      displayGlbKey: stored.displayGlbKey,
      renderKeys: stored.renderKeys,
      meshStats: result.stats
        ? (JSON.parse(
            JSON.stringify({
              ...result.stats,
              displayGlbBytes: stored.displayGlbBytes,
              displayGlbCompressedBytes: stored.displayGlbCompressedBytes,
            }),
          ) as Prisma.InputJsonValue)
        : undefined,
      blenderVersion: result.blenderVersion,
      execDevice: result.conditions.device,
      exportStatus: stored.metricGlbKey ? result.export.status : result.export.status === "OK" ? "ERR_EXPORT" : result.export.status,
      runConditions: JSON.parse(JSON.stringify(result.conditions)) as Prisma.InputJsonValue,
    };
  } finally {
    await result.cleanup();
  }
}

function meshObjectsOf(stats: Prisma.InputJsonValue | undefined): number {
  const n = stats && typeof stats === "object" && !Array.isArray(stats) ? (stats as Record<string, unknown>).meshObjects : undefined;
  return typeof n === "number" ? n : 0;
}
