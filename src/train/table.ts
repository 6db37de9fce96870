// A flat training table (the seed's gold view): one row per example, a 0/1 label column,
// optional time and key columns, every other column a feature. Validates the columns the
// caller names, all problems at once.

import { closest, LeadliftError, listSome } from '../errors.js';
import type { CsvTable } from './csv.js';

/** Which columns of a flat table play which role. */
export interface FlatTableSpec {
  /** The 0/1 target column (or two values mapped with `positiveLabel`). */
  readonly labelCol: string;
  /** A date/time column (ISO 8601; UTC when no offset): orders the time-ordered splits. */
  readonly timeCol?: string | undefined;
  /** Key columns copied to the outputs, never used as features. Default none. */
  readonly idCols?: readonly string[] | undefined;
  /** Columns left out entirely (e.g. leaking ones). Default none. */
  readonly excludeCols?: readonly string[] | undefined;
  /**
   * The label value meaning 1 when the label is not 0/1, yes/no or true/false; the column
   * must then hold exactly two values.
   */
  readonly positiveLabel?: string | undefined;
}

/**
 * A feature column given as typed values instead of cell texts: numbers (NaN = missing),
 * or with `categories`, indices into them (NaN = missing). It reads as the column of texts
 * {@link cellText} gives (numbers in JavaScript's shortest round-trip form, categories by
 * text, missing as ""), and is encoded exactly as that text column would be; it costs 8
 * bytes a row instead of a string pointer and the strings, and crosses to a worker thread
 * as one buffer. Snapshot mode builds its tables this way (see examplesFlatTableOf).
 */
export interface TypedFeatureColumn {
  readonly values: Float64Array;
  readonly categories?: readonly string[] | undefined;
}

/** A feature column: raw cell texts (a CSV or query), or typed values. */
export type FeatureColumn = readonly string[] | TypedFeatureColumn;

/** True when `c` holds typed values rather than cell texts. */
export function isTypedColumn(c: FeatureColumn): c is TypedFeatureColumn {
  return !Array.isArray(c);
}

/** The text of row `i` of a feature column, as a CSV cell would hold it. */
export function cellText(c: FeatureColumn, i: number): string {
  if (!isTypedColumn(c)) return c[i]!;
  const v = c.values[i]!;
  if (Number.isNaN(v)) return '';
  return c.categories ? c.categories[v]! : String(v);
}

/** Every cell text of a feature column (a typed column is turned into texts). */
export function columnTexts(c: FeatureColumn): readonly string[] {
  if (!isTypedColumn(c)) return c;
  return Array.from({ length: c.values.length }, (_, i) => cellText(c, i));
}

/** A validated flat table: labels as 0/1, time as epoch milliseconds, features as texts or typed columns. */
export interface FlatTable {
  readonly source: string;
  readonly nRows: number;
  readonly labelCol: string;
  readonly timeCol: string | null;
  readonly idCols: readonly string[];
  /** Key values, one array per id column. */
  readonly ids: readonly (readonly string[])[];
  /** Epoch milliseconds per row, or null without a time column. */
  readonly timeMs: Float64Array | null;
  readonly y: Uint8Array;
  /** The label value read as 1 and the one read as 0. */
  readonly labelMapping: { readonly positive: string; readonly negative: string };
  readonly featureCols: readonly string[];
  /** Raw feature values, one column per feature: cell texts, or typed values (see {@link TypedFeatureColumn}). */
  readonly features: readonly FeatureColumn[];
}

/** Cell values read as missing in any column: blank, NA, N/A, NaN, null, None (any case). */
export function isMissingCell(value: string): boolean {
  const v = value.trim();
  return v === '' || /^(na|n\/a|nan|null|none)$/i.test(v);
}

const TRUE_WORDS = new Set(['1', '1.0', 'yes', 'y', 'true', 't']);
const FALSE_WORDS = new Set(['0', '0.0', 'no', 'n', 'false', 'f']);

/**
 * Checks `spec` against `csv` and types the roles. Throws `train.missingColumn` (every
 * unknown column named, with the closest header name), `train.badLabel` (blank or
 * unmappable labels), `train.badTime` (unparseable times) — all exit code 2 — and
 * `train.oneClass` when every label is the same.
 */
