// Per-row reasons in plain words: the top 3 positive and top 3 negative contributions to
// the selected model's raw score (log-odds), on the original columns, e.g.
// "age high (+0.12)" or "job = student (-0.05)".

import { type Contributions, topReasonSlots, topReasons } from '../models/contributions.js';
import type { Frame } from '../numeric/frame.js';
import type { Preprocessing } from './encoding.js';

/** The reasons of one row, as phrases. */
export interface RowReasonText {
  readonly positive: readonly string[];
  readonly negative: readonly string[];
}

/**
 * How a feature value reads: numbers are "high"/"low"/"average" against the training
 * mean, categories by value, missing or unseen values as "missing".
 */
export function describeValue(prep: Preprocessing, j: number, code: number): string {
  const f = prep.features[j]!;
  if (Number.isNaN(code)) return `${f.name} missing`;
  if (f.type === 'categorical') return `${f.name} = ${f.categories[code] ?? '?'}`;
  return `${f.name} ${code > f.mean ? 'high' : code < f.mean ? 'low' : 'average'}`;
}

/** A signed contribution with two decimals, e.g. "+0.12", "-0.05". */
export function formatContribution(c: number): string {
  return `${c >= 0 ? '+' : '-'}${Math.abs(c).toFixed(2)}`;
}

/** The reasons of every row; `codes` is the code view the values are read from. */
export function reasonsOf(c: Contributions, prep: Preprocessing, codes: Frame, k = 3): RowReasonText[] {
  const index = new Map(prep.features.map((f, j) => [f.name, j] as const));
  const out: RowReasonText[] = [];
  for (let i = 0; i < codes.nRows; i++) {
    const r = topReasons(c, i, k);
    const phrase = (x: { feature: string; contribution: number }) => {
      const j = index.get(x.feature)!;
      return `${describeValue(prep, j, codes.columns[j]![i]!)} (${formatContribution(x.contribution)})`;
    };
    out.push({ positive: r.positive.map(phrase), negative: r.negative.map(phrase) });
  }
  return out;
}

/** The reasons column of predictions.csv: positives then negatives, "; "-separated. */
export function reasonsText(r: RowReasonText): string {
  return [...r.positive, ...r.negative].join('; ');
}

/**
 * Every row's top reasons, compact: per row, `k` positive then `k` negative slots, each a
 * feature index (-1: unused), its contribution and the feature's value in the code view
 * (what {@link describeValue} reads). About 120 bytes a row where the phrases took several
 * hundred; {@link reasonAt} makes a row's phrases when they are written.
 */
export interface ReasonTable {
  readonly nRows: number;
  readonly k: number;
  readonly prep: Preprocessing;
  readonly feature: Int32Array;
  readonly contribution: Float64Array;
  readonly value: Float64Array;
}

/** An empty reason table of `nRows` rows, filled block by block with {@link fillReasons}. */
export function reasonTable(nRows: number, prep: Preprocessing, k = 3): ReasonTable {
  const slots = nRows * 2 * k;
  return {
    nRows,
    k,
    prep,
    feature: new Int32Array(slots),
    contribution: new Float64Array(slots),
    value: new Float64Array(slots),
  };
}

/**
 * Fills the reasons of rows [from, from + codes.nRows) of `t` from the contributions of
 * those rows (`c` and `codes` hold only them; `c` per feature, in `t.prep` order).
 */
export function fillReasons(t: ReasonTable, c: Contributions, codes: Frame, from: number): void {
  const width = 2 * t.k;
  for (let i = 0; i < codes.nRows; i++) {
    const at = (from + i) * width;
    topReasonSlots(c, i, t.k, t.feature, t.contribution, at);
    for (let q = at; q < at + width; q++) {
      const j = t.feature[q]!;
      t.value[q] = j < 0 ? 0 : codes.columns[j]![i]!;
    }
  }
}

/** The phrases of row `i` of a reason table: the same as {@link reasonsOf} gives for the row. */
export function reasonAt(t: ReasonTable, i: number): RowReasonText {
  const at = i * 2 * t.k;
  const phrases = (from: number): string[] => {
    const out: string[] = [];
    for (let q = from; q < from + t.k; q++) {
      const j = t.feature[q]!;
      if (j < 0) break;
      out.push(`${describeValue(t.prep, j, t.value[q]!)} (${formatContribution(t.contribution[q]!)})`);
    }
    return out;
  };
  return { positive: phrases(at), negative: phrases(at + t.k) };
}
