// The fitted logistic regression as a readonly, JSON-serializable value (model.json).

import type { StandardScaler } from '../scaler.js';
import type { LogregParams } from './params.js';

/**
 * A fitted L2 logistic regression on standardized features (0/1 indicators only centered,
 * scale 1 — see `scaler.standardized`): raw score =
 * intercept + Σⱼ coefficients[j] · (x_j − mean_j) / scale_j, missing x_j counting as the
 * mean (contribution 0).
 */
export interface LogregModel {
  readonly kind: 'logreg';
  readonly formatVersion: 1;
  /** The parameters as passed to the fit (defaults not filled in). */
  readonly params: Readonly<Partial<LogregParams>>;
  /** Every parameter as used, defaults filled in. */
  readonly resolvedParams: Readonly<LogregParams>;
  readonly featureNames: readonly string[];
  readonly scaler: StandardScaler;
  /** On the scaler's scale (per standard deviation; per unit for indicators), in `featureNames` order. */
  readonly coefficients: readonly number[];
  readonly intercept: number;
  readonly nIterations: number;
  /** False when maxIter was reached before the tolerance. */
  readonly converged: boolean;
  readonly nTrain: number;
}
