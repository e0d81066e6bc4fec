/**
 * One output's registry metrics as label/value lines for staff pages: the stored row of each
 * plugin's current version, else why there is none (unavailable here, or not computed yet).
 */
import { db } from "@/lib/db";
import { metricPlugins } from "./registry";

export async function metricLines(generationId: string, track: "text" | "image"): Promise<[string, string][]> {
  const rows = await db().metricScore.findMany({ where: { generationId }, select: { metric: true, version: true, status: true, values: true, details: true } });
  const lines: [string, string][] = [];
  for (const plugin of metricPlugins()) {
    if (plugin.tracks && !plugin.tracks.includes(track)) continue;
    const row = rows.find((r) => r.metric === plugin.id && r.version === plugin.version);
    if (row?.status === "ok") {
      const values = row.values as Record<string, number | null>;
      lines.push([plugin.label, plugin.scores.map((s) => `${s.key} ${typeof values[s.key] === "number" ? values[s.key]!.toFixed(4) : "—"}`).join(", ")]);
    } else if (row) {
      lines.push([plugin.label, `failed: ${String((row.details as { reason?: unknown } | null)?.reason ?? "no reason recorded")}`]);
    } else {
      const avail = await plugin.availability();
      lines.push([plugin.label, avail.available ? "not computed yet" : `unavailable: ${avail.reason}`]);
    }
  }
  return lines;
}
