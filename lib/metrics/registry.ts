/**
 * The metric registry (issue 16): every automated metric beyond Exec and Chamfer is a plugin that
 * declares what it needs, its version, the scores it produces and whether it can run on this host.
 * Scoring runs each available plugin for a generation as its own `metric.score` job and stores one
 * MetricScore row per (generation, metric, version). An unavailable plugin stores nothing and says
 * why; no value is ever estimated for it (benchmark-compat §5).
 *
 * Exec and Chamfer stay where they are (Generation columns, lib/metrics/chamfer.ts): they are the
 * arena's own and every board already reads them.
 */
import { commandMetricPlugins } from "@/lib/metrics/command-plugin";
import { imageMetricPlugins } from "./image/plugins";

/** Inputs a plugin can ask for; the job resolves only what the plugin lists. */
export type MetricNeed =
  | "renders" // the generation's four benchmark views (PNG)
  | "referenceRenders" // the category's four reference views (PNG)
  | "metricGlb" // the generation's metric GLB
  | "referenceGlb" // the category's reference GLB
  | "pointCloud" // points with colour sampled from the metric GLB
  | "prompt"; // the category's caption (Text -> 3D prompt)

export interface MetricScoreKey {
  /** Key in MetricScore.values, e.g. "paired". */
  key: string;
  /** Column label, e.g. "SigLIP-2 view-paired". */
  label: string;
  higherIsBetter: boolean;
  /**
   * How an output without this score counts in the penalised mean: "zero" (missing views count 0,
   * benchmark-compat §5) or "excluded" (no penalised mean is defined for the score).
   */
  penalty: "zero" | "excluded";
}

export type MetricAvailability = { available: true } | { available: false; reason: string };

export interface MetricInput {
  generationId: string;
  track: "text" | "image";
  /** Local file paths of what the plugin listed in `needs` (null when the output has none). */
  renders?: (string | null)[];
  referenceRenders?: (string | null)[];
  metricGlb?: string | null;
  referenceGlb?: string | null;
  pointCloud?: string | null;
  prompt?: string | null;
  /** A scratch directory the job removes afterwards. */
  workDir: string;
}

export type MetricOutcome =
  | { status: "ok"; values: Record<string, number | null>; details?: Record<string, unknown> }
  | { status: "failed"; reason: string; details?: Record<string, unknown> };

export interface MetricPlugin {
  /** Stable registry id, e.g. "siglip2-image" or "command:uni3d". */
  id: string;
  label: string;
  version: string;
  needs: readonly MetricNeed[];
  /** Tracks the metric is defined on; all when absent (e.g. text-image: Text -> 3D only). */
  tracks?: readonly ("text" | "image")[];
  scores: readonly MetricScoreKey[];
  /** Checked on every use: weights or commands can appear or vanish while the arena runs. */
  availability(): Promise<MetricAvailability>;
  /** The exact definition stored with every score: model id, weights hash, preprocessing, pairing. */
  definition(): Promise<Record<string, unknown>>;
  compute(input: MetricInput): Promise<MetricOutcome>;
}

/** Each entry builds the plugins of one family from the environment. */
const FAMILIES: ReadonlyArray<() => MetricPlugin[]> = [imageMetricPlugins, commandMetricPlugins];

let cached: MetricPlugin[] | null = null;

/** Every registered plugin, available or not, in display order. */
export function metricPlugins(): MetricPlugin[] {
  cached ??= FAMILIES.flatMap((family) => family());
  return cached;
}

/** For tests that change the environment between cases. */
export function resetMetricPlugins(): void {
  cached = null;
}

export function metricPlugin(id: string): MetricPlugin | null {
  return metricPlugins().find((p) => p.id === id) ?? null;
}
