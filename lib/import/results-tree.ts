/**
 * Imports a results tree made elsewhere (benchmark-compat §7) as a sweep: one generation per
 * instance and track, attempt 0 holding the tree's final code and usage, the tree's status kept in
 * `importedStatus`. The code is then executed by our own runner; execute.ts flags `statusMismatch`
 * where our status differs (e.g. a script that ran under an older Blender fails in 5.0).
 * Re-importing the same folder is idempotent (same sweep, existing generations left alone).
 */
import path from "node:path";
import { createSweep } from "@/lib/sweeps/create";
import { db, Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { completeSweepIfDone } from "@/lib/sweeps/sweeps";
import { readResultsTree, ResultsTreeError, type ResultInstance, type ResultLog, type ResultProblem } from "./read-results";

export { ResultsTreeError } from "./read-results";

export interface ImportResultsOptions {
  /** The results folder (`results/`, a track folder, or the model folder itself). */
  root: string;
  contestantSlug: string;
  /** The `<model>` folder name in the tree; default: the contestant slug. */
  modelDir?: string;
  /** Create the contestant (kind llm) from the first log.json when it does not exist. */
  createContestant?: boolean;
  actorId?: string;
  /** Render profile for our execution; default RENDER_PROFILE. */
  profile?: string;
}

export interface ImportResultsReport {
  sweepId: string;
  /** Generations created by this call. */
  imported: number;
  /** Generations this sweep already had from an earlier import of the same folder. */
  unchanged: number;
  skipped: ResultProblem[];
}

// Provider names in the benchmark's logs -> our provider kinds (lib/providers).
const PROVIDERS: Record<string, string> = { openai: "openai", anthropic: "anthropic", google: "gemini", gemini: "gemini" };

function usageOf(log: ResultLog) {
  const int = (v: number | null | undefined) => Math.round(v ?? 0);
  return {
    inputTokens: int(log.input_tokens),
    cachedTokens: int(log.cache_read_tokens),
    cacheWriteTokens: int(log.cache_creation_tokens),
    outputTokens: int(log.output_tokens),
    thinkingTokens: int(log.thoughts_tokens),
    latencyMs: Math.round((log.latency_s ?? 0) * 1000),
    costUsd: log.cost_usd ?? 0,
  };
}

async function contestantFor(opts: ImportResultsOptions, first: ResultInstance | undefined) {
  const existing = await db().contestant.findUnique({ where: { slug: opts.contestantSlug } });
  if (existing) return existing;
  if (!opts.createContestant) {
    throw new ResultsTreeError(`Unknown contestant "${opts.contestantSlug}": create it first, or import with --create.`);
  }
  const provider = first?.log.provider ?? "imported";
  return db().contestant.create({
    data: {
      slug: opts.contestantSlug,
      displayName: first?.log.model ?? opts.contestantSlug,
      organisation: provider,
      kind: "llm",
      provider: PROVIDERS[provider.toLowerCase()] ?? provider,
      providerModelId: first?.log.model ?? opts.contestantSlug,
      harness: "single-shot",
      description: `Imported from a results tree (${path.basename(opts.root)}).`,
    },
  });
}

export async function importResultsTree(opts: ImportResultsOptions): Promise<ImportResultsReport> {
  const root = path.resolve(opts.root);
  const { instances, problems } = await readResultsTree(root, opts.modelDir ?? opts.contestantSlug);
  const skipped = [...problems];
  const contestant = await contestantFor(opts, instances[0]);
  const profile = opts.profile ?? getEnv().RENDER_PROFILE;

  const categories = await db().category.findMany({ where: { instanceId: { in: [...new Set(instances.map((i) => i.instanceId))] } } });
  const byId = new Map(categories.map((c) => [c.instanceId, c]));

  const name = `import:${opts.contestantSlug}:${path.basename(root)}`;
  const tracks = [...new Set(instances.map((i) => i.track))];
  const sweep = await createSweep(
    { name, config: { imported: true, root, contestants: [opts.contestantSlug], categories: [], tracks, profile }, createdById: opts.actorId },
    { reuseByName: true },
  );

  let imported = 0;
  let unchanged = 0;
  const used = new Set<string>();
  for (const inst of instances) {
    const category = byId.get(inst.instanceId);
    if (!category) {
      skipped.push({ path: inst.path, reason: `unknown category ${inst.instanceId}: import its category set first` });
      continue;
    }
    const key = { sweepId: sweep.id, contestantId: contestant.id, categoryId: category.id, track: inst.track };
    const existing = await db().generation.findUnique({ where: { sweepId_contestantId_categoryId_track: key } });
    if (existing) {
      unchanged++;
      if (existing.status === "executing") await enqueue(JOBS.generationExecute, { generationId: existing.id, attempt: 0 });
      if (existing.status === "scoring") await enqueue(JOBS.generationScore, { generationId: existing.id });
      used.add(category.id);
      continue;
    }
    const usage = usageOf(inst.log);
    const hasCode = inst.code !== null && inst.code.trim() !== "";
    const noCode = `The results tree has no code for this instance (its log says ${inst.log.status}).`;
    try {
      const gen = await db().generation.create({
        data: {
          ...key,
          status: hasCode ? "executing" : "failed",
          errorText: hasCode ? null : noCode,
          importedStatus: inst.log.status,
          ...usage,
          attempts: {
            create: {
              index: 0,
              code: hasCode ? inst.code : null,
              parseOk: hasCode,
              errorText: hasCode ? null : noCode,
              prompt: inst.prompt,
              ...usage,
            },
          },
        },
      });
      imported++;
      used.add(category.id);
      if (hasCode) await enqueue(JOBS.generationExecute, { generationId: gen.id, attempt: 0 });
    } catch (err) {
      // Another import of the same folder got there first.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") unchanged++;
      else throw err;
    }
  }

  // Scoring compares with the reference: make sure each category's reference gets executed.
  for (const c of categories) {
    if (used.has(c.id) && c.referenceStatus === null) await enqueue(JOBS.categoryPrepare, { categoryId: c.id, profile });
  }
  if (sweep.status === "completed" && imported > 0) {
    await db().sweep.update({ where: { id: sweep.id }, data: { status: "running", finishedAt: null } });
  }
  await completeSweepIfDone(sweep.id);
  if (opts.actorId) {
    await db().auditLog.create({
      data: {
        actorId: opts.actorId,
        action: "results.import",
        targetType: "sweep",
        targetId: sweep.id,
        details: { root, contestant: opts.contestantSlug, imported, unchanged, skipped: skipped.length },
      },
    });
  }
  return { sweepId: sweep.id, imported, unchanged, skipped };
}
