// Per-row additive explanations shared by every model: raw score = expectedValue + the
// row's contributions, and the top positive and negative reasons of a row.

/** Additive contributions: raw score of row i = expectedValue + Σⱼ columns[j][i]. */
export interface Contributions {
  readonly names: readonly string[];
  /** The average raw score over training rows (the logistic regression's intercept). */
  readonly expectedValue: number;
  /** One column per feature, in `names` order. */
  readonly columns: readonly Float64Array[];
}

/** A feature and its contribution to one row's raw score (log-odds). */
export interface Reason {
  readonly feature: string;
  readonly contribution: number;
}

/** The largest positive and most negative contributions of one row. */
export interface RowReasons {
  /** Descending by contribution, only > 0. */
  readonly positive: readonly Reason[];
  /** Ascending by contribution, only < 0. */
  readonly negative: readonly Reason[];
}

/**
 * The row's top `k` (default 3) positive and top `k` negative contributions; ties keep
 * feature order, so the result is deterministic.
 */
export function topReasons(contributions: Contributions, row: number, k = 3): RowReasons {
  const all = contributions.names.map((feature, j) => ({
    feature,
    contribution: contributions.columns[j]![row]!,
    j,
  }));
  const positive = all
    .filter((r) => r.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || a.j - b.j)
    .slice(0, k)
    .map(({ feature, contribution }) => ({ feature, contribution }));
  const negative = all
    .filter((r) => r.contribution < 0)
    .sort((a, b) => a.contribution - b.contribution || a.j - b.j)
    .slice(0, k)
    .map(({ feature, contribution }) => ({ feature, contribution }));
  return { positive, negative };
}
