/**
 * Style-controlled Bradley-Terry on one board's cells (style-cells.ts):
 *
 *   P(i beats j) = sigmoid(theta_i - theta_j + beta . (x_i - x_j)),
 *
 * fitted by damped Newton with only the covariates that passed the estimability checks, and the
 * sandwich covariance (HC2, as sandwich.ts) of (theta, beta). On a board (strongly connected) the
 * theta part of the MLE always exists; beta's may not (a covariate that separates wins from losses),
 * which shows up as a fit that does not converge.
 */
import { newtonAscent } from "@/lib/ratings/bradley-terry";
import { choleskySolve, spdInverse } from "@/lib/math/cholesky";
import { addGram, K, type Cells } from "@/lib/ratings/style-cells";

export interface StyledFit {
  /** Log-strengths (nats) of the board's models, mean 0. */
  theta: Float64Array;
  /** Nats per unit of covariate difference; 0 where the covariate is left out. */
  beta: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Zeroes the covariate columns that are left out, so they carry no gradient and stay at 0. */
export function keptDesign(dx: Float64Array, kept: readonly boolean[]): Float64Array {
  return kept.every(Boolean) ? dx : dx.map((v, at) => (kept[at % K] ? v : 0));
}

/**
 * Residual of each covariate column against the model columns and the earlier accepted covariates,
 * in the Gram matrix of the design rows weighted by `weight` (per cell); `accept(k, residual, diag)`
 * decides whether column k joins the basis for the later ones. The gauge (one all-ones block: the
 * cells are one board) pins theta's free shift; it is orthogonal to every covariate column, so it
 * does not change any residual. Returns the residuals (0 for a column with no variation at all).
 */
export function covariateResiduals(
  m: number,
  t: Pick<Cells, "i" | "j" | "dx">,
  weight: Float64Array,
  accept: (k: number, residual: number, diag: number) => boolean,
): number[] {
  const dim = m + K;
  const gram = new Float64Array(dim * dim);
  addGram(gram, m, t.i, t.j, t.dx, weight);
  for (let r = 0; r < m; r++) for (let s = 0; s < m; s++) gram[r * dim + s]! += 1;
  const kept: number[] = [];
  const residuals: number[] = [];
  for (let k = 0; k < K; k++) {
    const diag = gram[(m + k) * dim + m + k]!;
    let residual = 0;
    if (diag > 0) {
      const basis = [...Array.from({ length: m }, (_, r) => r), ...kept.map((q) => m + q)];
      const size = basis.length;
      const a = new Float64Array(size * size);
      basis.forEach((r, u) => basis.forEach((s, w) => (a[u * size + w] = gram[r * dim + s]!)));
      const cross = Float64Array.from(basis, (r) => gram[r * dim + m + k]!);
      const coef = cross.slice();
      if (choleskySolve(a, coef, size)) {
        let explained = 0;
        for (let u = 0; u < size; u++) explained += cross[u]! * coef[u]!;
        residual = Math.max(diag - explained, 0);
      }
    }
    residuals.push(residual);
    if (accept(k, residual, diag)) kept.push(k);
  }
  return residuals;
}

/**
 * Maximises LL(theta, beta) - (sum theta)^2 / 2 by damped Newton: the gauge term only pins the free
 * shift of theta (it is zero at the optimum) and keeps the Newton system definite. Left-out
 * covariates get a unit diagonal and no gradient, so they stay at exactly 0. Every one of the `m`
 * models must appear in some cell with weight (the cells are a board).
 */
export function fitStyled(m: number, t: Cells, kept: readonly boolean[], init?: Float64Array): StyledFit {
  const cells = t.i.length;
  const { wI: wi, wJ: wj } = t;
  const total = Float64Array.from(wi, (w, c) => w + wj[c]!);
  const z = keptDesign(t.dx, kept);
  const pi = t.i;
  const pj = t.j;
  const dim = m + K;
  const x = new Float64Array(dim);
  if (init) x.set(init.subarray(0, m));
  const grad = new Float64Array(dim);
  const hess = new Float64Array(dim * dim);
  const curvature = new Float64Array(cells);
  const evaluate = (y: Float64Array): number => {
    let sum = 0;
    for (let r = 0; r < m; r++) sum += y[r]!;
    let f = -0.5 * sum * sum;
    grad.fill(0);
    for (let r = 0; r < m; r++) grad[r] = -sum;
    const b0 = y[m]!;
    const b1 = y[m + 1]!;
    const b2 = y[m + 2]!;
    let g0 = 0, g1 = 0, g2 = 0;
    for (let p = 0; p < cells; p++) {
      const a = pi[p]!;
      const b = pj[p]!;
      const z0 = z[K * p]!;
      const z1 = z[K * p + 1]!;
      const z2 = z[K * p + 2]!;
      const d = y[a]! - y[b]! + b0 * z0 + b1 * z1 + b2 * z2;
      const e = Math.exp(-Math.abs(d));
      const s = d >= 0 ? 1 / (1 + e) : e / (1 + e); // P(i beats j)
      // w_i log s + w_j log(1 - s) = -total * softplus(-d) - w_j * d
      f -= total[p]! * (Math.max(-d, 0) + Math.log1p(e)) + wj[p]! * d;
      const g = wi[p]! - total[p]! * s;
      grad[a]! += g;
      grad[b]! -= g;
      g0 += g * z0;
      g1 += g * z1;
      g2 += g * z2;
      curvature[p] = total[p]! * s * (1 - s);
    }
    grad[m] = g0;
    grad[m + 1] = g1;
    grad[m + 2] = g2;
    // Negated Hessian: the gauge term's all-ones block, the cells' curvature, unit diagonals for
    // the left-out covariates.
    hess.fill(0);
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) hess[r * dim + c] = 1;
    for (let k = 0; k < K; k++) if (!kept[k]) hess[(m + k) * dim + m + k] = 1;
    addGram(hess, m, pi, pj, z, curvature);
    return f;
  };
  const { iterations, converged } = newtonAscent(x, evaluate, grad, hess);
  let mean = 0;
  for (let r = 0; r < m; r++) mean += x[r]! / m;
  const theta = Float64Array.from({ length: m }, (_, r) => x[r]! - mean);
  const beta = Float64Array.from({ length: K }, (_, k) => (kept[k] ? x[m + k]! : 0));
  return { theta, beta, iterations, converged };
}