export function flatTableOf(csv: CsvTable, spec: FlatTableSpec, source: string): FlatTable {
  const idCols = spec.idCols ?? [];
  const excludeCols = spec.excludeCols ?? [];
  const problems: string[] = [];
  const index = new Map(csv.header.map((h, j) => [h, j] as const));
  const dupes = csv.header.filter((h, j) => csv.header.indexOf(h) !== j);
  if (dupes.length > 0) {
    throw new LeadliftError(
      'train.duplicateColumn',
      `${source}: the header repeats column(s) ${listSome(dupes.map((d) => `"${d}"`))}; rename them so every column is unique.`,
    );
  }
  const need = (flag: string, name: string) => {
    if (!index.has(name)) {
      const hint = closest(name, csv.header);
      problems.push(`${flag} "${name}" is not a column${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  };
  need('--label-col', spec.labelCol);
  if (spec.timeCol !== undefined) need('--time-col', spec.timeCol);
  for (const c of idCols) need('--id-cols', c);
  for (const c of excludeCols) need('--exclude-cols', c);
  if (problems.length > 0) {
    throw new LeadliftError(
      'train.missingColumn',
      `${source}: ${problems.join('; ')}. Its columns are: ${listSome(
        csv.header.map((h) => `"${h}"`),
        30,
      )}.`,
      { details: { problems } },
    );
  }
  const col = (name: string) => csv.columns[index.get(name)!]!;
  const { y, mapping } = readLabels(col(spec.labelCol), spec, source);
  const timeMs = spec.timeCol === undefined ? null : readTimes(col(spec.timeCol), spec.timeCol, source);
  const roles = new Set([spec.labelCol, ...(spec.timeCol ? [spec.timeCol] : []), ...idCols, ...excludeCols]);
  const featureCols = csv.header.filter((h) => !roles.has(h));
  if (featureCols.length === 0) {
    throw new LeadliftError(
      'train.noFeatures',
      `${source}: no feature columns are left after the label, time, id and excluded columns; keep at least one column as a feature.`,
    );
  }
  requireTwoClasses(y, spec.labelCol, mapping, source);
  return {
    source,
    nRows: csv.nRows,
    labelCol: spec.labelCol,
    timeCol: spec.timeCol ?? null,
    idCols: [...idCols],
    ids: idCols.map(col),
    timeMs,
    y,
    labelMapping: mapping,
    featureCols,
    features: featureCols.map(col),
  };
}

/**
 * Throws `train.oneClass` when `y` is empty or holds one class: a classifier needs both.
 * `mapping` names the label values in the message.
 */
export function requireTwoClasses(
  y: Uint8Array,
  labelCol: string,
  mapping: { readonly positive: string; readonly negative: string },
  source: string,
): void {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i]!;
  const nRows = y.length;
  if (nRows === 0 || positives === 0 || positives === nRows) {
    throw new LeadliftError(
      'train.oneClass',
      nRows === 0
        ? `${source} has a header but no data rows; there is nothing to train on.`
        : `${source}: all ${nRows} values of label "${labelCol}" are ${positives === 0 ? mapping.negative : mapping.positive}; a classifier needs both classes. Use a wider extract or another label column.`,
      { details: { nRows, positives } },
    );
  }
}

function readLabels(
  values: readonly string[],
  spec: FlatTableSpec,
  source: string,
): { y: Uint8Array; mapping: { positive: string; negative: string } } {
  const name = spec.labelCol;
  const blank: number[] = [];
  const distinct = new Set<string>();
  values.forEach((v, i) => {
    if (isMissingCell(v)) blank.push(i + 2);
    else distinct.add(v.trim());
  });
  if (blank.length > 0) {
    throw new LeadliftError(
      'train.badLabel',
      `${source}: label "${name}" is blank on ${blank.length} row(s) (lines ${listSome(blank)}). Drop those rows or fill in 0/1.`,
      { details: { blankRows: blank.length } },
    );
  }
  const seen = [...distinct].sort();
  let positive: string | undefined;
  let isPositive: (v: string) => boolean;
  if (spec.positiveLabel !== undefined) {
    if (seen.length > 2 || (seen.length === 2 && !distinct.has(spec.positiveLabel))) {
      throw new LeadliftError(
        'train.badLabel',
        `${source}: --positive-label "${spec.positiveLabel}" needs label "${name}" to hold exactly two values, one of them "${spec.positiveLabel}"; it holds ${listSome(seen.map((s) => `"${s}"`))}.`,
      );
    }
    positive = spec.positiveLabel;
    isPositive = (v) => v === positive;
  } else {
    const lower = seen.map((s) => s.toLowerCase());
    const allKnown = lower.every((s) => TRUE_WORDS.has(s) || FALSE_WORDS.has(s));
    const kinds = new Set(lower.map((s) => TRUE_WORDS.has(s)));
    if (!allKnown || seen.length > 2 || (seen.length === 2 && kinds.size !== 2)) {
      throw new LeadliftError(
        'train.badLabel',
        `${source}: label "${name}" must be 0/1 (or yes/no, true/false); it holds ${listSome(
          seen.map((s) => `"${s}"`),
        )}. For two other values, name the positive one with --positive-label VALUE.`,
        { details: { values: seen.slice(0, 10) } },
      );
    }
    positive = seen.find((s) => TRUE_WORDS.has(s.toLowerCase())) ?? '1';
    isPositive = (v) => TRUE_WORDS.has(v.toLowerCase());
  }
  const negative = seen.find((s) => s !== positive) ?? (positive === '1' ? '0' : `not ${positive}`);
  const y = Uint8Array.from(values, (v) => (isPositive(v.trim()) ? 1 : 0));
  return { y, mapping: { positive, negative } };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of ISO 8601 dates/times; no offset means UTC. Throws `train.badTime` listing bad lines. */
function readTimes(values: readonly string[], name: string, source: string): Float64Array {
  const out = new Float64Array(values.length);
  const bad: string[] = [];
  let nBad = 0;
  values.forEach((raw, i) => {
    const v = raw.trim();
    let ms = Number.NaN;
    if (ISO_TIME.test(v)) {
      const withT = v.replace(' ', 'T');
      const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(withT) && withT.includes('T');
      ms = Date.parse(withT.includes('T') ? (hasZone ? withT : `${withT}Z`) : `${withT}T00:00:00Z`);
    }
    if (Number.isNaN(ms)) {
      nBad++;
      if (bad.length < 5) bad.push(`line ${i + 2}: "${v.slice(0, 40)}"`);
    }
    out[i] = ms;
  });
  if (nBad > 0) {
    throw new LeadliftError(
      'train.badTime',
      `${source}: --time-col "${name}" has ${nBad} value(s) that are not ISO 8601 dates or times (${listSome(bad)}). Write times as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, or leave out --time-col for a random split.`,
      { details: { badRows: nBad } },
    );
  }
  return out;
}
