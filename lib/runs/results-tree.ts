/**
 * Imports run folders made by 3DCodeBench (read-results.ts) as a sweep: one generation per
 * instance and track. `importedStatus` is the *execution* status the benchmark scored
 * (renders/render_log.json, else log.json.final_render_status), never log.json.status (the
 * inference status, kept in `importedRun` with the export status, `.terminal_fail` and agent
 * metadata). A multi-turn run keeps its attempts (code, prompt, recorded status); the final code
 * is the last attempt. An instance without code (ERR, ERR_PARSE, ERR_NO_SCRIPT) is a failed
 * generation, a failure in every metric. The final code is executed by our own runner; execute.ts
 * flags `statusMismatch` where our status differs. Re-importing the same folder is idempotent.
 */
import path from "node:path";
import { createSweep } from "@/lib/sweeps/create";
import { db, Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import { completeSweepIfDone } from "@/lib/sweeps/sweeps";
import { ensureReferences } from "@/lib/categories/references";
import { readResultsTree, ResultsTreeError, type ResultInstance, type ResultProblem } from "@/lib/runs/read-results";

export { ResultsTreeError } from "@/lib/runs/read-results";

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

function usageOf(inst: ResultInstance) {
  const int = (v: number | null | undefined) => Math.round(v ?? 0);
  const log = inst.log;
  if (!log) {
    const m = inst.agentMeta;
    return {
      inputTokens: int(m?.input_tokens),
      cachedTokens: int(m?.cached_tokens),
      cacheWriteTokens: 0,
      outputTokens: int(m?.output_tokens),
      thinkingTokens: 0,
      latencyMs: Math.round((m?.duration_s ?? 0) * 1000),
      costUsd: m?.cost_usd ?? 0,
    };
  }
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

/** What the folder said beyond the code: kept with the generation for admins and the metrics. */
function importedRunOf(inst: ResultInstance): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify({
      kind: inst.kind,
      path: inst.path,
      inferenceStatus: inst.inferenceStatus,
      execStatus: inst.execStatus,
      execError: inst.execError?.slice(0, 4000) ?? null,
      exportStatus: inst.exportStatus,
      terminalFail: inst.terminalFail?.slice(0, 2000) ?? null,
      task: inst.log?.task ?? inst.agentMeta?.task ?? null,
      parseAttempts: inst.log?.parse_attempts ?? null,
      renderHistory: inst.attempts.map((a) => ({ attempt: a.index, status: a.status, errorBrief: a.errorBrief })),
      agent: inst.agentMeta,
    }),
  ) as Prisma.InputJsonValue;
}

async function contestantFor(opts: ImportResultsOptions, first: ResultInstance | undefined) {
  const existing = await db().contestant.findUnique({ where: { slug: opts.contestantSlug } });
  if (existing) return existing;
  if (!opts.createContestant) {
    throw new ResultsTreeError(`Unknown contestant "${opts.contestantSlug}": create it first, or import with --create.`);
  }
  const provider = first?.log?.provider ?? (first?.kind === "agent" ? "coding-agent" : "imported");
  const model = first?.log?.model ?? first?.agentMeta?.model ?? opts.contestantSlug;
  return db().contestant.create({
    data: {
      slug: opts.contestantSlug,
      displayName: model,
      organisation: provider,
      // A coding agent is labelled as one (its runs here are imported, never re-run: no settings.agent).
      kind: first?.kind === "agent" ? "agent" : "llm",
      provider: PROVIDERS[provider.toLowerCase()] ?? provider,
      providerModelId: model,
      // Our harness names (lib/harness, lib/agents).
      harness: first?.kind === "agent" ? "agent" : (first?.attempts.length ?? 0) > 1 ? "multi-turn" : "single-shot",
      description: `Imported from a results tree (${path.basename(opts.root)})${first?.kind === "agent" ? ": coding-agent runs (the agent wrote and tested its script in its own loop)" : ""}.`,
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
      if (existing.status === "executing") await enqueue(JOBS.generationExecute, { generationId: existing.id, attempt: Math.max(0, inst.attempts.length - 1) });
      if (existing.status === "scoring") await enqueue(JOBS.generationScore, { generationId: existing.id });
      used.add(category.id);
      continue;
    }
    const usage = usageOf(inst);
    const hasCode = inst.code !== null && inst.code.trim() !== "";
    const noCode = `The run folder has no code for this instance (${inst.kind === "agent" ? "agent status" : "inference status"} ${inst.inferenceStatus}${inst.terminalFail ? `: ${inst.terminalFail}` : ""}).`;
    // Multi-turn: every attempt with its code and recorded status; the last one is executed.
    const history = inst.attempts.length > 1 ? inst.attempts : [];
    const finalIndex = history.length ? history.length - 1 : 0;
    const attempts = history.length
      ? history.map((a, k) => ({
          index: a.index,
          code: k === finalIndex ? (hasCode ? inst.code : a.code) : a.code,
          parseOk: (k === finalIndex ? hasCode : a.code !== null),
          prompt: a.prompt,
          importedStatus: a.status,
          errorText: k === finalIndex ? (hasCode ? null : noCode) : a.errorBrief,
          ...(k === finalIndex ? usage : {}),
        }))
      : [{ index: 0, code: hasCode ? inst.code : null, parseOk: hasCode, errorText: hasCode ? null : noCode, prompt: inst.prompt, importedStatus: inst.execStatus, ...usage }];
    try {
      const gen = await db().generation.create({
        data: {
          ...key,
          status: hasCode ? "executing" : "failed",
          errorText: hasCode ? null : noCode,
          importedStatus: inst.execStatus,
          importedRun: importedRunOf(inst),
          ...usage,
          attempts: { create: attempts },
        },
      });
      imported++;
      used.add(category.id);
      if (hasCode) await enqueue(JOBS.generationExecute, { generationId: gen.id, attempt: finalIndex });
    } catch (err) {
      // Another import of the same folder got there first.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") unchanged++;
      else throw err;
    }
  }

  // Scoring compares with the reference: make sure each category's reference gets executed.
  await ensureReferences(categories.filter((c) => used.has(c.id)).map((c) => c.id));
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
