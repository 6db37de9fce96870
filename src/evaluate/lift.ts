// Top-of-list metrics: lift at a fraction of the list and precision at k, with ties at
// the cut shared in proportion so the value never depends on row order.

import { LeadliftError } from '../errors.js';
import { topKPositivesKernel } from '../numeric/metric-kernels.js';
import {
  type MetricFn,
  type MetricValue,
  pairStats,
  rankingUnavailable,
  type Unavailable,
} from './metric-value.js';
import { descendingOrder } from './order.js';
import { registerWeighted } from './weighted.js';

/** Rows in the top `fraction` of `n`: ⌈fraction·n⌉ (at least 1), robust to float noise. */
export function topCount(n: number, fraction: number): number {
  return Math.max(1, Math.min(n, Math.ceil(fraction * n - 1e-9)));
}

/**
 * Lift in the top `fraction` (0 < fraction ≤ 1; the contract reports 0.05, 0.1, 0.2) of
 * rows by score: precision in the top ⌈fraction·n⌉ rows divided by the overall positive
 * rate. A tie group straddling the cut counts in proportion to the part inside. 1 = no
 * better than random. Unavailable when empty, one class, constant scores or any NaN.
 */
export function liftAtFraction(yTrue: Uint8Array, scores: Float64Array, fraction: number): MetricValue {
  checkFraction(fraction);
  const st = pairStats('liftAtFraction', yTrue, scores);
  const why = rankingUnavailable(`Lift at top ${fraction * 100}%`, st);
  if (why) return why;
  const k = topCount(st.n, fraction);
  const pos = topKPositivesKernel(yTrue, scores, descendingOrder(scores), undefined, k);
  return pos / k / (st.positives / st.n);
}

/**
 * `liftAtFraction` with the fraction bound, as a {@link MetricFn} the bootstrap can
 * resample fast. Example: `bootstrapInterval(liftAt(0.1), y, p)`.
 */
export function liftAt(fraction: number): MetricFn {
  checkFraction(fraction);
  const fn: MetricFn = (y, s) => liftAtFraction(y, s, fraction);
  return registerWeighted(fn, {
    ranking: true,
    sorted: { kind: 'lift', fraction },
    kernel: (y, s, order, w) => {
      let total = 0;
      let pos = 0;
      for (let i = 0; i < y.length; i++) {
        total += w[i]!;
        if (y[i] === 1) pos += w[i]!;
      }
      const k = topCount(total, fraction);
      return topKPositivesKernel(y, s, order, w, k) / k / (pos / total);
    },
  });
}

/** The result of {@link precisionAtK}: the k actually used, and a note when it was capped. */
export interface PrecisionAtK {
  readonly value: number;
  /** k used: min(requested k, rows). */
  readonly k: number;
  readonly requestedK: number;
  /** Set when k exceeded the rows, e.g. "k = 500 > 120 rows; used k = 120". */
  readonly note: string | undefined;
}

/**
 * Share of positives among the `k` highest-scored rows (ties at the cut shared in
 * proportion). When k exceeds the rows, all rows are used and `note` says so.
 * Unavailable when empty, one class, constant scores or any NaN. `k` must be a positive
 * integer (else `evaluate.invalidOption`).
 */
export function precisionAtK(yTrue: Uint8Array, scores: Float64Array, k: number): PrecisionAtK | Unavailable {
  if (!Number.isInteger(k) || k < 1) {
    throw new LeadliftError(
      'evaluate.invalidOption',
      `precisionAtK: k must be a positive integer; got ${k}.`,
    );
  }
  const st = pairStats('precisionAtK', yTrue, scores);
  const why = rankingUnavailable(`Precision@${k}`, st);
  if (why) return why;
  const used = Math.min(k, st.n);
  const pos = topKPositivesKernel(yTrue, scores, descendingOrder(scores), undefined, used);
  return {
    value: pos / used,
    k: used,
    requestedK: k,
    note: used < k ? `k = ${k} > ${st.n} rows; used k = ${st.n}` : undefined,
  };
}

function checkFraction(fraction: number): void {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new LeadliftError(
      'evaluate.invalidOption',
      `liftAtFraction: fraction must be in (0, 1], e.g. 0.1 for the top 10%; got ${fraction}.`,
    );
  }
}
