// The metrics of one model on one split, as metrics.json holds them: PR-AUC, ROC-AUC,
// Brier, lift at the top 5/10/20% with seeded bootstrap 95% intervals; calibration curve,
// ECE and precision@k as points. An unavailable metric is null with its reason, never NaN.

import { averagePrecision } from '../evaluate/average-precision.js';
import { type BootstrapInterval, bootstrapIntervals } from '../evaluate/bootstrap.js';
import { brierScore } from '../evaluate/brier-score.js';
import {
  type CalibrationCurve,
  calibrationCurve,
  expectedCalibrationError,
} from '../evaluate/calibration-curve.js';
import type { GateMetric } from '../evaluate/gates.js';
import { liftAt, precisionAtK } from '../evaluate/lift.js';
import {
  isAvailable,
  type MetricFn,
  type MetricValue,
  type Unavailable,
  type UnavailableCode,
} from '../evaluate/metric-value.js';
import { rocAuc } from '../evaluate/roc-auc.js';

/** Why a metric (or its interval) could not be computed. */
export interface UnavailableNote {
  readonly code: UnavailableCode;
  readonly reason: string;
}

/** A metric's point value and its bootstrap 95% interval (nulls when unavailable). */
export interface MetricInterval {
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Set when the point or the interval is unavailable. */
  readonly unavailable: UnavailableNote | null;
}

/** scikit-learn's calibration_curve output, snake_case as in metrics.json. */
export interface CalibrationCurveJson {
  readonly prob_true: readonly number[];
  readonly prob_pred: readonly number[];
  readonly counts: readonly number[];
  readonly bins: readonly number[];
  readonly n_bins: number;
}

function curveJson(c: CalibrationCurve): CalibrationCurveJson {
  return { prob_true: c.probTrue, prob_pred: c.probPred, counts: c.counts, bins: c.bins, n_bins: c.nBins };
}

/** Precision among the top k rows; k is capped at the rows (noted). */
export interface PrecisionAtKValue {
  readonly value: number | null;
  readonly k: number;
  readonly requested_k: number;
  readonly note: string | null;
}

/** Every metric of one model on one split. */
export interface ModelEvaluation {
  readonly n_samples: number;
  readonly n_positive: number;
  readonly positive_rate: number | null;
  readonly pr_auc: MetricInterval;
  readonly roc_auc: MetricInterval;
  readonly brier: MetricInterval;
  readonly lift: {
    readonly top_5pct: MetricInterval;
    readonly top_10pct: MetricInterval;
    readonly top_20pct: MetricInterval;
  };
  /** Expected calibration error over 10 uniform bins; null when unavailable. */
  readonly ece: number | null;
  /** Reliability curve over 10 uniform bins (non-empty bins only), or the reason it is unavailable. */
  readonly calibration_curve: CalibrationCurveJson | UnavailableNote;
  readonly precision_at_k: Readonly<Record<string, PrecisionAtKValue>>;
}

/** Options of {@link evaluateScores}. */
export interface EvaluateScoresOptions {
  /** Seed of the bootstrap. */
  readonly seed: number;
  /** Resamples per interval; 0 skips intervals. */
  readonly nBoot: number;
  readonly precisionAtK: readonly number[];
}

/** A metric's value or null. */
export function metricPoint(v: MetricValue): number | null {
  return isAvailable(v) ? v : null;
}

/** A {@link MetricInterval} as the gates read it: its point, or an unavailable marker (fails closed). */
export function gateMetric(m: MetricInterval): GateMetric {
  if (m.point !== null) return m.point;
  return {
    unavailable: true,
    code: m.unavailable?.code ?? 'empty',
    reason: m.unavailable?.reason ?? 'not computed',
  };
}

/**
 * Point values and bootstrap intervals of `fns` for every score vector of `ps` against
 * `y`: `result[s][m]`. One batch of resamples serves all of them (see bootstrapIntervals).
 */
function withIntervals(
  fns: readonly MetricFn[],
  y: Uint8Array,
  ps: readonly Float64Array[],
  o: EvaluateScoresOptions,
): MetricInterval[][] {
  const points = ps.map((p) => fns.map((fn) => fn(y, p)));
  const intervals: (BootstrapInterval | Unavailable)[][] | null =
    o.nBoot === 0 ? null : bootstrapIntervals(fns, y, ps, { nBoot: o.nBoot, seed: o.seed });
  return points.map((row, s) =>
    row.map((v, m) => {
      if (!isAvailable(v)) {
        const note =
          typeof v === 'number'
            ? { code: 'nonFiniteScores' as const, reason: 'not finite' }
            : { code: v.code, reason: v.reason };
        return { point: null, lower: null, upper: null, unavailable: note };
      }
      if (intervals === null) return { point: v, lower: null, upper: null, unavailable: null };
      const iv = intervals[s]![m]!;
      if ('unavailable' in iv) {
        return { point: v, lower: null, upper: null, unavailable: { code: iv.code, reason: iv.reason } };
      }
      return { point: v, lower: iv.lower, upper: iv.upper, unavailable: null };
    }),
  );
}

