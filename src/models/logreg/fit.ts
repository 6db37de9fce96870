// Fits an L2 logistic regression by Newton's method with a backtracking line search on
// standardized columns — the same optimum as scikit-learn's lbfgs solver, reached to a
// much tighter tolerance in a handful of steps (the Hessian is only p×p).

import { LeadliftError, listSome } from '../../errors.js';
import { type Dataset, type Frame, validateFrame, validateLabels } from '../../numeric/frame.js';
import { choleskySolve } from '../../numeric/linalg.js';
import { log1pExp, sigmoid } from '../../numeric/logistic.js';
import { fitStandardScaler, type StandardScaler } from '../scaler.js';
import type { LogregModel } from './model.js';
import { type LogregParams, resolveLogregParams } from './params.js';

/**
 * Fits L2-regularized logistic regression on `train` after standardizing every feature
 * except 0/1 indicators (one-hot, flags), which are only centered and keep their 0/1
 * scale — scikit-learn's ColumnTransformer of StandardScaler on the numeric columns and
 * the one-hot columns as they are (the scaler is part of the model). Centering does not
 * change the coefficients (the intercept is unpenalized), only the intercept. Minimizes ½‖w‖² + c·Σᵢ log(1 + e^(−sᵢ zᵢ)) with an
 * unpenalized intercept — scikit-learn's `LogisticRegression(C=c, penalty='l2')`. Missing
 * values are imputed with the training mean. Deterministic: no randomness. Throws
 * `models.oneClass` for one-class labels and `models.nonFinite` for ±Infinity features.
 * Memory: no standardized copy of the features — columns are standardized block by block
 * where they are read, and a two-valued column (one-hot, flag) whose minority value is on
 * at most a quarter of the rows is also kept as the list of those rows (see
 * {@link standardizedColumns}); the rest is a few vectors of one value per row.
 */
export function fitLogreg(
  train: Dataset,
  params: Partial<LogregParams> = {},
  options: FitLogregOptions = {},
): LogregModel {
  const resolved = resolveLogregParams(params);
  validateFrame(train.x, 'fitLogreg');
  validateLabels(train.y, train.x.nRows, 'fitLogreg');
  checkFinite(train.x.columns, train.x.names);
  const scaler = fitStandardScaler(train.x, { indicators: 'keepScale' });
  const layout = standardizedColumns(scaler, train.x, options.sparseColumns !== false);
  const start = options.warmStart ? warmStartOf(options.warmStart, scaler) : undefined;
  const { w, b, iterations, converged } = newton(layout, train.y, resolved, start);
  return Object.freeze({
    kind: 'logreg',
    formatVersion: 1,
    params: Object.freeze({ ...params }),
    resolvedParams: resolved,
    featureNames: [...train.x.names],
    scaler,
    coefficients: Array.from(w),
    intercept: b,
    nIterations: iterations,
    converged,
    nTrain: train.x.nRows,
  });
}

/** Options of {@link fitLogreg}. */
export interface FitLogregOptions {
  /**
   * A model fitted on similar rows with the same features (e.g. on a subset of these) to
   * start Newton's method from, re-expressed on this fit's standardization. The optimum is
   * the same (the objective is strictly convex); it is reached in fewer steps.
   */
  readonly warmStart?: LogregModel;
  /**
   * Sum two-valued columns (one-hot, 0/1) over their minority rows only when building the
   * Hessian. Default true; false sums every column densely (for tests and comparison).
   */
  readonly sparseColumns?: boolean;
}

/** `model`'s coefficients and intercept on the scale of `scaler` (same raw-score function). */
function warmStartOf(model: LogregModel, scaler: StandardScaler): Float64Array {
  const p = scaler.names.length;
  const theta = new Float64Array(p + 1);
  if (model.featureNames.length !== p || model.featureNames.some((n, j) => n !== scaler.names[j])) {
    return theta;
  }
  // raw = b + Σ w·(x − m)/s  →  coefficient on x: w/s; on the new scale: (w/s)·s'.
  let b = model.intercept;
  for (let j = 0; j < p; j++) {
    const perUnit = model.coefficients[j]! / model.scaler.scale[j]!;
    b += perUnit * (scaler.mean[j]! - model.scaler.mean[j]!);
    theta[j] = perUnit * scaler.scale[j]!;
  }
  theta[p] = b;
  return theta;
}

