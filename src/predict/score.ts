// Scoring a TrainingSet's rows with a saved run model: the features are turned into the
// same strings training_examples.csv holds (so the run's own encoding reads them exactly
// as it read its training rows), scored with scoreWithRunModel and explained like train.

import { LeadliftError, listSome } from '../errors.js';
import type { TrainingSet } from '../features/index.js';
import { explain, modelFromJson } from '../models/index.js';
import { contributionsByFeature } from '../train/encoding.js';
import {
  encodeCodes,
  encodeOneHot,
  type RowReasonText,
  type RunModelFile,
  reasonsOf,
  scoreWithRunModel,
} from '../train/index.js';

/** How a model's feature list compares with the data's. */
export interface FeatureMismatch {
  /** Features the model reads that the data lacks. */
  readonly missing: readonly string[];
  /** Features the data has that the model was not trained on. */
  readonly extra: readonly string[];
}

/** Missing and extra feature columns of `data` against the model's `feature_cols`. */
export function featureMismatch(model: readonly string[], data: readonly string[]): FeatureMismatch {
  const have = new Set(data);
  const want = new Set(model);
  return { missing: model.filter((f) => !have.has(f)), extra: data.filter((f) => !want.has(f)) };
}

/**
 * Throws `predict.featureMismatch` (exit 2) naming the missing and extra columns when the
 * model's feature list is not the data's.
 */
export function assertSameFeatures(
  model: readonly string[],
  data: readonly string[],
  artifacts: string,
): void {
  const m = featureMismatch(model, data);
  if (m.missing.length === 0 && m.extra.length === 0) return;
  const parts = [
    ...(m.missing.length > 0 ? [`missing from the data: ${listSome(m.missing, 10)}`] : []),
    ...(m.extra.length > 0 ? [`not in the model: ${listSome(m.extra, 10)}`] : []),
  ];
  throw new LeadliftError(
    'predict.featureMismatch',
    `The artifacts in ${artifacts} were trained on other feature columns than this data has (${parts.join('; ')}). ` +
      'Score with a run trained by this leadlift version on a cleaned snapshot (train --cleaned), or retrain (daily --mode train).',
    { details: { missing: m.missing, extra: m.extra } },
  );
}

/**
 * The raw string columns of `rows` of a training set, by feature name, as
 * training_examples.csv writes them: categories as text, missing as "", numbers in
 * JavaScript's shortest round-trip form.
 */
export function featureStrings(set: TrainingSet, rows: ArrayLike<number>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  set.featureDefs.forEach((d, j) => {
    const col = set.features.columns[j]!;
    const cats = d.categories;
    const s = new Array<string>(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const v = col[rows[k]!]!;
      s[k] = Number.isNaN(v) ? '' : cats ? cats[v]! : String(v);
    }
    out[d.name] = s;
  });
  return out;
}

/** Scores and reasons of scored rows. */
export interface ScoredRows {
  readonly scores: Float64Array;
  readonly reasons: readonly RowReasonText[];
}

/**
 * Calibrated scores and per-row reasons (top 3 up and down, as train writes them) of
 * string feature columns with a saved model.
 */
export function scoreAndExplain(
  file: RunModelFile,
  columns: Readonly<Record<string, readonly string[]>>,
): ScoredRows {
  const scores = scoreWithRunModel(file, columns);
  const prep = file.preprocessing;
  const codes = encodeCodes(
    prep,
    prep.features.map((f) => columns[f.name]!),
  );
  const model = modelFromJson(file.model);
  const view = file.view === 'codes' ? codes : encodeOneHot(prep, codes);
  const contributions = contributionsByFeature(explain(model, view), file.view, prep);
  return { scores, reasons: reasonsOf(contributions, prep, codes) };
}

/** 1-based rank by score (descending; ties by row order) and decile (1 = top tenth). */
export function ranksOf(scores: Float64Array): { rank: Int32Array; decile: Int32Array } {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const rank = new Int32Array(n);
  const decile = new Int32Array(n);
  order.forEach((i, k) => {
    rank[i] = k + 1;
    decile[i] = Math.ceil(((k + 1) * 10) / n);
  });
  return { rank, decile };
}