/**
 * Sandwich covariance H+ J H+ of (theta, beta) at the fit, over the m models and the kept
 * covariates (index m + k for covariate k; left-out ones have no row). HC2 as in sandwich.ts.
 * `outcomes`: per cell, i wins, j wins, draws. Returns cov(u, v) or null if H is singular.
 */
export function styleCovariance(
  m: number,
  t: Cells,
  outcomes: Float64Array,
  fit: StyledFit,
  kept: readonly boolean[],
): ((u: number, v: number) => number) | null {
  const cols = Array.from({ length: K }, (_, k) => k).filter((k) => kept[k]);
  const q = cols.length;
  const dim = m + q;
  const cells = t.i.length;
  const prob = new Float64Array(cells);
  // A design row is sparse: +1 at i, -1 at j, the kept covariate differences at m.. m + q - 1.
  const idx = new Int32Array(2 + q);
  const val = new Float64Array(2 + q);
  const load = (c: number): void => {
    idx[0] = t.i[c]!;
    val[0] = 1;
    idx[1] = t.j[c]!;
    val[1] = -1;
    for (let u = 0; u < q; u++) {
      idx[2 + u] = m + u;
      val[2 + u] = t.dx[K * c + cols[u]!]!;
    }
  };
  const addOuter = (target: Float64Array, w: number): void => {
    for (let u = 0; u < idx.length; u++) {
      const row = idx[u]! * dim;
      const wu = w * val[u]!;
      for (let v = 0; v < idx.length; v++) target[row + idx[v]!]! += wu * val[v]!;
    }
  };
  // A = H + v v^T / m with v = (1 on theta, 0 on beta): H's null vector, so A^-1 = H+ + v v^T / m.
  const a = new Float64Array(dim * dim);
  for (let r = 0; r < m; r++) for (let s = 0; s < m; s++) a[r * dim + s] = 1 / m;
  for (let c = 0; c < cells; c++) {
    load(c);
    let d = fit.theta[idx[0]!]! - fit.theta[idx[1]!]!;
    for (let u = 0; u < q; u++) d += val[2 + u]! * fit.beta[cols[u]!]!;
    const s = 1 / (1 + Math.exp(-d));
    prob[c] = s;
    addOuter(a, (outcomes[3 * c]! + outcomes[3 * c + 1]! + outcomes[3 * c + 2]!) * s * (1 - s));
  }
  const hp = spdInverse(a, dim);
  if (!hp) return null;
  for (let u = 0; u < m; u++) for (let v = 0; v < m; v++) hp[u * dim + v]! -= 1 / m;

  const j = new Float64Array(dim * dim);
  for (let c = 0; c < cells; c++) {
    load(c);
    const s = prob[c]!;
    let quad = 0;
    for (let u = 0; u < idx.length; u++) {
      const row = idx[u]! * dim;
      for (let v = 0; v < idx.length; v++) quad += val[u]! * hp[row + idx[v]!]! * val[v]!;
    }
    const h = s * (1 - s) * quad;
    const res = outcomes[3 * c]! * (1 - s) * (1 - s) + outcomes[3 * c + 1]! * s * s + outcomes[3 * c + 2]! * (0.5 - s) * (0.5 - s);
    addOuter(j, res / Math.max(1 - h, 1e-6));
  }
  // M = J H+ (dense), then cov(u, v) = sum_c H+_uc M_cv.
  const mm = new Float64Array(dim * dim);
  for (let u = 0; u < dim; u++) {
    for (let c = 0; c < dim; c++) {
      const f = j[u * dim + c]!;
      if (f === 0) continue;
      for (let v = 0; v < dim; v++) mm[u * dim + v]! += f * hp[c * dim + v]!;
    }
  }
  return (u: number, v: number): number => {
    let s = 0;
    for (let c = 0; c < dim; c++) s += hp[u * dim + c]! * mm[c * dim + v]!;
    return s;
  };
}
