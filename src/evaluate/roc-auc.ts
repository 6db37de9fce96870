// ROC-AUC as scikit-learn's roc_auc_score computes it for binary labels: the trapezoid
// under the ROC curve of distinct thresholds, so a tie between a positive and a negative
// counts one half.

import { rocAucKernel } from '../numeric/metric-kernels.js';
import { type MetricValue, pairStats, rankingUnavailable } from './metric-value.js';
import { descendingOrder } from './order.js';
import { registerWeighted } from './weighted.js';

/**
 * Area under the ROC curve of `scores` for binary `yTrue`. Unavailable when empty, one
 * class, constant scores or any NaN score.
 */
export function rocAuc(yTrue: Uint8Array, scores: Float64Array): MetricValue {
  const st = pairStats('rocAuc', yTrue, scores);
  const why = rankingUnavailable('ROC-AUC', st);
  if (why) return why;
  return rocAucKernel(yTrue, scores, descendingOrder(scores), undefined);
}

registerWeighted(rocAuc, { ranking: true, kernel: rocAucKernel, sorted: { kind: 'rocAuc' } });