/** Rows per block of the Hessian sums. */
const BLOCK = 512;

interface NewtonResult {
  readonly w: Float64Array;
  readonly b: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Newton–Raphson on the penalized log-likelihood of the standardized columns of `layout`. */
function newton(
  layout: ColumnLayout,
  y: Uint8Array,
  params: Readonly<LogregParams>,
  start: Float64Array | undefined,
): NewtonResult {
  const n = y.length;
  const p = layout.x.length;
  const d = params.fitIntercept ? p + 1 : p;
  const lambda = 1 / params.c;
  const theta = new Float64Array(d); // w_0..w_{p−1}, then b
  const eta = new Float64Array(n); // linear predictor
  if (start) {
    for (let j = 0; j < p; j++) theta[j] = start[j]!;
    if (d > p) theta[p] = start[p]!;
    eta.fill(d > p ? theta[p]! : 0);
    addColumns(eta, layout, theta, new Int32Array(p), new Float64Array(4 * BLOCK));
  }
  const resid = new Float64Array(n);
  const weight = new Float64Array(n);
  const dir = new Float64Array(n); // the step's change of eta
  const tmp = new Float64Array(BLOCK);
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const factor = new Float64Array(d * d);
  const step = new Float64Array(d);
  const moving = new Int32Array(p);
  const values = new Float64Array(4 * BLOCK);
  let loss = objective(eta, y, theta, p, lambda, 0, dir);
  let iterations = 0;
  let converged = false;
  while (iterations < params.maxIter) {
    iterations++;
    for (let i = 0; i < n; i++) {
      const pr = sigmoid(eta[i]!);
      resid[i] = pr - y[i]!;
      weight[i] = pr * (1 - pr);
    }
    // Gradient and Hessian (lower triangle) of the objective: Zᵀr and Zᵀ·diag(w)·Z.
    hess.fill(0);
    grad.fill(0);
    gradientAndHessian(layout, resid, weight, grad, hess, d, tmp);
    for (let j = 0; j < p; j++) {
      grad[j] = grad[j]! + lambda * theta[j]!;
      hess[j * d + j] = hess[j * d + j]! + lambda;
    }
    if (d > p) {
      let g = 0;
      let h = 0;
      for (let i = 0; i < n; i++) {
        g += resid[i]!;
        h += weight[i]!;
      }
      grad[p] = g;
      hess[p * d + p] = h;
    }
    if (!choleskySolve(hess, grad, d, factor, step)) {
      // Only possible without regularization on degenerate columns; a gradient step keeps going.
      for (let j = 0; j < d; j++) step[j] = grad[j]! * 1e-3;
    }
    // eta changes by −t·dir along the step.
    dir.fill(d > p ? step[p]! : 0);
    addColumns(dir, layout, step, moving, values);
    let slope = 0;
    for (let j = 0; j < d; j++) slope += grad[j]! * step[j]!;
    let t = 1;
    let next = objective(eta, y, theta, p, lambda, t, dir, step);
    // Near the optimum the decrease falls below the objective's rounding; allow for it so
    // full Newton steps are taken there instead of being halved into a false stop.
    const roundoff = 1e-13 * Math.abs(loss);
    while (next > loss - 1e-4 * t * slope + roundoff && t > 1e-10) {
      t *= 0.5;
      next = objective(eta, y, theta, p, lambda, t, dir, step);
    }
    let maxMove = 0;
    for (let j = 0; j < d; j++) {
      const move = t * step[j]!;
      theta[j] = theta[j]! - move;
      maxMove = Math.max(maxMove, Math.abs(move));
    }
    for (let i = 0; i < n; i++) eta[i] = eta[i]! - t * dir[i]!;
    loss = next;
    if (maxMove <= params.tol) {
      converged = true;
      break;
    }
  }
  return { w: theta.slice(0, p), b: d > p ? theta[p]! : 0, iterations, converged };
}

/**
 * out[i] += Σⱼ coef[j]·z[j][i] over the columns with a non-zero coefficient, added one
 * column after another in column order (the same sums as a loop per column); four columns
 * per pass, so out is read and written once per four. The columns' values are written
 * out block by block into `values` (4 × BLOCK): from the row list of a sparse column, or
 * standardized from the raw column. `scratch` (length ≥ p) is reused.
 */
function addColumns(
  out: Float64Array,
  layout: ColumnLayout,
  coef: Float64Array,
  scratch: Int32Array,
  values: Float64Array,
): void {
  const { listed } = layout;
  const p = layout.x.length;
  let m = 0;
  for (let j = 0; j < p; j++) if (coef[j] !== 0) scratch[m++] = j;
  const n = out.length;
  const src: Float64Array[] = [values, values, values, values];
  const shift = [0, 0, 0, 0];
  const cursor = [0, 0, 0, 0];
  for (let a = 0; a < m; a += 4) {
    const width = Math.min(4, m - a);
    for (let u = 0; u < width; u++) cursor[u] = 0;
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      // Each column's values on rows [start, end) are src[u][i − shift[u]].
      for (let u = 0; u < width; u++) {
        const j = scratch[a + u]!;
        const c = listed[j];
        const o = u * BLOCK;
        if (c) {
          values.fill(c.base, o, o + end - start);
          let k = cursor[u]!;
          for (; k < c.rows.length && c.rows[k]! < end; k++) values[o + c.rows[k]! - start] = c.other;
          cursor[u] = k;
        } else standardizeBlock(layout, j, start, end, values, o);
        src[u] = values;
        shift[u] = start - o;
      }
      if (width === 4) {
        const [z0, z1, z2, z3] = src as [Float64Array, Float64Array, Float64Array, Float64Array];
        const [o0, o1, o2, o3] = shift as [number, number, number, number];
        const c0 = coef[scratch[a]!]!;
        const c1 = coef[scratch[a + 1]!]!;
        const c2 = coef[scratch[a + 2]!]!;
        const c3 = coef[scratch[a + 3]!]!;
        for (let i = start; i < end; i++) {
          out[i] = out[i]! + c0 * z0[i - o0]! + c1 * z1[i - o1]! + c2 * z2[i - o2]! + c3 * z3[i - o3]!;
        }
      } else {
        // The last one to three columns, one after another (as the loop per column did).
        for (let u = 0; u < width; u++) {
          const zu = src[u]!;
          const ou = shift[u]!;
          const cu = coef[scratch[a + u]!]!;
          for (let i = start; i < end; i++) out[i] = out[i]! + cu * zu[i - ou]!;
        }
      }
    }
  }
}

