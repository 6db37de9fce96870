// Turning a flat table's raw feature strings into model inputs, the same way at train and
// predict time. Numeric columns become Float64 (missing = NaN). Non-numeric columns are
// categorical: integer codes into a dictionary learned on training rows (sorted values;
// missing or unseen = NaN) for the trees, which split on codes and handle NaN natively;
// the logistic regression sees the same dictionary one-hot (its `maxOneHot` most frequent
// training values; the rest and missing are all-zero rows).

import type { Contributions } from '../models/index.js';
import type { Frame } from '../numeric/frame.js';
import {
  columnTexts,
  type FeatureColumn,
  isMissingCell,
  isTypedColumn,
  type TypedFeatureColumn,
} from './table.js';

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
  columns: readonly FeatureColumn[],
  trainRows: ArrayLike<number>,
  maxOneHot = DEFAULT_MAX_ONE_HOT,
): Preprocessing {
  const features = names.map((name, j): FeatureEncoding => {
    const given = columns[j]!;
    const typed = isTypedColumn(given) ? fitTyped(name, given, trainRows, maxOneHot) : null;
    if (typed) return typed;
    const col = columnTexts(given);
    const numeric = col.every((v) => isMissingCell(v) || NUMBER.test(v.trim()));
    if (numeric) {
      const mean = meanOver(trainRows, (r) => (isMissingCell(col[r]!) ? Number.NaN : Number(col[r]!)));
      return { name, type: 'numeric', mean };
    }
    const counts = new Map<string, number>();
    for (let k = 0; k < trainRows.length; k++) {
      const v = col[trainRows[k]!]!;
      if (!isMissingCell(v)) counts.set(v.trim(), (counts.get(v.trim()) ?? 0) + 1);
    }
    return categoricalOf(name, counts, maxOneHot);
  });
  return { format: 'leadlift.preprocessing/1', features };
}

/** The categorical encoding of training-row counts by (trimmed) value. */
function categoricalOf(
  name: string,
  counts: ReadonlyMap<string, number>,
  maxOneHot: number,
): CategoricalEncoding {
  const categories = [...counts.keys()].sort();
  const oneHot = [...categories]
    .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxOneHot);
  return { name, type: 'categorical', categories, oneHot };
}

/**
 * The mean of the values `valueAt(row)` over `trainRows` that are not NaN, summed in row
 * order (0 when there are none): a numeric feature's mean, whatever holds its values.
 */
function meanOver(trainRows: ArrayLike<number>, valueAt: (row: number) => number): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < trainRows.length; k++) {
    const x = valueAt(trainRows[k]!);
    if (!Number.isNaN(x)) {
      sum += x;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/**
 * How each category text of a typed categorical column reads as a cell: missing, its
 * trimmed text, whether it looks like a decimal number (what makes a column numeric), and
 * the number a numeric encoding reads from it: Number(text), as for a text cell (so
 * "0x10" reads as 16 and "Infinity" as Infinity; NaN when missing or not a number).
 */
function categoryCells(categories: readonly string[]): {
  missing: boolean[];
  trimmed: string[];
  decimal: boolean[];
  number: Float64Array;
} {
  const missing = categories.map((t) => isMissingCell(t));
  const trimmed = categories.map((t) => t.trim());
  const decimal = trimmed.map((t, k) => !missing[k] && NUMBER.test(t));
  const number = Float64Array.from(categories, (t, k) => (missing[k] ? Number.NaN : Number(t)));
  return { missing, trimmed, decimal, number };
}

/** True when every non-missing category used by the column looks like a number (the column is then numeric). */
function categoriesNumeric(col: TypedFeatureColumn, cells: ReturnType<typeof categoryCells>): boolean {
  const used = new Uint8Array(cells.missing.length);
  const v = col.values;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i]!)) used[v[i]!] = 1;
  return cells.missing.every((m, k) => used[k] === 0 || m || cells.decimal[k]);
}

/**
 * fitPreprocessing of a typed column, equal to that of its cell texts without making them;
 * null when the texts must be made (numbers that are not finite, whose texts are not
 * decimal numbers and so make the column categorical).
 */
function fitTyped(
  name: string,
  col: TypedFeatureColumn,
  trainRows: ArrayLike<number>,
  maxOneHot: number,
): FeatureEncoding | null {
  const v = col.values;
  if (!col.categories) {
    for (let i = 0; i < v.length; i++) if (v[i] === Infinity || v[i] === -Infinity) return null;
    // Number(String(x)) is x for finite x (−0 reads as 0, which adds the same to a sum from 0).
    return { name, type: 'numeric', mean: meanOver(trainRows, (r) => v[r]!) };
  }
  const cells = categoryCells(col.categories);
  if (categoriesNumeric(col, cells)) {
    const mean = meanOver(trainRows, (r) => {
      const x = v[r]!;
      return Number.isNaN(x) ? Number.NaN : cells.number[x]!;
    });
    return { name, type: 'numeric', mean };
  }
  const perCode = new Float64Array(col.categories.length);
  for (let k = 0; k < trainRows.length; k++) {
    const x = v[trainRows[k]!]!;
    if (!Number.isNaN(x)) perCode[x] = perCode[x]! + 1;
  }
  const counts = new Map<string, number>();
  perCode.forEach((c, x) => {
    if (c > 0 && !cells.missing[x]) counts.set(cells.trimmed[x]!, (counts.get(cells.trimmed[x]!) ?? 0) + c);
  });
  return categoricalOf(name, counts, maxOneHot);
}

/**
 * The tree view: one column per feature, numbers or category codes (NaN = missing or
 * unseen). `columns[j]` are the raw values of `prep.features[j]`. A typed numeric column
 * without −0 is used as is (not copied): the frame then shares it, and neither may change.
 */
export function encodeCodes(prep: Preprocessing, columns: readonly FeatureColumn[]): Frame {
  const first = columns[0];
  const nRows = first === undefined ? 0 : isTypedColumn(first) ? first.values.length : first.length;
  const out = prep.features.map((f, j) => {
    const given = columns[j]!;
    if (isTypedColumn(given)) {
      const typed = encodeTyped(f, given);
      if (typed) return typed;
    }
    const col = columnTexts(given);
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

/**
 * encodeCodes of a typed column, equal to that of its cell texts; null when the texts must
 * be made (a numeric column encoded as categorical).
 */
function encodeTyped(f: FeatureEncoding, col: TypedFeatureColumn): Float64Array | null {
  const v = col.values;
  if (!col.categories) {
    if (f.type !== 'numeric') return null;
    let negativeZero = false;
    for (let i = 0; i < v.length && !negativeZero; i++) negativeZero = Object.is(v[i], -0);
    if (!negativeZero) return v;
    // Number("0") is 0: the text of −0 reads as +0.
    return v.map((x) => x + 0);
  }
  const cells = categoryCells(col.categories);
  let byCode: Float64Array;
  if (f.type === 'numeric') byCode = cells.number;
  else {
    const code = new Map(f.categories.map((c, k) => [c, k] as const));
    byCode = Float64Array.from(cells.trimmed, (t, x) =>
      cells.missing[x] ? Number.NaN : (code.get(t) ?? Number.NaN),
    );
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    out[i] = Number.isNaN(x) ? Number.NaN : byCode[x]!;
  }
  return out;
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
