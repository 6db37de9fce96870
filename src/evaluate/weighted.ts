// A registry from leadlift's metric functions to their weighted kernels, so the
// bootstrap can resample by multiplicities (O(n) per resample) for the metrics it knows
// and fall back to copying resamples for any other metric function.

import type { MetricFn } from './metric-value.js';

/** How the bootstrap evaluates a known metric on a weighted resample. */
export interface WeightedMetric {
  /** Needs both classes and varying scores in the resample (ranking metrics). */
  readonly ranking: boolean;
  /** The metric with row multiplicities `w`; `order` is the rows by descending score. */
  readonly kernel: (y: Uint8Array, s: Float64Array, order: Uint32Array, w: Float64Array) => number;
  /**
   * A ranking metric the bootstrap can compute in its one shared pass over the sorted rows
   * (with the other such metrics of the same scores) instead of calling `kernel`: the same
   * operations in the same order, so the same value bit for bit.
   */
  readonly sorted?: SortedMetric;
}

/** The ranking metrics with a fused form: average precision, ROC-AUC, lift at a fraction. */
export type SortedMetric =
  | { readonly kind: 'averagePrecision' }
  | { readonly kind: 'rocAuc' }
  | { readonly kind: 'lift'; readonly fraction: number };

const registry = new WeakMap<MetricFn, WeightedMetric>();

/** Registers the weighted form of a metric function. */
export function registerWeighted(fn: MetricFn, spec: WeightedMetric): MetricFn {
  registry.set(fn, spec);
  return fn;
}

/** The weighted form of `fn`, when it is one of leadlift's metrics. */
export function weightedOf(fn: MetricFn): WeightedMetric | undefined {
  return registry.get(fn);
}
