// Turning a flat table's raw feature strings into model inputs, the same way at train and
// predict time. Numeric columns become Float64 (missing = NaN). Non-numeric columns are
// categorical: integer codes into a dictionary learned on training rows (sorted values;
// missing or unseen = NaN) for the trees, which split on codes and handle NaN natively;
// the logistic regression sees the same dictionary one-hot (its `maxOneHot` most frequent
// training values; the rest and missing are all-zero rows).

import type { Contributions } from '../models/index.js';
import type { Frame } from '../numeric/frame.js';
import { isMissingCell } from './table.js';

/** A numeric feature: parsed as a number, missing → NaN. */
export interface NumericEncoding {
  readonly name: string;
  readonly type: 'numeric';
  /** Mean of the non-missing training values: "high"/"low" in reasons is relative to it. */
  readonly mean: number;
}

/** A categorical feature: code = index in `categories`, one-hot over `oneHot`. */
export interface CategoricalEncoding {
  readonly name: string;
  readonly type: 'categorical';
  /** Training values, sorted; a value's code is its index. */
  readonly categories: readonly string[];
  /** The values that get a one-hot column `name=value` (most frequent first). */
  readonly oneHot: readonly string[];
}

export type FeatureEncoding = NumericEncoding | CategoricalEncoding;

/** The preprocessing of a flat table (part of scaler.json and model.json). */
export interface Preprocessing {
  readonly format: 'leadlift.preprocessing/1';
  readonly features: readonly FeatureEncoding[];
}

/** One-hot columns per categorical at most. Default 32. */
export const DEFAULT_MAX_ONE_HOT = 32;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Learns the encoding of every feature: a column is numeric when every non-missing value
 * (over all rows) is a decimal number, else categorical with the dictionary of the
 * `trainRows` values.
 */
export function fitPreprocessing(
  names: readonly string[],
  columns: readonly (readonly string[])[],
  trainRows: ArrayLike<number>,
  maxOneHot = DEFAULT_MAX_ONE_HOT,
): Preprocessing {
  const features = names.map((name, j): FeatureEncoding => {
    const col = columns[j]!;
    const numeric = col.every((v) => isMissingCell(v) || NUMBER.test(v.trim()));
    if (numeric) {
      let sum = 0;
      let n = 0;
      for (let k = 0; k < trainRows.length; k++) {
        const v = col[trainRows[k]!]!;
        if (!isMissingCell(v)) {
          sum += Number(v);
          n++;
        }
      }
      return { name, type: 'numeric', mean: n > 0 ? sum / n : 0 };
    }
    const counts = new Map<string, number>();
    for (let k = 0; k < trainRows.length; k++) {
      const v = col[trainRows[k]!]!;
      if (!isMissingCell(v)) counts.set(v.trim(), (counts.get(v.trim()) ?? 0) + 1);
    }
    const categories = [...counts.keys()].sort();
    const oneHot = [...categories]
      .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxOneHot);
    return { name, type: 'categorical', categories, oneHot };
  });
  return { format: 'leadlift.preprocessing/1', features };
}

/**
 * The tree view: one column per feature, numbers or category codes (NaN = missing or
 * unseen). `columns[j]` are the raw strings of `prep.features[j]`.
 */
export function encodeCodes(prep: Preprocessing, columns: readonly (readonly string[])[]): Frame {
  const nRows = columns[0]?.length ?? 0;
  const out = prep.features.map((f, j) => {
    const col = columns[j]!;
    const c = new Float64Array(nRows);
    if (f.type === 'numeric') {
      for (let i = 0; i < nRows; i++) {
        const v = col[i]!;
        c[i] = isMissingCell(v) ? Number.NaN : Number(v);
      }
    } else {
      const code = new Map(f.categories.map((v, k) => [v, k] as const));
      for (let i = 0; i < nRows; i++) c[i] = code.get(col[i]!.trim()) ?? Number.NaN;
    }
    return c;
  });
  return { nRows, names: prep.features.map((f) => f.name), columns: out };
}

/** Column names of the one-hot view: numeric names, then `name=value` per one-hot value. */
export function oneHotNames(prep: Preprocessing): string[] {
  return prep.features.flatMap((f) =>
    f.type === 'numeric' ? [f.name] : f.oneHot.map((v) => `${f.name}=${v}`),
  );
}

/** For each one-hot view column, the index of the feature it comes from. */
export function oneHotOwners(prep: Preprocessing): number[] {
  return prep.features.flatMap((f, j) => (f.type === 'numeric' ? [j] : f.oneHot.map(() => j)));
}

/**
 * Per-feature contributions: those of the one-hot view's columns summed back onto their
 * original feature (the trees' code view is already per feature).
 */
export function contributionsByFeature(
  c: Contributions,
  view: 'codes' | 'oneHot',
  prep: Preprocessing,
): Contributions {
  if (view === 'codes') return c;
  const owners = oneHotOwners(prep);
  const n = c.columns[0]?.length ?? 0;
  const columns = prep.features.map(() => new Float64Array(n));
  c.columns.forEach((col, k) => {
    const out = columns[owners[k]!]!;
    for (let i = 0; i < n; i++) out[i] = out[i]! + col[i]!;
  });
  return { names: prep.features.map((f) => f.name), expectedValue: c.expectedValue, columns };
}

/** The logistic regression's view of a code frame ({@link encodeCodes}): numbers as is, categoricals one-hot. */
export function encodeOneHot(prep: Preprocessing, codes: Frame): Frame {
  const columns: Float64Array[] = [];
  prep.features.forEach((f, j) => {
    const c = codes.columns[j]!;
    if (f.type === 'numeric') {
      columns.push(c);
      return;
    }
    for (const v of f.oneHot) {
      const k = f.categories.indexOf(v);
      const out = new Float64Array(codes.nRows);
      for (let i = 0; i < codes.nRows; i++) out[i] = c[i] === k ? 1 : 0;
      columns.push(out);
    }
  });
  return { nRows: codes.nRows, names: oneHotNames(prep), columns };
}
