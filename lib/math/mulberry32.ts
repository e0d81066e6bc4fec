/**
 * mulberry32: a tiny, well-mixed 32-bit PRNG returning floats in [0, 1). Its stream is fixed by the
 * algorithm, which is why the Chamfer sampler (whose points are part of the metric's definition) and
 * the perturbed baseline (whose scripts must be reproducible) can share it safely.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
