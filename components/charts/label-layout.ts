/**
 * Greedy placement of point labels: each label tries a few spots around its point (right, left,
 * above, below, diagonals, then the same further out with a leader line) and takes the one that
 * overlaps least with labels already placed, other marks and the plot edge. Not a solver, but it
 * removes the collisions that make a scatter of ~10-30 named points unreadable.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LabelRequest {
  x: number;
  y: number;
  /** Marker radius: labels keep clear of it. */
  r: number;
  width: number;
}

export interface PlacedLabel {
  x: number;
  /** Text baseline. */
  y: number;
  anchor: "start" | "middle" | "end";
  box: Box;
  /** Set when the label sits away from its point and needs a connecting line. */
  leader?: { x1: number; y1: number; x2: number; y2: number };
}

const ASCENT = 8.5;
const DESCENT = 2.5;

export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[], bounds: Box): PlacedLabel[] {
  const placed: (PlacedLabel | undefined)[] = new Array(requests.length);
  const taken: Box[] = [];
  // Crowded points pick first, while they still have room; isolated ones fit anywhere later.
  const order = requests
    .map((r, i) => ({ i, crowd: requests.filter((o) => Math.hypot(o.x - r.x, o.y - r.y) < 70).length }))
    .sort((a, b) => b.crowd - a.crowd || a.i - b.i);

  for (const { i } of order) {
    const req = requests[i]!;
    let best: PlacedLabel | undefined;
    let bestCost = Infinity;
    candidates(req).forEach((cand, rank) => {
      // Any clash with another label or the edge costs more than moving out on a leader line;
      // grazing a mark (an error bar, the frontier) is tolerable and only costs its area.
      const clash = overlapSum(cand.box, taken);
      const out = outside(cand.box, bounds);
      const cost =
        (clash > 0 ? 1000 + 10 * clash : 0) +
        (out > 0 ? 500 + 6 * out : 0) +
        2 * overlapSum(cand.box, obstacles) +
        (cand.leader ? 40 : 0) +
        rank * 0.5;
      if (cost < bestCost) {
        bestCost = cost;
        best = cand;
      }
    });
    placed[i] = best!;
    taken.push(best!.box);
  }
  return placed as PlacedLabel[];
}

function candidates({ x, y, r, width }: LabelRequest): PlacedLabel[] {
  const out: PlacedLabel[] = [];
  for (const far of [false, true]) {
    const g = r + (far ? 16 : 4);
    const d = far ? g * 0.75 : g * 0.7;
    const spots: [number, number, PlacedLabel["anchor"]][] = [
      [x + g, y + 3.5, "start"],
      [x - g, y + 3.5, "end"],
      [x, y - g - DESCENT, "middle"],
      [x, y + g + ASCENT, "middle"],
      [x + d, y - d - DESCENT, "start"],
      [x + d, y + d + ASCENT, "start"],
      [x - d, y - d - DESCENT, "end"],
      [x - d, y + d + ASCENT, "end"],
    ];
    for (const [tx, ty, anchor] of spots) {
      const x0 = anchor === "start" ? tx : anchor === "end" ? tx - width : tx - width / 2;
      const box = { x0, y0: ty - ASCENT, x1: x0 + width, y1: ty + DESCENT };
      const label: PlacedLabel = { x: tx, y: ty, anchor, box };
      if (far) {
        // Aim the leader at the nearest point of the label box, starting at the marker's edge.
        const cx = Math.max(box.x0, Math.min(x, box.x1));
        const cy = Math.max(box.y0, Math.min(y, box.y1));
        const len = Math.hypot(cx - x, cy - y) || 1;
        label.leader = { x1: x + ((cx - x) / len) * (r + 1), y1: y + ((cy - y) / len) * (r + 1), x2: cx, y2: cy };
      }
      out.push(label);
    }
  }
  return out;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

function overlapSum(box: Box, others: readonly Box[]): number {
  let sum = 0;
  for (const o of others) sum += overlap(box, o);
  return sum;
}

function outside(box: Box, bounds: Box): number {
  const area = (box.x1 - box.x0) * (box.y1 - box.y0);
  return area - overlap(box, bounds);
}
