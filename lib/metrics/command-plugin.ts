/**
 * The external-command metric family (issue 16 part 3; protocol in docs/metrics.md "Command
 * plugins"). Each METRIC_COMMANDS entry becomes a plugin `command:<id>`: the arena writes a job
 * file (inputs copied into a read-only folder, coloured point clouds sampled from the GLBs), runs
 * the command on it, and accepts only a result that follows the strict schema below. Anything
 * else is a failed outcome with a reason; nothing the command says is stored unless it parses.
 */
import { constants } from "node:fs";
import { statSync } from "node:fs";
import { access, copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { parseCommandConfig, type CommandMetricConfig } from "@/lib/metrics/command-config";
import { RESULT_MAX_BYTES, runMetricCommand } from "@/lib/metrics/command-run";
import { encodePly, sampleColouredCloud } from "@/lib/metrics/point-cloud";
import type { MetricAvailability, MetricInput, MetricNeed, MetricOutcome, MetricPlugin } from "@/lib/metrics/registry";
import { SAMPLE_COUNT, SAMPLE_SEED } from "@/lib/metrics/sampling";

export const PROTOCOL = "3dcodearena.metric-command/1";
/** GLBs bigger than this are not copied into a job (the arena's own exports are far smaller). */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;
const BWRAP_PATHS = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];

/** The command's answer: exactly the declared keys, finite numbers or null, or a failure it reports. */
export function resultSchema(keys: readonly string[]) {
  const values = z.object(Object.fromEntries(keys.map((k) => [k, z.number().finite().nullable()]))).strict();
  return z.discriminatedUnion("status", [
    z
      .object({
        protocol: z.literal(PROTOCOL),
        status: z.literal("ok"),
        values,
        details: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    z.object({ protocol: z.literal(PROTOCOL), status: z.literal("failed"), reason: z.string().min(1).max(500) }).strict(),
  ]);
}

/** Parses the result bytes; a readable reason for anything that is not the protocol's answer. */
export function parseResult(bytes: Uint8Array, keys: readonly string[]): MetricOutcome {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { status: "failed", reason: "result file is not JSON" };
  }
  const parsed = resultSchema(keys).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join(".") || "(result)";
    return { status: "failed", reason: `result does not follow the protocol: ${where}: ${issue.message}`.slice(0, 400) };
  }
  const r = parsed.data;
  if (r.status === "failed") return { status: "failed", reason: `command reported: ${r.reason}` };
  return { status: "ok", values: r.values as Record<string, number | null>, ...(r.details ? { details: r.details } : {}) };
}

function findBwrap(): string | null {
  return BWRAP_PATHS.find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  }) ?? null;
}

/** What the job resolves for a command: a point cloud is sampled here from both GLBs. */
function jobNeeds(config: CommandMetricConfig): MetricNeed[] {
  const needs = new Set<MetricNeed>(config.needs);
  if (needs.has("pointCloud")) {
    needs.add("metricGlb");
    needs.add("referenceGlb");
  }
  return [...needs];
}

async function copyInput(source: string | null | undefined, dir: string, name: string): Promise<string | null> {
  if (!source) return null;
  const st = await stat(source).catch(() => null);
  if (!st?.isFile() || st.size > MAX_INPUT_BYTES) return null;
  const dest = path.join(dir, name);
  await copyFile(source, dest);
  return dest;
}

async function writeCloud(glbPath: string | null | undefined, dir: string, name: string): Promise<{ path: string | null; reason?: string }> {
  if (!glbPath) return { path: null };
  const st = await stat(glbPath).catch(() => null);
  if (!st?.isFile() || st.size > MAX_INPUT_BYTES) return { path: null, reason: "GLB missing or too large" };
  const sampled = await sampleColouredCloud(new Uint8Array(await readFile(glbPath)));
  if (!sampled.ok) return { path: null, reason: sampled.reason };
  const dest = path.join(dir, name);
  await writeFile(dest, encodePly(sampled.cloud));
  return { path: dest };
}

export class CommandMetricPlugin implements MetricPlugin {
  readonly id: string;
  readonly label: string;
  readonly version: string;
  readonly needs: readonly MetricNeed[];
  readonly scores;

  constructor(private readonly config: CommandMetricConfig) {
    this.id = `command:${config.id}`;
    this.label = config.label;
    this.version = config.version;
    this.needs = jobNeeds(config);
    this.scores = config.scores;
  }

  async availability(): Promise<MetricAvailability> {
    const exe = this.config.command[0]!;
    const st = await stat(exe).catch(() => null);
    if (!st) return { available: false, reason: `command ${exe} not found` };
    if (!st.isFile()) return { available: false, reason: `command ${exe} is not a file` };
    try {
      await access(exe, constants.X_OK);
    } catch {
      return { available: false, reason: `command ${exe} is not executable` };
    }
    if (getEnv().METRIC_COMMAND_SANDBOX === "bwrap" && !findBwrap()) {
      return { available: false, reason: "bubblewrap (bwrap) is not installed; install it or set METRIC_COMMAND_SANDBOX=none" };
    }
    return { available: true };
  }

