// Parameters of the L2 logistic regression, named as scikit-learn's LogisticRegression.

import { is, type ParamSpec, resolveParams } from '../params.js';

/** Parameters of {@link fitLogreg}. All optional; defaults match scikit-learn's objective. */
export interface LogregParams {
  /** Inverse L2 strength: minimizes ½‖w‖² + c·Σ log-loss (sklearn's C). Default 1.0. */
  readonly c: number;
  /** Fit an unpenalized intercept. Default true. */
  readonly fitIntercept: boolean;
  /** Newton iterations at most. Default 100. */
  readonly maxIter: number;
  /** Stops when no coefficient moves by more than tol in a step. Default 1e-10. */
  readonly tol: number;
}

const SPECS: { readonly [K in keyof LogregParams]: ParamSpec<LogregParams[K]> } = {
  c: { default: 1.0, check: is.number(0, Number.MAX_VALUE, { minOpen: true }) },
  fitIntercept: { default: true, check: is.boolean },
  maxIter: { default: 100, check: is.integer(1, 100_000) },
  tol: { default: 1e-10, check: is.number(0, 1, { minOpen: true }) },
};

/** Every parameter with its default filled in; throws `models.invalidParams` listing all problems. */
export function resolveLogregParams(params?: Partial<LogregParams>): Readonly<LogregParams> {
  return resolveParams('fitLogreg', SPECS, params);
}
