// Seeded bootstrap percentile intervals for any metric: rows are resampled with
// replacement from one seed, so the same inputs always give the same interval.

import { LeadliftError } from '../errors.js';
import { weightedRankable } from '../numeric/metric-kernels.js';
import { SeededRng } from '../numeric/rng.js';
import { argsortDescending, quantileSorted } from '../numeric/sort.js';
import { isAvailable, type MetricFn, type Unavailable, unavailable } from './metric-value.js';
import { weightedOf } from './weighted.js';

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Resamples. Default 1000. */
  readonly nBoot?: number;
  /** Seed of the resampling. Default 0. */
  readonly seed?: number;
  /** 1 − confidence: 0.05 gives a 95% interval. Default 0.05. */
  readonly alpha?: number;
}

/** A point estimate with its bootstrap percentile interval. */
export interface BootstrapInterval {
  /** The metric on all rows. */
  readonly point: number;
  /** The alpha/2 percentile of the resampled metric (numpy's linear interpolation). */
  readonly lower: number;
  /** The 1 − alpha/2 percentile. */
  readonly upper: number;
  readonly alpha: number;
  readonly nBoot: number;
  /** Resamples on which the metric was available (e.g. both classes drawn). */
  readonly nValid: number;
  readonly seed: number;
}

/**
 * The metric's value on all rows and its (1 − alpha) bootstrap percentile interval.
 * Resample r draws n row indices uniformly with replacement from `SeededRng(seed)`.
 * Resamples where the metric is unavailable (e.g. one class drawn) are skipped and
 * counted; if more than 10% are unusable, or the point value is unavailable, the result
 * is {@link Unavailable}. leadlift's own metrics (averagePrecision, rocAuc, brierScore,
 * logLoss, liftAt(f)) are computed from resample multiplicities on one sort — same
 * resamples, O(n) each; any other `metricFn` gets copied resamples.
 */
export function bootstrapInterval(
  metricFn: MetricFn,
  yTrue: Uint8Array,
  scores: Float64Array,
  options: BootstrapOptions = {},
): BootstrapInterval | Unavailable {
  const nBoot = options.nBoot ?? 1000;
  const seed = options.seed ?? 0;
  const alpha = options.alpha ?? 0.05;
  if (!Number.isInteger(nBoot) || nBoot < 1) {
    throw new LeadliftError(
      'evaluate.invalidOption',
      `bootstrapInterval: nBoot must be a positive integer; got ${nBoot}.`,
    );
  }
  if (!(alpha > 0 && alpha < 1)) {
    throw new LeadliftError(
      'evaluate.invalidOption',
      `bootstrapInterval: alpha must be in (0, 1), e.g. 0.05; got ${alpha}.`,
    );
  }
  const point = metricFn(yTrue, scores);
  if (!isAvailable(point)) {
    return typeof point === 'number' ? unavailable('nonFiniteScores', 'The metric is not finite.') : point;
  }
  const n = yTrue.length;
  const rng = new SeededRng(seed, 0xb007);
  const values = new Float64Array(nBoot);
  let nValid = 0;
  const weighted = weightedOf(metricFn);
  if (weighted) {
    const order = argsortDescending(scores);
    const w = new Float64Array(n);
    for (let r = 0; r < nBoot; r++) {
      w.fill(0);
      for (let k = 0; k < n; k++) {
        const i = rng.nextInt(n);
        w[i] = w[i]! + 1;
      }
      if (weighted.ranking && !weightedRankable(yTrue, scores, w)) continue;
      const v = weighted.kernel(yTrue, scores, order, w);
      if (Number.isFinite(v)) values[nValid++] = v;
    }
  } else {
    const y = new Uint8Array(n);
    const s = new Float64Array(n);
    for (let r = 0; r < nBoot; r++) {
      for (let k = 0; k < n; k++) {
        const i = rng.nextInt(n);
        y[k] = yTrue[i]!;
        s[k] = scores[i]!;
      }
      const v = metricFn(y, s);
      if (isAvailable(v)) values[nValid++] = v;
    }
  }
  if (nValid < 0.9 * nBoot) {
    return unavailable(
      'tooFewResamples',
      `Only ${nValid} of ${nBoot} bootstrap resamples of ${n} rows could compute the metric (too few rows or positives for an interval).`,
    );
  }
  const sorted = values.subarray(0, nValid).sort();
  return {
    point,
    lower: quantileSorted(sorted, alpha / 2),
    upper: quantileSorted(sorted, 1 - alpha / 2),
    alpha,
    nBoot,
    nValid,
    seed,
  };
}
