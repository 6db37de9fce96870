// Log loss (cross-entropy) of predicted probabilities, as scikit-learn 1.2's log_loss.

import { logLossKernel } from '../numeric/metric-kernels.js';
import { type MetricValue, pairStats, probabilityUnavailable } from './metric-value.js';
import { registerWeighted } from './weighted.js';

/** Probabilities are clipped to [eps, 1 − eps] (scikit-learn 1.2's default eps). */
export const LOG_LOSS_EPS = 1e-15;

/**
 * Mean −[y log p + (1 − y) log(1 − p)], p clipped to [{@link LOG_LOSS_EPS}, 1 − eps].
 * Needs probabilities in [0, 1]; unavailable when empty, any NaN, or out of range.
 */
export function logLoss(yTrue: Uint8Array, probabilities: Float64Array): MetricValue {
  const st = pairStats('logLoss', yTrue, probabilities);
  const why = probabilityUnavailable('Log loss', st);
  if (why) return why;
  return logLossKernel(yTrue, probabilities, undefined, LOG_LOSS_EPS);
}

registerWeighted(logLoss, { ranking: false, kernel: (y, s, _o, w) => logLossKernel(y, s, w, LOG_LOSS_EPS) });
