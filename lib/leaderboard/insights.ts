/**
 * What the leaderboard's charts need beyond the table: the rating history of a scope and the
 * head-to-head tables of its latest snapshot. Everything comes from stored snapshots, so the
 * charts always agree with the table.
 */
import "server-only";
import { db } from "@/lib/db";
import { scopeKey, type RatingScope } from "@/lib/ratings/scope";
import { snapshotParams } from "@/lib/ratings/snapshot-params";

/** Enough points for a readable line; older history is already thinned to hourly. */
const HISTORY_SNAPSHOTS = 240;

export interface HistorySeries {
  model: string;
  displayName: string;
  points: { t: number; y: number; low: number; high: number }[];
}

export async function ratingHistory(scope: RatingScope): Promise<HistorySeries[]> {
  const snapshots = await db().ratingSnapshot.findMany({
    where: { scope: scopeKey(scope) },
    orderBy: { computedAt: "desc" },
    take: HISTORY_SNAPSHOTS,
    select: {
      computedAt: true,
      // The main board only: groups are on scales of their own, and unrated models have no rating.
      entries: { where: { board: 0 }, select: { elo: true, ciLow: true, ciHigh: true, contestant: { select: { slug: true, displayName: true, status: true } } } },
    },
  });
  const series = new Map<string, HistorySeries>();
  for (const s of snapshots.reverse()) {
    for (const e of s.entries) {
      if (e.contestant.status === "hidden") continue;
      const line = series.get(e.contestant.slug) ?? { model: e.contestant.slug, displayName: e.contestant.displayName, points: [] };
      line.points.push({ t: s.computedAt.getTime(), y: e.elo, low: e.ciLow, high: e.ciHigh });
      series.set(e.contestant.slug, line);
    }
  }
  return [...series.values()];
}

export interface HeadToHead {
  /** Rated models in leaderboard order (board by board, highest Elo first). */
  models: { model: string; displayName: string }[];
  /** winRate[r][c]: share of row's battles against column it won (ties/both-bad half); null if none. */
  winRate: (number | null)[][];
  /** battles[r][c]: votes between row and column; null on the diagonal. */
  battles: (number | null)[][];
}

export async function headToHead(scope: RatingScope): Promise<HeadToHead | null> {
  const snapshot = await db().ratingSnapshot.findFirst({
    where: { scope: scopeKey(scope) },
    orderBy: { computedAt: "desc" },
    select: {
      params: true,
      entries: { select: { contestantId: true, elo: true, board: true, contestant: { select: { slug: true, displayName: true, status: true } } } },
    },
  });
  // Snapshots of scopes with more models than a heatmap can show carry no pair table.
  const pairs = snapshot ? snapshotParams(snapshot.params)?.pairs : undefined;
  if (!snapshot || !pairs) return null;
  const entries = snapshot.entries.filter((e) => e.contestant.status !== "hidden").sort((x, y) => x.board - y.board || y.elo - x.elo);
  const index = new Map(entries.map((e, k) => [e.contestantId, k]));
  const n = entries.length;
  const wins = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const total = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const p of pairs) {
    const a = index.get(p.a);
    const b = index.get(p.b);
    if (a === undefined || b === undefined) continue;
    const half = 0.5 * (p.ties + p.bothBad);
    const count = p.winsA + p.winsB + p.ties + p.bothBad;
    wins[a]![b] = p.winsA + half;
    wins[b]![a] = p.winsB + half;
    total[a]![b] = total[b]![a] = count;
  }
  return {
    models: entries.map((e) => ({ model: e.contestant.slug, displayName: e.contestant.displayName })),
    winRate: wins.map((row, r) => row.map((w, c) => (r === c || total[r]![c] === 0 ? null : w / total[r]![c]!))),
    battles: total.map((row, r) => row.map((t, c) => (r === c ? null : t))),
  };
}
