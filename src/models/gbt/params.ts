// Parameters of the histogram gradient-boosted trees, LightGBM's names in camelCase with
// LightGBM's defaults (log loss, leaf-wise growth).

import { is, type ParamSpec, resolveParams } from '../params.js';

/** Validation metrics for early stopping, LightGBM's names in camelCase. */
export const GBT_METRICS = ['binaryLogloss', 'averagePrecision', 'auc'] as const;
/** One of {@link GBT_METRICS}. */
export type GbtMetric = (typeof GBT_METRICS)[number];

/** Parameters of {@link fitGbt}. All optional. */
export interface GbtParams {
  /** Boosting rounds (trees) at most. Default 100 (LightGBM num_iterations). */
  readonly numIterations: number;
  /** Shrinkage of every leaf value. Default 0.1. */
  readonly learningRate: number;
  /** Leaves per tree at most; trees grow leaf-wise (best gain first). Default 31. */
  readonly numLeaves: number;
  /** Depth limit; ≤ 0 means none. Default −1. */
  readonly maxDepth: number;
  /** Rows per leaf at least. Default 20. */
  readonly minDataInLeaf: number;
  /** Hessian sum per leaf at least. Default 1e-3. */
  readonly minSumHessianInLeaf: number;
  /** L2 penalty on leaf values (the λ in G²/(H + λ)). Default 0. */
  readonly lambdaL2: number;
  /** A split must gain more than this. Default 0. */
  readonly minGainToSplit: number;
  /** Share of features drawn (without replacement) for each tree. Default 1. */
  readonly featureFraction: number;
  /** Share of rows drawn (without replacement) for the bag. Default 1 (no bagging). */
  readonly baggingFraction: number;
  /** Redraw the bag every k iterations; 0 disables bagging. Default 0. */
  readonly baggingFreq: number;
  /** Value bins per feature at most (a missing-value bin comes on top). Default 255. */
  readonly maxBin: number;
  /** Rows sampled to find bin edges. Default 200000. */
  readonly binConstructSampleCnt: number;
  /**
   * Stop when the validation log loss has not improved for this many rounds and keep
   * the best iteration's trees; 0 disables. Needs a validation set. Default 0.
   */
  readonly earlyStoppingRounds: number;
  /**
   * Validation metric tracked each round and used by early stopping: "binaryLogloss"
   * (lower is better), "averagePrecision" or "auc" (higher is better; need both classes
   * in the validation rows). Default "binaryLogloss" (LightGBM's for binary).
   */
  readonly metric: GbtMetric;
  /** Seed of bagging, feature sampling and bin sampling. Default 0. */
  readonly seed: number;
}

const SPECS: { readonly [K in keyof GbtParams]: ParamSpec<GbtParams[K]> } = {
  numIterations: { default: 100, check: is.integer(1, 100_000) },
  learningRate: { default: 0.1, check: is.number(0, 1e3, { minOpen: true }) },
  numLeaves: { default: 31, check: is.integer(2, 131_072) },
  maxDepth: { default: -1, check: is.integer(-1, 1000) },
  minDataInLeaf: { default: 20, check: is.integer(1, Number.MAX_SAFE_INTEGER) },
  minSumHessianInLeaf: { default: 1e-3, check: is.number(0, Number.MAX_VALUE) },
  lambdaL2: { default: 0, check: is.number(0, Number.MAX_VALUE) },
  minGainToSplit: { default: 0, check: is.number(0, Number.MAX_VALUE) },
  featureFraction: { default: 1, check: is.number(0, 1, { minOpen: true }) },
  baggingFraction: { default: 1, check: is.number(0, 1, { minOpen: true }) },
  baggingFreq: { default: 0, check: is.integer(0, 100_000) },
  maxBin: { default: 255, check: is.integer(2, 255) },
  binConstructSampleCnt: { default: 200_000, check: is.integer(1, Number.MAX_SAFE_INTEGER) },
  earlyStoppingRounds: { default: 0, check: is.integer(0, 100_000) },
  metric: { default: 'binaryLogloss', check: is.oneOf(GBT_METRICS) },
  seed: { default: 0, check: is.integer(0, 4_294_967_295) },
};

/** Every parameter with its default filled in; throws `models.invalidParams` listing all problems. */
export function resolveGbtParams(params?: Partial<GbtParams>): Readonly<GbtParams> {
  return resolveParams('fitGbt', SPECS, params);
}
