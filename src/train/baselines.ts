// The two baselines that are not fitted: a hand-written rules score and the current-campaign
// comparator. Both read feature columns already in the table, so they score exactly the
// rows the models score; the logistic regression stays the gates' baseline.

import type { FlatTable } from './table.js';
import { cellText, isMissingCell } from './table.js';

/** The engagement score column the rules baseline reads (see docs/features.md). */
export const RULES_SCORE_COL = 'eng_score';
/** Range of {@link RULES_SCORE_COL}: its points run from −6 to 7. */
const ENG_MIN = -6;
const ENG_MAX = 7;

/**
 * Columns of the comparator, most specific first: the time-aware historical booking rates
 * of the enrollment's variant, step and campaign (docs/features.md, family campaign).
 */
export const COMPARATOR_COLS = [
  'cmp_variant_book_rate',
  'cmp_step_book_rate',
  'cmp_campaign_book_rate',
] as const;

/**
 * The comparator's columns for a label: each target reads the history of its own outcome
 * (T2 the qualification rates, T3 the conversion rates); any other label the booking rates.
 */
export const COMPARATOR_COLS_BY_LABEL: Readonly<Record<string, readonly string[]>> = {
  booked_call_within_7d: COMPARATOR_COLS,
  qualified_within_14d: [
    'cmp_variant_qualified_rate',
    'cmp_step_qualified_rate',
    'cmp_campaign_qualified_rate',
  ],
  conversion_within_30d: [
    'cmp_variant_converted_rate',
    'cmp_step_converted_rate',
    'cmp_campaign_converted_rate',
  ],
};

/** A baseline's scores of some rows and the plain-words rule that made them. */
export interface BaselineScores {
  readonly definition: string;
  readonly scores: Float64Array;
}

function numbers(table: FlatTable, col: string, rows: readonly number[]): Float64Array | null {
  const j = table.featureCols.indexOf(col);
  if (j < 0) return null;
  const values = table.features[j]!;
  return Float64Array.from(rows, (i) => {
    const v = cellText(values, i);
    return isMissingCell(v) ? Number.NaN : Number(v);
  });
}

/**
 * The rules baseline on `rows`: with an `eng_score` column, (clamp(eng_score, −6, 7) + 6) / 13
 * — the engagement points mapped onto [0, 1], missing read as 0 points; without it, the
 * constant `fallbackRate` (the training rows' positive rate), which ranks nothing, so its
 * ranking metrics are unavailable ('constantScores') and only its Brier score is reported.
 */
export function rulesScores(table: FlatTable, rows: readonly number[], fallbackRate: number): BaselineScores {
  const eng = numbers(table, RULES_SCORE_COL, rows);
  if (eng === null) {
    return {
      definition: `no ${RULES_SCORE_COL} column: the training positive rate for every row`,
      scores: new Float64Array(rows.length).fill(fallbackRate),
    };
  }
  const span = ENG_MAX - ENG_MIN;
  const scores = eng.map((v) => {
    const x = Number.isFinite(v) ? Math.min(ENG_MAX, Math.max(ENG_MIN, v)) : 0;
    return (x - ENG_MIN) / span;
  });
  return {
    definition: `(clamp(${RULES_SCORE_COL}, ${ENG_MIN}, ${ENG_MAX}) + 6) / 13; missing as 0 points`,
    scores,
  };
}

/**
 * The current-campaign comparator on `rows`: the variant's historical rate of the label's
 * outcome ({@link COMPARATOR_COLS_BY_LABEL}; the booking rate for other labels), else the
 * step's, else the campaign's (the first present column), else `fallbackRate`. Null when the table has none of these columns (flat tables without them).
 */
export function comparatorScores(
  table: FlatTable,
  rows: readonly number[],
  fallbackRate: number,
): BaselineScores | null {
  const own = COMPARATOR_COLS_BY_LABEL[table.labelCol] ?? COMPARATOR_COLS;
  const ownPresent = own.filter((c) => table.featureCols.includes(c));
  const present =
    ownPresent.length > 0 ? ownPresent : COMPARATOR_COLS.filter((c) => table.featureCols.includes(c));
  if (present.length === 0) return null;
  const cols = present.map((c) => numbers(table, c, rows)!);
  const scores = Float64Array.from(rows, (_, k) => {
    for (const col of cols) {
      const v = col[k]!;
      if (Number.isFinite(v)) return v;
    }
    return fallbackRate;
  });
  return {
    definition: `first present of ${present.join(', ')}; else the training positive rate`,
    scores,
  };
}
