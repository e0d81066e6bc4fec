/**
 * Static 3-D k-d tree for nearest-neighbour queries (Chamfer needs 2 x 4 x 8,192 of them per
 * pair; brute force would be ~5e8 distance evaluations). Implicit layout: a node is an index range
 * [lo, hi), its split point sits at mid = (lo + hi) >> 1, children are [lo, mid) and [mid+1, hi).
 */

/** Ranges this small are scanned linearly: cheaper than descending further. */
const LEAF_SIZE = 8;

export interface Nearest {
  /** Index of the nearest point in the array given to the constructor. */
  index: number;
  /** Squared Euclidean distance to it. */
  dist2: number;
}

export class KdTree {
  /** Points reordered into tree order (packed xyz) for cache-friendly scans. */
  private readonly coords: Float64Array;
  /** Original index of each reordered point. */
  private readonly order: Uint32Array;
  /** Split axis of the node whose split point is at this position. */
  private readonly axis: Uint8Array;
  readonly size: number;

  private qx = 0;
  private qy = 0;
  private qz = 0;
  private best = Infinity;
  private bestAt = -1;

  /** `points`: packed xyz, finite values. */
  constructor(points: Float64Array) {
    this.size = Math.floor(points.length / 3);
    this.order = new Uint32Array(this.size);
    for (let k = 0; k < this.size; k++) this.order[k] = k;
    this.axis = new Uint8Array(this.size);
    this.build(points, 0, this.size);
    this.coords = new Float64Array(this.size * 3);
    for (let k = 0; k < this.size; k++) {
      const src = this.order[k]! * 3;
      this.coords[3 * k] = points[src]!;
      this.coords[3 * k + 1] = points[src + 1]!;
      this.coords[3 * k + 2] = points[src + 2]!;
    }
  }

  nearest(x: number, y: number, z: number): Nearest {
    if (this.size === 0) throw new Error("nearest() on an empty k-d tree");
    this.qx = x;
    this.qy = y;
    this.qz = z;
    this.best = Infinity;
    this.bestAt = -1;
    this.search(0, this.size);
    return { index: this.order[this.bestAt]!, dist2: this.best };
  }

  private build(points: Float64Array, lo: number, hi: number): void {
    if (hi - lo <= LEAF_SIZE) return;
    // Split on the widest extent of this range: robust for flat or elongated clouds.
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    for (let k = lo; k < hi; k++) {
      const o = this.order[k]! * 3;
      for (let a = 0; a < 3; a++) {
        const v = points[o + a]!;
        if (v < min[a]!) min[a] = v;
        if (v > max[a]!) max[a] = v;
      }
    }
    const spread = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
    const axis = spread[0]! >= spread[1]! && spread[0]! >= spread[2]! ? 0 : spread[1]! >= spread[2]! ? 1 : 2;
    const mid = (lo + hi) >> 1;
    this.select(points, axis, lo, hi - 1, mid);
    this.axis[mid] = axis;
    this.build(points, lo, mid);
    this.build(points, mid + 1, hi);
  }

  /** Hoare/Wirth selection: afterwards order[k] holds the k-th smallest on `axis` in [l, r]. */
  private select(points: Float64Array, axis: number, l: number, r: number, k: number): void {
    const order = this.order;
    const key = (i: number): number => points[order[i]! * 3 + axis]!;
    while (r > l) {
      const pivot = key((l + r) >> 1);
      let i = l;
      let j = r;
      while (i <= j) {
        while (key(i) < pivot) i++;
        while (key(j) > pivot) j--;
        if (i <= j) {
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) r = j;
      else if (k >= i) l = i;
      else return; // k sits among keys equal to the pivot
    }
  }

  private search(lo: number, hi: number): void {
    const c = this.coords;
    if (hi - lo <= LEAF_SIZE) {
      for (let k = lo; k < hi; k++) this.visit(k);
      return;
    }
    const mid = (lo + hi) >> 1;
    this.visit(mid);
    const a = this.axis[mid]!;
    const diff = (a === 0 ? this.qx : a === 1 ? this.qy : this.qz) - c[3 * mid + a]!;
    if (diff < 0) {
      this.search(lo, mid);
      if (diff * diff < this.best) this.search(mid + 1, hi);
    } else {
      this.search(mid + 1, hi);
      if (diff * diff < this.best) this.search(lo, mid);
    }
  }

  private visit(k: number): void {
    const c = this.coords;
    const dx = c[3 * k]! - this.qx;
    const dy = c[3 * k + 1]! - this.qy;
    const dz = c[3 * k + 2]! - this.qz;
    const d = dx * dx + dy * dy + dz * dz;
    if (d < this.best) {
      this.best = d;
      this.bestAt = k;
    }
  }
}
