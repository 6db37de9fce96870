// Reliability of probabilities: scikit-learn's calibration_curve with uniform bins, and
// the expected calibration error over the same bins.

import { LeadliftError } from '../errors.js';
import { type MetricValue, pairStats, probabilityUnavailable, type Unavailable } from './metric-value.js';

/** Options of {@link calibrationCurve}. */
export interface CalibrationCurveOptions {
  /** Number of uniform bins over [0, 1]. Default 5 (scikit-learn's default). */
  readonly nBins?: number;
}

/** One point per non-empty bin, in increasing bin order. */
export interface CalibrationCurve {
  /** Observed positive rate in each non-empty bin (scikit-learn's `prob_true`). */
  readonly probTrue: readonly number[];
  /** Mean predicted probability in each non-empty bin (`prob_pred`). */
  readonly probPred: readonly number[];
  /** Rows in each non-empty bin. */
  readonly counts: readonly number[];
  /** Index (0-based, of `nBins`) of each non-empty bin. */
  readonly bins: readonly number[];
  readonly nBins: number;
}

/**
 * The reliability curve of `probabilities`: bin edges i/nBins, a probability on an inner
 * edge belongs to the lower bin (numpy `searchsorted` on the inner edges, as
 * scikit-learn 1.2), empty bins left out. Unavailable when empty, NaN or out of [0, 1].
 */
export function calibrationCurve(
  yTrue: Uint8Array,
  probabilities: Float64Array,
  options: CalibrationCurveOptions = {},
): CalibrationCurve | Unavailable {
  const nBins = checkBins(options.nBins ?? 5);
  const st = pairStats('calibrationCurve', yTrue, probabilities);
  const why = probabilityUnavailable('Calibration curve', st);
  if (why) return why;
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  // Edges as numpy's linspace computes them (i × step), so ties at edges bin alike.
  const step = 1 / nBins;
  for (let i = 0; i < yTrue.length; i++) {
    const p = probabilities[i]!;
    // Count inner edges strictly below p (binary search over i × step, i = 1..nBins−1).
    let lo = 1;
    let hi = nBins;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (mid * step < p) lo = mid + 1;
      else hi = mid;
    }
    const b = lo - 1;
    sums[b] = sums[b]! + p;
    trues[b] = trues[b]! + yTrue[i]!;
    totals[b] = totals[b]! + 1;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const counts: number[] = [];
  const bins: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b]! / totals[b]!);
    probPred.push(sums[b]! / totals[b]!);
    counts.push(totals[b]!);
    bins.push(b);
  }
  return { probTrue, probPred, counts, bins, nBins };
}

/**
 * Expected calibration error: Σ over non-empty uniform bins of (bin rows / n) ×
 * |observed rate − mean probability|. Default 10 bins. Unavailable as
 * {@link calibrationCurve}.
 */
export function expectedCalibrationError(
  yTrue: Uint8Array,
  probabilities: Float64Array,
  options: CalibrationCurveOptions = {},
): MetricValue {
  const curve = calibrationCurve(yTrue, probabilities, { nBins: options.nBins ?? 10 });
  if ('unavailable' in curve) return curve;
  let ece = 0;
  for (let k = 0; k < curve.counts.length; k++) {
    ece += (curve.counts[k]! / yTrue.length) * Math.abs(curve.probTrue[k]! - curve.probPred[k]!);
  }
  return ece;
}

function checkBins(nBins: number): number {
  if (!Number.isInteger(nBins) || nBins < 1) {
    throw new LeadliftError(
      'evaluate.invalidOption',
      `calibrationCurve: nBins must be a positive integer; got ${nBins}.`,
    );
  }
  return nBins;
}
