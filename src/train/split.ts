// Holdout and validation splits of a flat table: time-ordered (latest rows by time),
// tail (last rows in file order, for files already in time order) or seeded stratified
// random (exactly scikit-learn's train_test_split(stratify=y, random_state=seed)).

import { LeadliftError } from '../errors.js';
import { sklearnStratifiedSplit } from '../numeric/numpy-random.js';

/** How test (and validation) rows are chosen. */
export type SplitMode = 'time' | 'tail' | 'random';
export const SPLIT_MODES: readonly SplitMode[] = ['time', 'tail', 'random'];

/** Row indices of the two parts, each in split order (time or file order; ascending for random). */
export interface RowSplit {
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/** Rows ordered by time ascending, ties by row index (so the order is stable). */
export function timeOrder(timeMs: Float64Array): number[] {
  const idx = Array.from({ length: timeMs.length }, (_, i) => i);
  return idx.sort((a, b) => timeMs[a]! - timeMs[b]! || a - b);
}

/**
 * Splits `rows` (indices into `y`, in time or file order) so the last ⌈fraction·n⌉
 * ('time', 'tail') or a stratified random ⌈fraction·n⌉ ('random', seeded) are the second
 * part. Throws `train.tooFewRows` when either part would be empty, or (random) a class has
 * fewer than 2 rows.
 */
export function splitRows(
  rows: readonly number[],
  y: Uint8Array,
  mode: SplitMode,
  fraction: number,
  seed: number,
  what: string,
): RowSplit {
  const n = rows.length;
  const nSecond = Math.ceil(fraction * n - 1e-9);
  if (nSecond < 1 || nSecond >= n) {
    throw new LeadliftError(
      'train.tooFewRows',
      `${n} rows are too few to hold out ${fraction * 100}% as the ${what}; train on more rows or change the fraction.`,
      { details: { rows: n, fraction } },
    );
  }
  if (mode !== 'random') return { train: rows.slice(0, n - nSecond), test: rows.slice(n - nSecond) };
  const yy = Uint8Array.from(rows, (i) => y[i]!);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += yy[i]!;
  if (pos < 2 || n - pos < 2) {
    throw new LeadliftError(
      'train.tooFewRows',
      `A stratified ${what} needs at least 2 rows of each class; there are ${pos} positive and ${n - pos} negative rows. Add rows or use a time-ordered split (--time-col).`,
      { details: { rows: n, positives: pos } },
    );
  }
  const s = sklearnStratifiedSplit(yy, fraction, seed);
  return { train: s.train.map((k) => rows[k]!), test: s.test.map((k) => rows[k]!) };
}