/**
 * Columns that take two values, one on most rows (one-hot and 0/1 columns after
 * standardization): z = base + delta·[row in rows]. Their Hessian terms are sums over
 * their few `rows` instead of all rows, which makes the Hessian of a table with many
 * one-hot columns several times cheaper (same sums up to rounding). `other` is the exact
 * value on `rows` (base + delta may differ from it in the last bit).
 */
interface SparseColumn {
  readonly j: number;
  readonly base: number;
  readonly other: number;
  readonly delta: number;
  readonly rows: Uint32Array;
}

/** The standardized columns of a fit: stored densely or as row lists, and how the Hessian sums them. */
interface ColumnLayout {
  /** The raw columns, standardized block by block where they are read: (x − mean) / scale, NaN → 0. */
  readonly x: readonly Float64Array[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  /**
   * Per column, its {@link SparseColumn} when its values are exactly its two values (sign
   * of zero included), so they can be written from its row list.
   */
  readonly listed: readonly (SparseColumn | undefined)[];
  /** Indices of the columns summed densely. */
  readonly dense: Int32Array;
  readonly sparse: readonly SparseColumn[];
  /** Per row, the sparse columns (positions in `sparse`) whose minority value it holds (CSR). */
  readonly activeStart: Uint32Array;
  readonly active: Uint32Array;
}

/** A two-valued column is summed sparsely when its minority value is on at most this share of rows. */
const SPARSE_SHARE = 0.25;

/**
 * Standardizes the columns of `x` (fitted `scaler`, missing → 0 — the training mean), one
 * column at a time through a reused buffer: a column that takes two values with the
 * minority one on at most {@link SPARSE_SHARE} of the rows (and `allowSparse`) is summed
 * sparsely, over the list of those rows. No standardized column is kept: values are
 * recomputed as (x − mean) / scale, the expression of `transformStandard`, so they are
 * the same bits.
 */
function standardizedColumns(scaler: StandardScaler, x: Frame, allowSparse: boolean): ColumnLayout {
  const n = x.nRows;
  const buffer = new Float64Array(n);
  const listed: (SparseColumn | undefined)[] = [];
  const dense: number[] = [];
  const sparse: SparseColumn[] = [];
  x.columns.forEach((raw, j) => {
    const mean = scaler.mean[j]!;
    const scale = scaler.scale[j]!;
    for (let i = 0; i < n; i++) {
      const v = (raw[i]! - mean) / scale;
      buffer[i] = Number.isNaN(v) ? 0 : v;
    }
    const col = buffer;
    const a = col[0] ?? 0;
    let b = a;
    let nB = 0;
    let two = true;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v === a) continue;
      if (nB === 0) b = v;
      else if (v !== b) {
        two = false;
        break;
      }
      nB++;
    }
    const nA = n - nB;
    if (!allowSparse || !two || Math.min(nA, nB) > SPARSE_SHARE * n) {
      dense.push(j);
      listed.push(undefined);
      return;
    }
    const [base, other] = nA >= nB ? [a, b] : [b, a];
    const rows = new Uint32Array(Math.min(nA, nB));
    let k = 0;
    // Equal values may still differ in the sign of zero; such a column is then standardized
    // from its raw values where it is read instead of written from its row list.
    let exact = true;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v === other && rows.length > 0) {
        rows[k++] = i;
        exact &&= Object.is(v, other);
      } else exact &&= Object.is(v, base);
    }
    const c = { j, base, other, delta: other - base, rows };
    sparse.push(c);
    listed.push(exact ? c : undefined);
  });
  const counts = new Uint32Array(n + 1);
  for (const c of sparse) for (const i of c.rows) counts[i + 1] = counts[i + 1]! + 1;
  for (let i = 0; i < n; i++) counts[i + 1] = counts[i + 1]! + counts[i]!;
  const active = new Uint32Array(counts[n]!);
  const fill = counts.slice(0, n);
  sparse.forEach((c, q) => {
    for (const i of c.rows) {
      active[fill[i]!] = q;
      fill[i] = fill[i]! + 1;
    }
  });
  return {
    x: x.columns,
    mean: scaler.mean,
    scale: scaler.scale,
    listed,
    dense: Int32Array.from(dense),
    sparse,
    activeStart: counts,
    active,
  };
}

