/**
 * Existence test for the Bradley-Terry MLE (Zermelo 1929; Ford 1957): with an edge i -> j whenever
 * i has won at least half a game against j, the MLE is finite and unique up to a shift iff this
 * directed graph is strongly connected.
 */

/** Pairs (pi[p], pj[p]) with win weights wi[p] (pi over pj) and wj[p]; m models. */
export function stronglyConnected(
  m: number,
  pi: Int32Array,
  pj: Int32Array,
  wi: Float64Array,
  wj: Float64Array,
): boolean {
  const out: number[][] = Array.from({ length: m }, () => []);
  const back: number[][] = Array.from({ length: m }, () => []);
  const edge = (a: number, b: number): void => {
    out[a]!.push(b);
    back[b]!.push(a);
  };
  for (let p = 0; p < pi.length; p++) {
    if (wi[p]! > 0) edge(pi[p]!, pj[p]!);
    if (wj[p]! > 0) edge(pj[p]!, pi[p]!);
  }
  const reachesAll = (adj: number[][]): boolean => {
    const seen = new Uint8Array(m);
    const stack = [0];
    seen[0] = 1;
    let count = 1;
    while (stack.length > 0) {
      for (const v of adj[stack.pop()!]!) {
        if (seen[v]) continue;
        seen[v] = 1;
        count++;
        stack.push(v);
      }
    }
    return count === m;
  };
  return reachesAll(out) && reachesAll(back);
}
