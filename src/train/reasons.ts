// Per-row reasons in plain words: the top 3 positive and top 3 negative contributions to
// the selected model's raw score (log-odds), on the original columns, e.g.
// "age high (+0.12)" or "job = student (-0.05)".

import { type Contributions, topReasons } from '../models/contributions.js';
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
