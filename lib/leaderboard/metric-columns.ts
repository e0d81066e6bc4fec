/**
 * Registry metrics on the leaderboard (issue 16 part 5): which metrics exist and why some cannot
 * run (the registry), per-model conditional and penalised means of their scores (aggregated in
 * PostgreSQL over MetricScore rows, never read row by row), and every metric's rank correlation
 * with human Elo. Read inside readLeaderboard, so the API's rendered-JSON cache (cache.ts) and its
 * refresh interval cover these as they cover Exec and Chamfer.
 *
 * No `import "server-only"`: the integration tests read boards from plain Node (like read.ts).
 */
import { db, Prisma } from "@/lib/db";
import type { LeaderboardEntry, LeaderboardMetric, MetricCorrelation, MetricScoreCell } from "@/lib/contracts";
import { rankCorrelation } from "@/lib/math/rank-correlation";
import { scoreMeans } from "@/lib/metrics/means";
import { metricPlugins } from "@/lib/metrics/registry";

export function metricColumnId(metric: string, key: string): string {
  return `${metric}/${key}`;
}

/** Every registered metric with its availability, checked now (weights and commands can come and go). */
export async function leaderboardMetrics(): Promise<LeaderboardMetric[]> {
  return Promise.all(
    metricPlugins().map(async (p) => {
      const a = await p.availability();
      return {
        id: p.id,
        label: p.label,
        version: p.version,
        available: a.available,
        reason: a.available ? null : a.reason,
        scores: p.scores.map((s) => ({ column: metricColumnId(p.id, s.key), key: s.key, label: s.label, higherIsBetter: s.higherIsBetter, penalty: s.penalty })),
      };
    }),
  );
}

export interface GenerationFilter {
  track: "text" | "image" | "all";
  /** Category ids of the scope's tag, or null for every category. */
  categories: string[] | null;
  /** One model only (its page). */
  contestantId?: string;
}

/**
 * contestantId -> column -> means, for the available metrics' current versions. Two grouped
 * queries: rows per (model, metric, version) and value sums per score key; plus finished outputs
 * per model for the coverage figure.
 */
