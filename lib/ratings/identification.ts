/**
 * Which ratings the votes identify (house rule 15).
 *
 * The Bradley-Terry MLE of a set of models exists, and is unique up to a common shift, iff their
 * "beats" digraph is strongly connected (Zermelo 1929; Ford 1957): an edge i -> j whenever i has
 * any win or half-win over j (a tie or both_bad is half a win each way). So each strongly connected
 * component of two or more models can be rated on a scale of its own, and nothing links the scales
 * of two components: votes between components all point one way, so their MLE gap is infinite.
 * A model in a component of its own (never lost, never won, or results that all point one way) has
 * no finite rating at all. Such models are listed with their record, never ranked and never used to
 * centre a scale, so a newcomer with 40 wins out of 40 cannot move anybody.
 */
import type { PairCounts } from "@/lib/ratings/pair-counts";

/** Why a model has no identified rating. */
export type UnidentifiedReason =
  /** Only wins (no loss and no tie yet). */
  | "no-loss"
  /** Only losses (no win and no tie yet). */
  | "no-win"
  /** Wins and losses, but against models that are not linked back to each other. */
  | "one-way"
  /** In a component that can be rated, but with fewer votes than an interval needs. */
  | "few-votes"
  /** In a component, but its votes measure no spread yet (only draws): no interval can be given. */
  | "no-interval";

export interface Identification {
  /** Strongly connected components of >= 2 models (model indices, ascending), biggest first. */
  components: number[][];
  /** component[k]: index into `components`, or -1 for a model in no such component. */
  component: Int32Array;
}

/**
 * Components of the beats digraph of `counts` (Tarjan's algorithm, iterative). Components are
 * ordered by size, then by in-component votes, then by their smallest model id, so the order does
 * not depend on vote order.
 */
export function identify(counts: PairCounts): Identification {
  const n = counts.ids.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const p of counts.pairs) {
    const half = p.ties + p.bothBad;
    if (p.winsI + half > 0) out[p.i]!.push(p.j);
    if (p.winsJ + half > 0) out[p.j]!.push(p.i);
  }
  const sccs = tarjan(n, out);
  const component = new Int32Array(n).fill(-1);
  const big = sccs.filter((c) => c.length >= 2).map((c) => c.sort((a, b) => a - b));
  // Votes inside each component, in one pass over the pairs.
  const provisional = new Int32Array(n).fill(-1);
  big.forEach((c, k) => c.forEach((g) => (provisional[g] = k)));
  const inside = new Float64Array(big.length);
  for (const p of counts.pairs) {
    const k = provisional[p.i]!;
    if (k >= 0 && k === provisional[p.j]) inside[k]! += p.winsI + p.winsJ + p.ties + p.bothBad;
  }
  const votes = new Map(big.map((c, k) => [c, inside[k]!]));
  big.sort((x, y) => y.length - x.length || votes.get(y)! - votes.get(x)! || x[0]! - y[0]!);
  big.forEach((c, k) => c.forEach((g) => (component[g] = k)));
  return { components: big, component };
}

/** Tarjan's strongly connected components without recursion (a long chain would overflow the stack). */
function tarjan(n: number, out: number[][]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const result: number[][] = [];
  let next = 0;
  const edgePos = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const call: number[] = [root];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (call.length > 0) {
      const v = call[call.length - 1]!;
      const edges = out[v]!;
      if (edgePos[v]! < edges.length) {
        const w = edges[edgePos[v]!++]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          call.push(w);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      call.pop();
      if (call.length > 0) {
        const parent = call[call.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          members.push(w);
        } while (w !== v);
        result.push(members);
      }
    }
  }
  return result;
}

/**
 * Why model `k` (outside every component) is not identified: only wins, only losses, or results in
 * both directions that do not close a loop.
 */
export function unidentifiedReason(counts: PairCounts, k: number): Exclude<UnidentifiedReason, "few-votes" | "no-interval"> {
  const t = counts.tallies[k]!;
  const drawn = t.ties + t.bothBad;
  if (t.losses === 0 && drawn === 0) return "no-loss";
  if (t.wins === 0 && drawn === 0) return "no-win";
  return "one-way";
}

/** The models `k` has met, as indices. */
export function opponentsOf(counts: PairCounts, k: number): number[] {
  const seen: number[] = [];
  for (const p of counts.pairs) {
    if (p.i === k) seen.push(p.j);
    else if (p.j === k) seen.push(p.i);
  }
  return seen.sort((a, b) => a - b);
}
