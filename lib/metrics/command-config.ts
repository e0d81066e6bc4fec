/**
 * Definitions of external-command metrics (METRIC_COMMANDS, docs/metrics.md "Command plugins").
 * Parsed strictly: a typo in a lab's config is reported by name on the leaderboard ("unavailable:
 * METRIC_COMMANDS: ...") instead of silently dropping a metric.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const NEEDS = ["renders", "referenceRenders", "metricGlb", "referenceGlb", "pointCloud", "prompt"] as const;

export const ZCommandScore = z
  .object({
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "letters, digits and _ (at most 40), starting with a letter"),
    label: z.string().min(1).max(80),
    higherIsBetter: z.boolean(),
    /** benchmark-compat §5: Uni3D failures count 0 ("zero"). */
    penalty: z.enum(["zero", "excluded"]).default("zero"),
  })
  .strict();

export const ZCommandMetric = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lower-case letters, digits and - (at most 40)"),
    label: z.string().min(1).max(80),
    /** Bump it when the command's model or preprocessing changes: old scores stay as their own rows. */
    version: z.string().min(1).max(40),
    /** argv; argv[0] an absolute path. Run without a shell; the job file's path is appended. */
    command: z
      .array(z.string().max(4096))
      .min(1)
      .refine((argv) => path.isAbsolute(argv[0]!), "command[0] must be an absolute path"),
    scores: z
      .array(ZCommandScore)
      .min(1)
      .max(16)
      .refine((s) => new Set(s.map((x) => x.key)).size === s.length, "score keys must be unique"),
    needs: z.array(z.enum(NEEDS)).min(1),
    timeoutMs: z.number().int().min(1_000).max(3_600_000).default(120_000),
    /** Extra environment for the command (e.g. UNI3D_REPO, HF_HUB_OFFLINE); nothing else is inherited. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(4096)).default({}),
    /** Network inside the sandbox; off unless the command must download (prefer local weights). */
    network: z.boolean().default(false),
    /** The host's /dev inside the sandbox (GPU device nodes, e.g. /dev/nvidia*); otherwise a minimal /dev. */
    gpu: z.boolean().default(false),
    /** What the command computes (model ids, preprocessing, pairing): stored with every score. */
    definition: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type CommandMetricConfig = z.infer<typeof ZCommandMetric>;

const ZCommandMetrics = z
  .array(ZCommandMetric)
  .refine((list) => new Set(list.map((c) => c.id)).size === list.length, "ids must be unique");

export type CommandConfigResult = { ok: true; commands: CommandMetricConfig[] } | { ok: false; reason: string };

/** `raw` is METRIC_COMMANDS: inline JSON, or the absolute path of a JSON file. */
export function parseCommandConfig(raw: string | undefined): CommandConfigResult {
  if (raw === undefined) return { ok: true, commands: [] };
  let text = raw;
  if (!raw.trimStart().startsWith("[")) {
    try {
      text = readFileSync(raw, "utf8");
    } catch (err) {
      return { ok: false, reason: `METRIC_COMMANDS: cannot read ${raw} (${(err as NodeJS.ErrnoException).code ?? "error"})` };
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "METRIC_COMMANDS: not valid JSON" };
  }
  const parsed = ZCommandMetrics.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `METRIC_COMMANDS: ${issue.path.join(".") || "(list)"}: ${issue.message}` };
  }
  return { ok: true, commands: parsed.data };
}