export async function metricScoreCells(metrics: LeaderboardMetric[], filter: GenerationFilter): Promise<Map<string, Record<string, MetricScoreCell>>> {
  const live = metrics.filter((m) => m.available && m.scores.length > 0);
  const out = new Map<string, Record<string, MetricScoreCell>>();
  if (live.length === 0) return out;
  const conditions: Prisma.Sql[] = [Prisma.sql`g."status" IN ('ready', 'failed')`];
  if (filter.track !== "all") conditions.push(Prisma.sql`g."track" = ${filter.track}::"Track"`);
  if (filter.categories) conditions.push(Prisma.sql`g."categoryId" = ANY(${filter.categories})`);
  if (filter.contestantId) conditions.push(Prisma.sql`g."contestantId" = ${filter.contestantId}`);
  const where = Prisma.join(conditions, " AND ");
  const versions = Prisma.join(live.map((m) => Prisma.sql`(${m.id}, ${m.version})`));

  // As in the benchmark, conditional means take outputs scored on all their views: a plugin that
  // scored only some views says so with details.complete = false (lib/metrics/image). Rows without
  // the flag (command plugins) are complete.
  const COMPLETE = Prisma.sql`coalesce(m."details" -> 'complete' <> 'false'::jsonb, true)`;
  const [rows, sums, outputs] = await Promise.all([
    db().$queryRaw<{ contestantId: string; metric: string; scored: number }[]>(Prisma.sql`
      SELECT g."contestantId", m."metric", count(*)::int AS "scored"
      FROM "MetricScore" m JOIN "Generation" g ON g."id" = m."generationId"
      WHERE ${where} AND (m."metric", m."version") IN (${versions})
      GROUP BY 1, 2`),
    db().$queryRaw<{ contestantId: string; metric: string; key: string; withValue: number; sum: number; completeWithValue: number; completeSum: number }[]>(Prisma.sql`
      SELECT g."contestantId", m."metric", v."key", count(*)::int AS "withValue", sum((v."value")::text::float8) AS "sum",
        count(*) FILTER (WHERE ${COMPLETE})::int AS "completeWithValue",
        coalesce(sum((v."value")::text::float8) FILTER (WHERE ${COMPLETE}), 0) AS "completeSum"
      FROM "MetricScore" m JOIN "Generation" g ON g."id" = m."generationId", jsonb_each(m."values") v
      WHERE ${where} AND (m."metric", m."version") IN (${versions}) AND m."status" = 'ok' AND jsonb_typeof(v."value") = 'number'
      GROUP BY 1, 2, 3`),
    db().$queryRaw<{ contestantId: string; outputs: number }[]>(Prisma.sql`
      SELECT g."contestantId", count(*)::int AS "outputs" FROM "Generation" g WHERE ${where} GROUP BY 1`),
  ]);
  const outputsOf = new Map(outputs.map((o) => [o.contestantId, o.outputs]));
  const sumOf = new Map(sums.map((s) => [`${s.contestantId}\u0000${s.metric}\u0000${s.key}`, s]));
  for (const r of rows) {
    const metric = live.find((m) => m.id === r.metric)!;
    const cells = out.get(r.contestantId) ?? {};
    for (const s of metric.scores) {
      const agg = sumOf.get(`${r.contestantId}\u0000${r.metric}\u0000${s.key}`);
      cells[s.column] = scoreMeans(
        { scored: r.scored, withValue: agg?.withValue ?? 0, sum: agg?.sum ?? 0, completeWithValue: agg?.completeWithValue ?? 0, completeSum: agg?.completeSum ?? 0 },
        s.penalty, outputsOf.get(r.contestantId) ?? 0);
    }
    out.set(r.contestantId, cells);
  }
  return out;
}

/** Rank correlations with Elo over the given (main-board) entries: Exec, Chamfer, then every registry score. */
export function metricCorrelations(entries: LeaderboardEntry[], metrics: LeaderboardMetric[]): MetricCorrelation[] {
  const elo = entries.map((e) => e.elo);
  const column = (
    id: string,
    label: string,
    mean: "penalised" | "conditional",
    higherIsBetter: boolean,
    value: (e: LeaderboardEntry) => number | null,
  ): MetricCorrelation => {
    const r = rankCorrelation(entries.map((e) => value(e) ?? NaN), elo);
    return { column: id, label, mean, higherIsBetter, n: r.n, rho: r.rho, ciLow: r.ciLow, ciHigh: r.ciHigh, note: r.note };
  };
  const out: MetricCorrelation[] = [
    column("execRate", "Exec rate", "penalised", true, (e) => e.execRate),
    column("chamfer", "Chamfer", "penalised", false, (e) => e.chamfer),
    column("chamferRotMin", "Chamfer (rotation search)", "penalised", false, (e) => e.chamferRotMin),
  ];
  for (const m of metrics) {
    for (const s of m.scores) {
      const mean = s.penalty === "zero" ? "penalised" : "conditional";
      const label = `${m.label}: ${s.label}`;
      if (!m.available) {
        out.push({ column: s.column, label, mean, higherIsBetter: s.higherIsBetter, n: 0, rho: null, ciLow: null, ciHigh: null, note: `unavailable: ${m.reason}` });
      } else {
        out.push(column(s.column, label, mean, s.higherIsBetter, (e) => e.metricScores[s.column]?.[mean] ?? null));
      }
    }
    if (!m.available && m.scores.length === 0) {
      out.push({ column: m.id, label: m.label, mean: "penalised", higherIsBetter: true, n: 0, rho: null, ciLow: null, ciHigh: null, note: `unavailable: ${m.reason}` });
    }
  }
  return out;
}
