// The value a metric returns: a number, or an explicit "unavailable" marker with the
// reason, so a degenerate test split never turns into a silent NaN in metrics.json.

import { LeadliftError, listSome } from '../errors.js';

/** Why a metric could not be computed. */
export type UnavailableCode =
  | 'empty'
  | 'oneClass'
  | 'constantScores'
  | 'nonFiniteScores'
  | 'outOfRange'
  | 'tooFewResamples';

/** A metric that could not be computed on its input, with a reason for people. */
export interface Unavailable {
  readonly unavailable: true;
  readonly code: UnavailableCode;
  readonly reason: string;
}

/** A metric's result: its value, or {@link Unavailable}. Never NaN. */
export type MetricValue = number | Unavailable;

/** A metric over binary labels and scores, as {@link bootstrapInterval} takes it. */
export type MetricFn = (yTrue: Uint8Array, scores: Float64Array) => MetricValue;

/** Builds an {@link Unavailable} marker. */
export function unavailable(code: UnavailableCode, reason: string): Unavailable {
  return { unavailable: true, code, reason };
}

/** True when `v` is a finite number (not {@link Unavailable}, not undefined). */
export function isAvailable(v: MetricValue | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Facts about a (labels, scores) pair that every metric needs to decide availability. */
export interface PairStats {
  readonly n: number;
  readonly positives: number;
  readonly nanCount: number;
  readonly firstNanRows: readonly number[];
  readonly infCount: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Checks a (labels, scores) pair once: throws `evaluate.invalidInput` for a length
 * mismatch or labels other than 0/1 (a caller bug, not a data condition), and returns
 * the facts the availability rules read.
 */
export function pairStats(metric: string, yTrue: Uint8Array, scores: Float64Array): PairStats {
  if (yTrue.length !== scores.length) {
    throw new LeadliftError(
      'evaluate.invalidInput',
      `${metric}: ${yTrue.length} labels but ${scores.length} scores; pass one score per labelled row.`,
    );
  }
  let positives = 0;
  let nanCount = 0;
  let infCount = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const firstNanRows: number[] = [];
  const badLabels: number[] = [];
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (y === 1) positives++;
    else if (y !== 0 && badLabels.length < 6) badLabels.push(i);
    const s = scores[i]!;
    if (Number.isNaN(s)) {
      nanCount++;
      if (firstNanRows.length < 6) firstNanRows.push(i);
      continue;
    }
    if (!Number.isFinite(s)) infCount++;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  if (badLabels.length > 0) {
    throw new LeadliftError(
      'evaluate.invalidInput',
      `${metric}: labels must be 0 or 1; rows ${listSome(badLabels)} hold other values.`,
    );
  }
  return { n: yTrue.length, positives, nanCount, firstNanRows, infCount, min, max };
}

/** The first reason a ranking metric (needs both classes and varying scores) is unavailable. */
export function rankingUnavailable(metric: string, st: PairStats): Unavailable | undefined {
  if (st.n === 0) return unavailable('empty', `${metric} needs at least one row; the split is empty.`);
  if (st.nanCount > 0) return nanUnavailable(metric, st);
  if (st.positives === 0 || st.positives === st.n) {
    return unavailable(
      'oneClass',
      `${metric} needs both classes; all ${st.n} labels are ${st.positives === 0 ? 0 : 1}.`,
    );
  }
  if (st.min === st.max) {
    return unavailable(
      'constantScores',
      `${metric} needs varying scores; all ${st.n} scores equal ${st.min}.`,
    );
  }
  return undefined;
}

/** The first reason a probability metric (needs finite scores in [0, 1]) is unavailable. */
export function probabilityUnavailable(metric: string, st: PairStats): Unavailable | undefined {
  if (st.n === 0) return unavailable('empty', `${metric} needs at least one row; the split is empty.`);
  if (st.nanCount > 0) return nanUnavailable(metric, st);
  if (st.min < 0 || st.max > 1) {
    return unavailable(
      'outOfRange',
      `${metric} needs probabilities in [0, 1]; scores range from ${st.min} to ${st.max} (raw scores? apply the link or calibration first).`,
    );
  }
  return undefined;
}

function nanUnavailable(metric: string, st: PairStats): Unavailable {
  return unavailable(
    'nonFiniteScores',
    `${metric}: ${st.nanCount} of ${st.n} scores are NaN (rows ${listSome(st.firstNanRows)}); the model produced no score for them.`,
  );
}
