/**
 * Aggregates raw arena votes into per-pair outcome counts, the only input the
 * rating fit and the bootstrap need (docs/benchmark.md §8 vote vocabulary).
 */
import type { Outcome } from "@/lib/contracts";

/** One vote; `a` and `b` are model ids in the order they were displayed. */
export interface Vote {
  a: string;
  b: string;
  outcome: Outcome;
  /** Identical votes already counted together (e.g. by a SQL GROUP BY); default 1. */
  count?: number;
}

/** Counts for one unordered pair; `i < j` index into `PairCounts.ids`. */
export interface PairCount {
  i: number;
  j: number;
  winsI: number;
  winsJ: number;
  ties: number;
  bothBad: number;
}

export interface ModelTally {
  id: string;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  votes: number;
}

export interface PairCounts {
  /** Model ids, sorted so that the result does not depend on vote order. */
  ids: string[];
  /** Pairs with at least one vote, sorted by (i, j). */
  pairs: PairCount[];
  /** Per-model totals, parallel to `ids`. */
  tallies: ModelTally[];
  /** Votes counted (self-pairs excluded). */
  voteCount: number;
  /** Votes with a === b: they carry no comparison, so they are dropped rather than guessed at. */
  skipped: number;
}

export function aggregateVotes(votes: readonly Vote[]): PairCounts {
  const idSet = new Set<string>();
  for (const v of votes) {
    if (v.a !== v.b) {
      idSet.add(v.a);
      idSet.add(v.b);
    }
  }
  // Plain code-unit order, not localeCompare: the order must not depend on the host locale.
  const ids = [...idSet].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const index = new Map(ids.map((id, k) => [id, k] as const));
  const n = ids.length;
  const tallies: ModelTally[] = ids.map((id) => ({ id, wins: 0, losses: 0, ties: 0, bothBad: 0, votes: 0 }));
  const byKey = new Map<number, PairCount>();
  let skipped = 0;

  let counted = 0;
  for (const v of votes) {
    const w = v.count ?? 1;
    if (v.a === v.b) {
      skipped += w;
      continue;
    }
    counted += w;
    const ia = index.get(v.a)!;
    const ib = index.get(v.b)!;
    const [i, j] = ia < ib ? [ia, ib] : [ib, ia];
    const key = i * n + j;
    let pair = byKey.get(key);
    if (!pair) {
      pair = { i, j, winsI: 0, winsJ: 0, ties: 0, bothBad: 0 };
      byKey.set(key, pair);
    }
    const ta = tallies[ia]!;
    const tb = tallies[ib]!;
    ta.votes += w;
    tb.votes += w;
    switch (v.outcome) {
      case "a":
        if (ia === i) pair.winsI += w;
        else pair.winsJ += w;
        ta.wins += w;
        tb.losses += w;
        break;
      case "b":
        if (ib === i) pair.winsI += w;
        else pair.winsJ += w;
        tb.wins += w;
        ta.losses += w;
        break;
      case "tie":
        pair.ties += w;
        ta.ties += w;
        tb.ties += w;
        break;
      case "both_bad":
        pair.bothBad += w;
        ta.bothBad += w;
        tb.bothBad += w;
        break;
      default: {
        const never: never = v.outcome;
        throw new Error(`unknown vote outcome: ${String(never)}`);
      }
    }
  }

  const pairs = [...byKey.values()].sort((p, q) => p.i - q.i || p.j - q.j);
  return { ids, pairs, tallies, voteCount: counted, skipped };
}

/** Outcome counts of one model pair as stored per scope (ScopePairCount): lo < hi in code-unit order. */
export interface PairCountRow {
  lo: string;
  hi: string;
  winsLo: number;
  winsHi: number;
  ties: number;
  bothBad: number;
}

/** The stored form of `counts`: one row per model pair, lo < hi (the inverse of pairCountsFromRows). */
export function pairRows(counts: PairCounts): PairCountRow[] {
  return counts.pairs.map((p) => ({ lo: counts.ids[p.i]!, hi: counts.ids[p.j]!, winsLo: p.winsI, winsHi: p.winsJ, ties: p.ties, bothBad: p.bothBad }));
}

/** PairCounts from per-pair rows (pairs without votes are dropped); equal to aggregateVotes of the same votes. */
export function pairCountsFromRows(rows: readonly PairCountRow[]): PairCounts {
  const live = rows.filter((r) => r.winsLo + r.winsHi + r.ties + r.bothBad > 0 && r.lo !== r.hi);
  const ids = [...new Set(live.flatMap((r) => [r.lo, r.hi]))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const index = new Map(ids.map((id, k) => [id, k] as const));
  const tallies: ModelTally[] = ids.map((id) => ({ id, wins: 0, losses: 0, ties: 0, bothBad: 0, votes: 0 }));
  let voteCount = 0;
  const pairs: PairCount[] = live.map((r) => {
    const [a, b] = [index.get(r.lo)!, index.get(r.hi)!];
    // Stored lo < hi in the same code-unit order as ids, so a < b; swap defensively otherwise.
    const [i, j, winsI, winsJ] = a < b ? [a, b, r.winsLo, r.winsHi] : [b, a, r.winsHi, r.winsLo];
    const total = r.winsLo + r.winsHi + r.ties + r.bothBad;
    voteCount += total;
    for (const [k, won, lost] of [[i, winsI, winsJ], [j, winsJ, winsI]] as const) {
      const t = tallies[k]!;
      t.wins += won;
      t.losses += lost;
      t.ties += r.ties;
      t.bothBad += r.bothBad;
      t.votes += total;
    }
    return { i, j, winsI, winsJ, ties: r.ties, bothBad: r.bothBad };
  });
  pairs.sort((p, q) => p.i - q.i || p.j - q.j);
  return { ids, pairs, tallies, voteCount, skipped: 0 };
}
