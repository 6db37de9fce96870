// Isotonic calibration: the non-decreasing step function of raw scores closest to the
// labels (pool-adjacent-violators), interpolated linearly between its points and clipped
// outside them, as scikit-learn's IsotonicRegression(out_of_bounds='clip').

import { argsortAscending } from '../../numeric/sort.js';
import { checkInputs } from './platt.js';

/** Points (x ascending, y non-decreasing) of the fitted function. */
export interface IsotonicCalibrator {
  readonly kind: 'isotonic';
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/**
 * Fits isotonic regression of `y` on `raw`: rows with equal scores are pooled first
 * (their mean label, weighted by count), then adjacent violators are merged; points in
 * the interior of a flat run are dropped (they do not change the interpolation). Throws
 * `evaluate.invalidInput` for no rows, mismatched lengths or NaN scores.
 */
export function fitIsotonic(raw: Float64Array, y: Uint8Array): IsotonicCalibrator {
  checkInputs('fitIsotonic', raw, y);
  const order = argsortAscending(raw);
  // Unique x with summed labels and counts.
  const ux: number[] = [];
  const sumY: number[] = [];
  const weight: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const v = raw[i]!;
    if (ux.length > 0 && ux[ux.length - 1] === v) {
      sumY[sumY.length - 1]! += y[i]!;
      weight[weight.length - 1]! += 1;
    } else {
      ux.push(v);
      sumY.push(y[i]!);
      weight.push(1);
    }
  }
  // Pool adjacent violators over blocks (mean, weight, number of unique points).
  const m = ux.length;
  const bMean = new Float64Array(m);
  const bWeight = new Float64Array(m);
  const bSize = new Int32Array(m);
  let nb = 0;
  for (let k = 0; k < m; k++) {
    let mean = sumY[k]! / weight[k]!;
    let w = weight[k]!;
    let size = 1;
    while (nb > 0 && bMean[nb - 1]! >= mean) {
      nb--;
      const w2 = bWeight[nb]!;
      mean = (bMean[nb]! * w2 + mean * w) / (w2 + w);
      w += w2;
      size += bSize[nb]!;
    }
    bMean[nb] = mean;
    bWeight[nb] = w;
    bSize[nb] = size;
    nb++;
  }
  const fitted = new Float64Array(m);
  for (let bIdx = 0, k = 0; bIdx < nb; bIdx++)
    for (let s = 0; s < bSize[bIdx]!; s++) fitted[k++] = bMean[bIdx]!;
  // Keep the ends and every point where the value changes on either side.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < m; k++) {
    const interior = k > 0 && k < m - 1 && fitted[k] === fitted[k - 1] && fitted[k] === fitted[k + 1];
    if (!interior) {
      xs.push(ux[k]!);
      ys.push(fitted[k]!);
    }
  }
  return { kind: 'isotonic', x: xs, y: ys };
}

/** Probabilities from raw scores: linear interpolation between the points, clipped at the ends. */
export function applyIsotonic(cal: IsotonicCalibrator, raw: Float64Array): Float64Array {
  const out = new Float64Array(raw.length);
  const { x, y } = cal;
  const m = x.length;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (v <= x[0]!) out[i] = y[0]!;
    else if (v >= x[m - 1]!) out[i] = y[m - 1]!;
    else {
      let lo = 0;
      let hi = m - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (x[mid]! <= v) lo = mid;
        else hi = mid;
      }
      const x0 = x[lo]!;
      const x1 = x[hi]!;
      out[i] = y[lo]! + ((y[hi]! - y[lo]!) * (v - x0)) / (x1 - x0);
    }
  }
  return out;
}
