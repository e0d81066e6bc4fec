/**
 * Pareto frontier for "cheaper is better, higher is better": the points no other point beats on
 * both x (cost, lower wins) and y (Elo, higher wins). Returned by ascending x, so y ascends too
 * and the result can be drawn as a staircase.
 *
 * Ties: among points with equal x only the highest y can be on the frontier; exact duplicates
 * (same x and y) keep the first one in input order, so every frontier step is a single point.
 * Points with a non-finite coordinate are ignored.
 */
export function paretoFrontier<T extends { x: number; y: number }>(points: readonly T[]): T[] {
  const sorted = points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    // Stable sort: cheapest first, and the best y first within a cost.
    .toSorted((a, b) => a.x - b.x || b.y - a.y);
  const frontier: T[] = [];
  let bestY = -Infinity;
  for (const p of sorted) {
    // A point must beat every cheaper-or-equal point on y, otherwise one of them dominates it.
    if (p.y > bestY) {
      frontier.push(p);
      bestY = p.y;
    }
  }
  return frontier;
}