  async definition(): Promise<Record<string, unknown>> {
    return {
      kind: "command",
      protocol: PROTOCOL,
      command: this.config.command,
      version: this.config.version,
      scores: this.config.scores,
      pointCloud: this.config.needs.includes("pointCloud") ? { points: SAMPLE_COUNT, seed: SAMPLE_SEED, colour: "face colour (COLOR_0 mean, else base colour, else grey 0.4)", frame: "GLB (Y-up), not normalised" } : null,
      sandbox: getEnv().METRIC_COMMAND_SANDBOX,
      network: this.config.network,
      gpu: this.config.gpu,
      ...this.config.definition,
    };
  }

  async compute(input: MetricInput): Promise<MetricOutcome> {
    const root = path.join(input.workDir, `command-${this.config.id}`);
    const inDir = path.join(root, "in");
    const outDir = path.join(root, "out");
    await mkdir(inDir, { recursive: true });
    await mkdir(outDir, { recursive: true });
    const needs = new Set(this.config.needs);

    const inputs: Record<string, unknown> = {};
    if (needs.has("pointCloud")) {
      const mine = await writeCloud(input.metricGlb, inDir, "generated.ply");
      if (!mine.path) return { status: "failed", reason: input.metricGlb ? `no point cloud: ${mine.reason}` : "no metric GLB for this output" };
      const ref = await writeCloud(input.referenceGlb, inDir, "reference.ply");
      inputs.pointCloud = mine.path;
      inputs.referencePointCloud = ref.path;
    }
    if (needs.has("metricGlb")) inputs.metricGlb = await copyInput(input.metricGlb, inDir, "generated.glb");
    if (needs.has("referenceGlb")) inputs.referenceGlb = await copyInput(input.referenceGlb, inDir, "reference.glb");
    if (needs.has("renders")) {
      inputs.renders = await Promise.all((input.renders ?? []).map((p, k) => copyInput(p, inDir, `render-${k}.png`)));
    }
    if (needs.has("referenceRenders")) {
      inputs.referenceRenders = await Promise.all((input.referenceRenders ?? []).map((p, k) => copyInput(p, inDir, `reference-${k}.png`)));
    }
    if (needs.has("prompt")) inputs.prompt = input.prompt ?? null;

    const resultFile = path.join(outDir, "result.json");
    const jobFile = path.join(inDir, "job.json");
    const job = {
      protocol: PROTOCOL,
      metric: this.id,
      version: this.version,
      generationId: input.generationId,
      track: input.track,
      scores: this.config.scores.map((s) => s.key),
      inputs,
      output: resultFile,
      resultMaxBytes: RESULT_MAX_BYTES,
    };
    await writeFile(jobFile, JSON.stringify(job, null, 2));

    const run = await runMetricCommand({
      argv: [...this.config.command, jobFile],
      env: this.config.env,
      timeoutMs: this.config.timeoutMs,
      sandbox: getEnv().METRIC_COMMAND_SANDBOX,
      network: this.config.network,
      gpu: this.config.gpu,
      inputDir: inDir,
      outputDir: outDir,
      resultFile,
    }, findBwrap() ?? undefined);
    const details = { wallMs: run.wallMs, ...(run.stderrTail ? { stderrTail: run.stderrTail.slice(-500) } : {}) };
    if (!run.ok) return { status: "failed", reason: run.reason, details };
    const outcome = parseResult(run.result, this.config.scores.map((s) => s.key));
    return { ...outcome, details: { ...(outcome.details ?? {}), ...details } };
  }
}

/** Unavailable stand-in for a METRIC_COMMANDS value that does not parse: says why, scores nothing. */
class InvalidCommandConfig implements MetricPlugin {
  readonly id = "command:config";
  readonly label = "Command metrics";
  readonly version = "0";
  readonly needs = [] as const;
  readonly scores = [] as const;
  constructor(private readonly reason: string) {}
  async availability(): Promise<MetricAvailability> {
    return { available: false, reason: this.reason };
  }
  async definition() {
    return { kind: "command", error: this.reason };
  }
  async compute(): Promise<MetricOutcome> {
    return { status: "failed", reason: this.reason };
  }
}

/** The family registered in lib/metrics/registry.ts. */
export function commandMetricPlugins(): MetricPlugin[] {
  const parsed = parseCommandConfig(getEnv().METRIC_COMMANDS);
  if (!parsed.ok) return [new InvalidCommandConfig(parsed.reason)];
  return parsed.commands.map((c) => new CommandMetricPlugin(c));
}
