// Platt scaling: a sigmoid fitted to raw scores, with Platt's smoothed targets, as
// scikit-learn's CalibratedClassifierCV(method='sigmoid').

import { LeadliftError } from '../../errors.js';
import { log1pExp, sigmoid } from '../../numeric/logistic.js';

/** p = 1 / (1 + exp(a·raw + b)); a is negative when higher raw scores mean positive. */
export interface PlattCalibrator {
  readonly kind: 'platt';
  readonly a: number;
  readonly b: number;
}

/**
 * Fits Platt's sigmoid to raw scores `raw` and labels `y`: minimizes the log loss against
 * targets (N₊+1)/(N₊+2) for positives and 1/(N₋+2) for negatives (Platt 1999, as
 * scikit-learn's `_sigmoid_calibration`), by Newton's method to convergence. Throws
 * `evaluate.invalidInput` for no rows, mismatched lengths or NaN scores.
 */
export function fitPlatt(raw: Float64Array, y: Uint8Array): PlattCalibrator {
  checkInputs('fitPlatt', raw, y);
  const n = raw.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const neg = n - pos;
  const hiT = (pos + 1) / (pos + 2);
  const loT = 1 / (neg + 2);
  // Loss per row with u = a·f + b: log(1 + e^u) − (1 − T)·u; gradient T − P, P = sigmoid(−u).
  let a = 0;
  let b = Math.log((neg + 1) / (pos + 1));
  const loss = (aa: number, bb: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const u = aa * raw[i]! + bb;
      s += log1pExp(u) - (1 - (y[i] === 1 ? hiT : loT)) * u;
    }
    return s;
  };
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const f = raw[i]!;
      const q = sigmoid(a * f + b); // = 1 − P
      const d = q - (1 - (y[i] === 1 ? hiT : loT));
      const w = q * (1 - q);
      ga += d * f;
      gb += d;
      haa += w * f * f;
      hab += w * f;
      hbb += w;
    }
    // A tiny ridge keeps the 2×2 solve defined when all scores are equal.
    const det = (haa + 1e-12) * (hbb + 1e-12) - hab * hab;
    if (!(det > 0)) break;
    const da = ((hbb + 1e-12) * ga - hab * gb) / det;
    const db = ((haa + 1e-12) * gb - hab * ga) / det;
    let t = 1;
    let next = loss(a - t * da, b - t * db);
    const roundoff = 1e-13 * Math.abs(current);
    while (next > current + roundoff && t > 1e-10) {
      t *= 0.5;
      next = loss(a - t * da, b - t * db);
    }
    a -= t * da;
    b -= t * db;
    current = next;
    if (Math.max(Math.abs(t * da), Math.abs(t * db)) < 1e-12) break;
  }
  return { kind: 'platt', a, b };
}

/** Probabilities from raw scores with a fitted {@link PlattCalibrator}. */
export function applyPlatt(cal: PlattCalibrator, raw: Float64Array): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = sigmoid(-(cal.a * raw[i]! + cal.b));
  return out;
}

/** Shared input checks of the calibrators. */
export function checkInputs(fn: string, raw: Float64Array, y: Uint8Array): void {
  if (raw.length === 0) {
    throw new LeadliftError(
      'evaluate.invalidInput',
      `${fn}: no rows to calibrate on; the validation slice is empty.`,
    );
  }
  if (raw.length !== y.length) {
    throw new LeadliftError('evaluate.invalidInput', `${fn}: ${raw.length} scores but ${y.length} labels.`);
  }
  for (let i = 0; i < raw.length; i++) {
    if (Number.isNaN(raw[i]!)) {
      throw new LeadliftError(
        'evaluate.invalidInput',
        `${fn}: score of row ${i} is NaN; calibrate on scored rows only.`,
      );
    }
  }
}
