// PR-AUC as average precision, exactly scikit-learn's average_precision_score: the sum
// over distinct score thresholds of (recall gained) × (precision at that threshold).

import { averagePrecisionKernel } from '../numeric/metric-kernels.js';
import { type MetricValue, pairStats, rankingUnavailable } from './metric-value.js';
import { descendingOrder } from './order.js';
import { registerWeighted } from './weighted.js';

/**
 * Average precision of `scores` for binary `yTrue` (1 = positive): AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ
 * over distinct thresholds in descending order, tied scores forming one threshold (as
 * scikit-learn ≥ 0.19). Unavailable when empty, one class, constant scores or any NaN.
 */
export function averagePrecision(yTrue: Uint8Array, scores: Float64Array): MetricValue {
  const st = pairStats('averagePrecision', yTrue, scores);
  const why = rankingUnavailable('PR-AUC (average precision)', st);
  if (why) return why;
  return averagePrecisionKernel(yTrue, scores, descendingOrder(scores), undefined);
}

registerWeighted(averagePrecision, {
  ranking: true,
  kernel: averagePrecisionKernel,
  sorted: { kind: 'averagePrecision' },
});
