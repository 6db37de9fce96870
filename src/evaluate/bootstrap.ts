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
  const { nBoot, seed, alpha } = resolveOptions(options);
  const point = metricFn(yTrue, scores);
  if (!isAvailable(point)) {
    return typeof point === 'number' ? unavailable('nonFiniteScores', 'The metric is not finite.') : point;
  }
  const n = yTrue.length;
  const weighted = weightedOf(metricFn);
  if (weighted) {
    return bootstrapIntervals([metricFn], yTrue, [scores], options)[0]![0]!;
  }
  const rng = new SeededRng(seed, 0xb007);
  const values = new Float64Array(nBoot);
  let nValid = 0;
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
  return intervalOf(point, values, nValid, n, { nBoot, seed, alpha });
}

function resolveOptions(options: BootstrapOptions): Required<BootstrapOptions> {
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
  return { nBoot, seed, alpha };
}

/**
 * {@link bootstrapInterval} of every metric in `metricFns` for every score vector in
 * `scoresList` against the same labels: `result[s][m]` equals
 * `bootstrapInterval(metricFns[m], yTrue, scoresList[s], options)` bit for bit, but each
 * resample's multiplicities are drawn once and shared by all metrics and scorers (the
 * single calls draw the same resamples from the same seed anyway). Metrics without a
 * weighted kernel are computed by {@link bootstrapInterval} one at a time.
 */
export function bootstrapIntervals(
  metricFns: readonly MetricFn[],
  yTrue: Uint8Array,
  scoresList: readonly Float64Array[],
  options: BootstrapOptions = {},
): (BootstrapInterval | Unavailable)[][] {
  const { nBoot, seed, alpha } = resolveOptions(options);
  const n = yTrue.length;
  const out: (BootstrapInterval | Unavailable)[][] = scoresList.map(() => []);
  // Jobs: (scorer, metric) pairs whose point is available and whose metric is weighted.
  interface Job {
    readonly s: number;
    readonly m: number;
    readonly point: number;
    readonly spec: NonNullable<ReturnType<typeof weightedOf>>;
    readonly values: Float64Array;
    nValid: number;
  }
  const jobs: Job[] = [];
  scoresList.forEach((scores, s) => {
    metricFns.forEach((fn, m) => {
      const spec = weightedOf(fn);
      if (!spec) {
        out[s]![m] = bootstrapInterval(fn, yTrue, scores, options);
        return;
      }
      const point = fn(yTrue, scores);
      if (!isAvailable(point)) {
        out[s]![m] =
          typeof point === 'number' ? unavailable('nonFiniteScores', 'The metric is not finite.') : point;
        return;
      }
      jobs.push({ s, m, point, spec, values: new Float64Array(nBoot), nValid: 0 });
    });
  });
  if (jobs.length > 0) {
    const orders = scoresList.map((scores, s) =>
      jobs.some((j) => j.s === s) ? argsortDescending(scores) : new Uint32Array(0),
    );
    const rng = new SeededRng(seed, 0xb007);
    const w = new Float64Array(n);
    const rankable = new Int8Array(scoresList.length);
    for (let r = 0; r < nBoot; r++) {
      w.fill(0);
      for (let k = 0; k < n; k++) {
        const i = rng.nextInt(n);
        w[i] = w[i]! + 1;
      }
      rankable.fill(-1);
      for (const job of jobs) {
        const scores = scoresList[job.s]!;
        if (job.spec.ranking) {
          if (rankable[job.s] === -1) rankable[job.s] = weightedRankable(yTrue, scores, w) ? 1 : 0;
          if (rankable[job.s] === 0) continue;
        }
        const v = job.spec.kernel(yTrue, scores, orders[job.s]!, w);
        if (Number.isFinite(v)) job.values[job.nValid++] = v;
      }
    }
    for (const job of jobs) {
      out[job.s]![job.m] = intervalOf(job.point, job.values, job.nValid, n, { nBoot, seed, alpha });
    }
  }
  return out;
}

function intervalOf(
  point: number,
  values: Float64Array,
  nValid: number,
  n: number,
  { nBoot, seed, alpha }: Required<BootstrapOptions>,
): BootstrapInterval | Unavailable {
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
