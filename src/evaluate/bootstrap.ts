// Seeded bootstrap percentile intervals for any metric: rows are resampled with
// replacement from one seed, so the same inputs always give the same interval.

import { LeadliftError } from '../errors.js';
import { SeededRng } from '../numeric/rng.js';
import { quantileSorted } from '../numeric/sort.js';
import { topCount } from './lift.js';
import { isAvailable, type MetricFn, type Unavailable, unavailable } from './metric-value.js';
import { descendingOrder } from './order.js';
import { type WeightedMetric, weightedOf } from './weighted.js';

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
    /** Index of the value in its plan's fused pass, or -1 when the metric's kernel is called. */
    fused: number;
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
      jobs.push({ s, m, point, spec, values: new Float64Array(nBoot), nValid: 0, fused: -1 });
    });
  });
  if (jobs.length > 0) {
    // Per scorer: rows by descending score, their labels and tie-group ends in that order,
    // computed once; a resample then costs one pass over them for every ranking metric.
    const plans = scoresList.map((scores, s) =>
      planOf(
        s,
        scores,
        yTrue,
        n,
        jobs.filter((j) => j.s === s),
      ),
    );
    const rng = new SeededRng(seed, 0xb007);
    const w = new Float64Array(n);
    for (let r = 0; r < nBoot; r++) {
      drawCounts(rng, n, w);
      for (const plan of plans) {
        if (plan === null) continue;
        const scores = scoresList[plan.s]!;
        const rankable = plan.ranking ? sortedPass(plan, w, n) : false;
        for (const job of plan.jobs) {
          if (job.spec.ranking && !rankable) continue;
          const v = job.fused >= 0 ? plan.values[job.fused]! : job.spec.kernel(yTrue, scores, plan.order, w);
          if (Number.isFinite(v)) job.values[job.nValid++] = v;
        }
      }
    }
    for (const job of jobs) {
      out[job.s]![job.m] = intervalOf(job.point, job.values, job.nValid, n, { nBoot, seed, alpha });
    }
  }
  return out;
}

/** Multiplicities of n draws with replacement from n rows: n calls of `rng.nextInt(n)`. */
function drawCounts(rng: SeededRng, n: number, w: Float64Array): void {
  w.fill(0);
  for (let k = 0; k < n; k++) {
    const i = rng.nextInt(n);
    w[i] = w[i]! + 1;
  }
}

/** One scorer's rows sorted once, and the fused metrics computed in each resample's pass. */
interface SortedPlan {
  readonly s: number;
  readonly jobs: readonly {
    readonly spec: WeightedMetric;
    readonly values: Float64Array;
    nValid: number;
    fused: number;
  }[];
  /** Whether any job needs both classes and two distinct scores in the resample. */
  readonly ranking: boolean;
  readonly order: Uint32Array;
  /** Labels in `order`. */
  readonly ySorted: Uint8Array;
  /** 1 where the row in `order` is the last of its tie group (equal scores). */
  readonly groupEnd: Uint8Array;
  /** What each fused value is: 0 average precision, 1 ROC-AUC, 2 lift (with `liftK`). */
  readonly kinds: Uint8Array;
  /** Lift's top-row count ⌈fraction·n⌉ (resamples keep n rows). */
  readonly liftK: Float64Array;
  /** The pass's output, one value per fused metric. */
  readonly values: Float64Array;
}

function planOf(
  s: number,
  scores: Float64Array,
  y: Uint8Array,
  n: number,
  jobs: { spec: WeightedMetric; values: Float64Array; nValid: number; fused: number }[],
): SortedPlan | null {
  if (jobs.length === 0) return null;
  const ranking = jobs.some((j) => j.spec.ranking);
  const order = ranking ? descendingOrder(scores) : new Uint32Array(0);
  const ySorted = new Uint8Array(order.length);
  const groupEnd = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    ySorted[k] = y[i]!;
    groupEnd[k] = k === order.length - 1 || scores[order[k + 1]!] !== scores[i] ? 1 : 0;
  }
  const kinds: number[] = [];
  const liftK: number[] = [];
  for (const job of jobs) {
    const sorted = job.spec.sorted;
    if (!sorted || !ranking) continue;
    job.fused = kinds.length;
    kinds.push(sorted.kind === 'averagePrecision' ? 0 : sorted.kind === 'rocAuc' ? 1 : 2);
    liftK.push(sorted.kind === 'lift' ? topCount(n, sorted.fraction) : 0);
  }
  return {
    s,
    jobs,
    ranking,
    order,
    ySorted,
    groupEnd,
    kinds: Uint8Array.from(kinds),
    liftK: Float64Array.from(liftK),
    values: new Float64Array(kinds.length),
  };
}

/**
 * One pass over the plan's sorted rows with resample multiplicities `w` (summing to `n`):
 * fills `plan.values` with average precision, ROC-AUC and lifts exactly as
 * averagePrecisionKernel, rocAucKernel and topKPositivesKernel compute them (the same
 * sums in the same order), and returns whether the resample is rankable (both classes
 * and two distinct scores drawn).
 */
function sortedPass(plan: SortedPlan, w: Float64Array, n: number): boolean {
  const { order, ySorted, groupEnd, kinds, liftK, values } = plan;
  const nV = kinds.length;
  let liftPending = 0;
  for (let q = 0; q < nV; q++) {
    if (kinds[q] === 2) {
      liftPending++;
      values[q] = Number.NaN;
    }
  }
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let apSum = 0;
  let area = 0;
  let groups = 0;
  const m = order.length;
  for (let k = 0; k < m; k++) {
    const wi = w[order[k]!]!;
    if (ySorted[k] === 1) tp += wi;
    else fp += wi;
    if (groupEnd[k] === 1) {
      if (tp > prevTp) apSum += (tp - prevTp) * (tp / (tp + fp));
      area += (fp - prevFp) * (tp + prevTp) * 0.5;
      const taken = prevTp + prevFp;
      const groupW = tp + fp - taken;
      if (groupW > 0) groups++;
      if (liftPending > 0) {
        for (let q = 0; q < nV; q++) {
          // A lift whose cut falls in this group: the group counts in proportion.
          if (kinds[q] !== 2 || !Number.isNaN(values[q]!) || taken + groupW < liftK[q]!) continue;
          values[q] = groupW > 0 ? prevTp + ((tp - prevTp) * (liftK[q]! - taken)) / groupW : prevTp;
          liftPending--;
        }
      }
      prevTp = tp;
      prevFp = fp;
    }
  }
  for (let q = 0; q < nV; q++) {
    const kind = kinds[q]!;
    if (kind === 0) values[q] = apSum / tp;
    else if (kind === 1) values[q] = area / (tp * fp);
    else values[q] = values[q]! / liftK[q]! / (tp / n);
  }
  return tp > 0 && fp > 0 && groups >= 2;
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