const LIFT_5 = liftAt(0.05);
const LIFT_10 = liftAt(0.1);
const LIFT_20 = liftAt(0.2);
const SCORE_METRICS: readonly MetricFn[] = [averagePrecision, rocAuc, brierScore, LIFT_5, LIFT_10, LIFT_20];
const ORG_METRICS: readonly MetricFn[] = [averagePrecision, rocAuc, brierScore];

/** All metrics of probabilities `p` against labels `y`. */
export function evaluateScores(y: Uint8Array, p: Float64Array, o: EvaluateScoresOptions): ModelEvaluation {
  return evaluateScoresMany(y, [p], o)[0]!;
}

/**
 * {@link evaluateScores} of several score vectors on the same labels, equal to one call
 * each but with the bootstrap resamples drawn once for all of them.
 */
export function evaluateScoresMany(
  y: Uint8Array,
  ps: readonly Float64Array[],
  o: EvaluateScoresOptions,
): ModelEvaluation[] {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i]!;
  const all = withIntervals(SCORE_METRICS, y, ps, o);
  return ps.map((p, s) => {
    const [prAuc, roc, brier, lift5, lift10, lift20] = all[s]! as [
      MetricInterval,
      MetricInterval,
      MetricInterval,
      MetricInterval,
      MetricInterval,
      MetricInterval,
    ];
    const curve = calibrationCurve(y, p, { nBins: 10 });
    const precision: Record<string, PrecisionAtKValue> = {};
    for (const k of o.precisionAtK) {
      const r = precisionAtK(y, p, k);
      precision[String(k)] =
        'unavailable' in r
          ? { value: null, k: Math.min(k, y.length), requested_k: k, note: r.reason }
          : { value: r.value, k: r.k, requested_k: r.requestedK, note: r.note ?? null };
    }
    return {
      n_samples: y.length,
      n_positive: pos,
      positive_rate: y.length > 0 ? pos / y.length : null,
      pr_auc: prAuc,
      roc_auc: roc,
      brier,
      lift: { top_5pct: lift5, top_10pct: lift10, top_20pct: lift20 },
      ece: metricPoint(expectedCalibrationError(y, p, { nBins: 10 })),
      calibration_curve:
        'unavailable' in curve ? { code: curve.code, reason: curve.reason } : curveJson(curve),
      precision_at_k: precision,
    };
  });
}

/** PR-AUC, ROC-AUC and Brier of one org's rows, each with its interval or unavailable marker. */
export interface OrgEvaluation {
  readonly org_id: string;
  readonly n_samples: number;
  readonly n_positive: number;
  readonly positive_rate: number | null;
  readonly pr_auc: MetricInterval;
  readonly roc_auc: MetricInterval;
  readonly brier: MetricInterval;
}

/**
 * The metrics of `p` against `y` within each org (`orgOf[i]` is row i's org), sorted by
 * org_id (code-unit order). Every org's intervals use the same seed and resamples. An org
 * whose rows hold one class gets PR-AUC and ROC-AUC unavailable ('oneClass').
 */
export function evaluateByOrg(
  orgOf: readonly string[],
  y: Uint8Array,
  p: Float64Array,
  o: EvaluateScoresOptions,
): OrgEvaluation[] {
  const rows = new Map<string, number[]>();
  orgOf.forEach((org, i) => {
    const list = rows.get(org);
    if (list) list.push(i);
    else rows.set(org, [i]);
  });
  const orgs = [...rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return orgs.map((org) => {
    const idx = rows.get(org)!;
    const yy = Uint8Array.from(idx, (i) => y[i]!);
    const pp = Float64Array.from(idx, (i) => p[i]!);
    let pos = 0;
    for (let k = 0; k < yy.length; k++) pos += yy[k]!;
    return {
      org_id: org,
      n_samples: yy.length,
      n_positive: pos,
      positive_rate: yy.length > 0 ? pos / yy.length : null,
      ...orgMetrics(withIntervals(ORG_METRICS, yy, [pp], o)[0]!),
    };
  });
}

function orgMetrics(v: MetricInterval[]): Pick<OrgEvaluation, 'pr_auc' | 'roc_auc' | 'brier'> {
  return { pr_auc: v[0]!, roc_auc: v[1]!, brier: v[2]! };
}
