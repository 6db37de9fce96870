// The Brier score: mean squared error of predicted probabilities (lower is better), as
// scikit-learn's brier_score_loss.

import { brierKernel } from '../numeric/metric-kernels.js';
import { type MetricValue, pairStats, probabilityUnavailable } from './metric-value.js';
import { registerWeighted } from './weighted.js';

/**
 * Mean of (p − y)² over rows. Needs probabilities in [0, 1]; unavailable when empty, any
 * NaN, or out of range. Defined for a single class and for constant probabilities (the
 * base-rate forecast's Brier score is a meaningful reference).
 */
export function brierScore(yTrue: Uint8Array, probabilities: Float64Array): MetricValue {
  const st = pairStats('brierScore', yTrue, probabilities);
  const why = probabilityUnavailable('Brier score', st);
  if (why) return why;
  return brierKernel(yTrue, probabilities, undefined);
}

registerWeighted(brierScore, { ranking: false, kernel: (y, s, _o, w) => brierKernel(y, s, w) });