/** out[o + i − start] = standardized value of column j on row i, for i in [start, end). */
function standardizeBlock(
  layout: ColumnLayout,
  j: number,
  start: number,
  end: number,
  out: Float64Array,
  o: number,
): void {
  const col = layout.x[j]!;
  const mean = layout.mean[j]!;
  const scale = layout.scale[j]!;
  for (let i = start; i < end; i++) {
    const v = (col[i]! - mean) / scale;
    out[o + i - start] = Number.isNaN(v) ? 0 : v;
  }
}

/**
 * Adds Zᵀresid to grad[0..p) and the lower triangle of Zᵀ·diag(weight)·Z (with the
 * intercept's row p when d > p) to hess. Dense pairs are summed over blocks of rows so a
 * column's block stays in cache for all its pairs; pairs with a sparse column expand
 * z = base + delta·indicator and sum over the indicator's rows only.
 */
function gradientAndHessian(
  layout: ColumnLayout,
  resid: Float64Array,
  weight: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
  d: number,
  tmp: Float64Array,
): void {
  const n = resid.length;
  const { dense, sparse, activeStart, active } = layout;
  const p = layout.x.length;
  const nD = dense.length;
  const nS = sparse.length;
  const at = (j: number, k: number) => (j >= k ? j * d + k : k * d + j);
  let sumW = 0;
  let sumR = 0;
  for (let i = 0; i < n; i++) {
    sumW += weight[i]!;
    sumR += resid[i]!;
  }
  // Dense × dense, dense gradient and Σ w·z per dense column, on each block of rows
  // standardized once into `zb` (column q at q·BLOCK); and, for each sparse column, Σ over
  // its rows of w·z per dense column (`cross`, each summed in row order as a sum per column).
  const wz = new Float64Array(nD);
  const cross = new Float64Array(nS * nD);
  const zb = new Float64Array(nD * BLOCK);
  const views = Array.from({ length: nD }, (_, q) => zb.subarray(q * BLOCK, (q + 1) * BLOCK));
  const pair2 = new Float64Array(2);
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    const len = end - start;
    for (let q = 0; q < nD; q++) standardizeBlock(layout, dense[q]!, start, end, zb, q * BLOCK);
    for (let q = 0; q < nD; q++) {
      const j = dense[q]!;
      const o = q * BLOCK;
      let g = 0;
      let hb = 0;
      for (let i = start; i < end; i++) {
        const v = zb[o + i - start]!;
        g += resid[i]! * v;
        const t = weight[i]! * v;
        tmp[i - start] = t;
        hb += t;
      }
      grad[j] = grad[j]! + g;
      wz[q] = wz[q]! + hb;
      // Two columns per pass read each block of tmp once for both (same sums as one at a time).
      let r = 0;
      for (; r + 1 <= q; r += 2) {
        const k1 = dense[r]!;
        const k2 = dense[r + 1]!;
        dotBlock2(tmp, views[r]!, views[r + 1]!, len, pair2);
        hess[at(j, k1)] = hess[at(j, k1)]! + pair2[0]!;
        hess[at(j, k2)] = hess[at(j, k2)]! + pair2[1]!;
      }
      if (r === q) {
        const k = dense[r]!;
        hess[at(j, k)] = hess[at(j, k)]! + dotBlock(tmp, views[r]!, len);
      }
    }
    if (nS === 0 || nD === 0) continue;
    for (let i = start; i < end; i++) {
      const a1 = activeStart[i + 1]!;
      const wi = weight[i]!;
      const r = i - start;
      for (let x = activeStart[i]!; x < a1; x++) {
        const out = active[x]! * nD;
        for (let q = 0; q < nD; q++) cross[out + q] = cross[out + q]! + wi * zb[q * BLOCK + r]!;
      }
    }
  }
  if (d > p) for (let q = 0; q < nD; q++) hess[p * d + dense[q]!] = hess[p * d + dense[q]!]! + wz[q]!;
  if (nS === 0) return;
  // Sparse columns: Σ over their rows of w, of resid, and of w on pairs of them.
  const sw = new Float64Array(nS);
  for (let s = 0; s < nS; s++) {
    const c = sparse[s]!;
    const rows = c.rows;
    const m = rows.length;
    let ws = 0;
    let rs = 0;
    for (let k = 0; k < m; k++) {
      const i = rows[k]!;
      ws += weight[i]!;
      rs += resid[i]!;
    }
    sw[s] = ws;
    grad[c.j] = grad[c.j]! + c.base * sumR + c.delta * rs;
  }
  const pair = new Float64Array(nS * nS);
  for (let i = 0; i < n; i++) {
    const a0 = activeStart[i]!;
    const a1 = activeStart[i + 1]!;
    if (a1 - a0 < 2) continue;
    const wi = weight[i]!;
    for (let x = a0; x < a1; x++) {
      const sx = active[x]!;
      for (let y = a0; y < x; y++) {
        const sy = active[y]!;
        const idx = sx > sy ? sx * nS + sy : sy * nS + sx;
        pair[idx] = pair[idx]! + wi;
      }
    }
  }
  for (let s = 0; s < nS; s++) {
    const c = sparse[s]!;
    for (let q = 0; q < nD; q++) {
      const k = dense[q]!;
      hess[at(c.j, k)] = hess[at(c.j, k)]! + c.base * wz[q]! + c.delta * cross[s * nD + q]!;
    }
    for (let t = 0; t <= s; t++) {
      const o = sparse[t]!;
      const both = t === s ? sw[s]! : pair[s * nS + t]!;
      const v =
        c.base * o.base * sumW +
        c.base * o.delta * sw[t]! +
        o.base * c.delta * sw[s]! +
        c.delta * o.delta * both;
      hess[at(c.j, o.j)] = hess[at(c.j, o.j)]! + v;
    }
    if (d > p) hess[p * d + c.j] = hess[p * d + c.j]! + c.base * sumW + c.delta * sw[s]!;
  }
}

