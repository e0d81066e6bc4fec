/**
 * The metric.score job id: one per (generation, metric, version). BullMQ refuses ':' in custom ids
 * and registry ids may hold one ("command:uni3d"), hence the encoding.
 */
import { metricPlugin } from "./registry";

export function metricJobId(generationId: string, metric: string): string {
  const version = metricPlugin(metric)?.version ?? "unregistered";
  const enc = (s: string) => encodeURIComponent(s).replace(/%/g, "~");
  return `metric.score__${generationId}__${enc(metric)}__${enc(version)}`;
}