/**
 * Σᵢ a[i]·b[i] over i in [0, len), with four accumulators so the additions do not wait
 * on each other (a single running sum is latency-bound).
 */
function dotBlock(a: Float64Array, b: Float64Array, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < len; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

/** {@link dotBlock} of `a` with `b1` and with `b2` in one pass, into out[0] and out[1] (the same sums). */
function dotBlock2(
  a: Float64Array,
  b1: Float64Array,
  b2: Float64Array,
  len: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const a0 = a[i]!;
    const a1 = a[i + 1]!;
    const a2 = a[i + 2]!;
    const a3 = a[i + 3]!;
    s0 += a0 * b1[i]!;
    s1 += a1 * b1[i + 1]!;
    s2 += a2 * b1[i + 2]!;
    s3 += a3 * b1[i + 3]!;
    t0 += a0 * b2[i]!;
    t1 += a1 * b2[i + 1]!;
    t2 += a2 * b2[i + 2]!;
    t3 += a3 * b2[i + 3]!;
  }
  for (; i < len; i++) {
    const ai = a[i]!;
    s0 += ai * b1[i]!;
    t0 += ai * b2[i]!;
  }
  out[0] = s0 + s1 + (s2 + s3);
  out[1] = t0 + t1 + (t2 + t3);
}

/** The penalized objective at theta − t·step, eta − t·dir (t = 0: at theta). */
function objective(
  eta: Float64Array,
  y: Uint8Array,
  theta: Float64Array,
  p: number,
  lambda: number,
  t: number,
  dir: Float64Array,
  step?: Float64Array,
): number {
  let sum = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]! - t * dir[i]!;
    sum += log1pExp(e) - (y[i] === 1 ? e : 0);
  }
  let reg = 0;
  for (let j = 0; j < p; j++) {
    const w = theta[j]! - (step ? t * step[j]! : 0);
    reg += w * w;
  }
  return sum + 0.5 * lambda * reg;
}

function checkFinite(columns: readonly Float64Array[], names: readonly string[]): void {
  const bad: string[] = [];
  columns.forEach((c, j) => {
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        bad.push(`"${names[j]}" (row ${i})`);
        return;
      }
    }
  });
  if (bad.length > 0) {
    throw new LeadliftError(
      'models.nonFinite',
      `fitLogreg: ${bad.length} feature(s) hold ±Infinity: ${listSome(bad)}. Replace them with a finite value or NaN (missing) before fitting.`,
      { details: { columns: bad } },
    );
  }
}
