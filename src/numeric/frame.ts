// The column-major numeric table every model reads: one Float64Array per feature, NaN for
// missing, plus the checks and row selection the model facades share.

import { closest, LeadliftError, listSome } from '../errors.js';

/**
 * A column-major feature table: `columns[j][i]` is feature `names[j]` of row `i`; NaN
 * marks a missing value. Every column has `nRows` entries.
 */
export interface Frame {
  readonly nRows: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

/** Features and binary labels (0/1) of the same rows. */
export interface Dataset {
  readonly x: Frame;
  readonly y: Uint8Array;
}

/** Builds a {@link Frame} from named columns (all must have the same length). */
export function frameOf(columns: Readonly<Record<string, Float64Array>>): Frame {
  const names = Object.keys(columns);
  const cols = names.map((n) => columns[n]!);
  const frame = { nRows: cols[0]?.length ?? 0, names, columns: cols };
  validateFrame(frame, 'frameOf');
  return frame;
}

/**
 * Checks a frame's shape: as many names as columns, unique names, every column of length
 * `nRows`. All problems are reported together in one `models.invalidFrame` error.
 * `context` names the caller in the message (e.g. "fitGbt").
 */
export function validateFrame(frame: Frame, context: string): void {
  const problems: string[] = [];
  if (!Number.isInteger(frame.nRows) || frame.nRows < 0) problems.push(`nRows is ${frame.nRows}`);
  if (frame.names.length !== frame.columns.length) {
    problems.push(`${frame.names.length} names for ${frame.columns.length} columns`);
  }
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const n of frame.names) {
    if (seen.has(n)) dupes.push(n);
    seen.add(n);
  }
  if (dupes.length > 0) problems.push(`duplicate column names: ${listSome(dupes)}`);
  const bad: string[] = [];
  frame.columns.forEach((c, j) => {
    if (!(c instanceof Float64Array) || c.length !== frame.nRows) {
      bad.push(`"${frame.names[j] ?? j}" (${c instanceof Float64Array ? c.length : typeof c})`);
    }
  });
  if (bad.length > 0)
    problems.push(`columns that are not Float64Array of length ${frame.nRows}: ${listSome(bad)}`);
  if (problems.length > 0) {
    throw new LeadliftError(
      'models.invalidFrame',
      `${context}: the feature table is malformed — ${problems.join('; ')}. Build it with one Float64Array per feature, all of the same length.`,
      { details: { problems } },
    );
  }
}

/**
 * Checks binary labels against a frame: same length, only 0 and 1, and (unless
 * `requireBothClasses` is false) both classes present. Throws `models.invalidLabels` or
 * `models.oneClass` (exit code 2) naming the counts and the fix. Returns the positives.
 */
export function validateLabels(
  y: Uint8Array,
  nRows: number,
  context: string,
  requireBothClasses = true,
): number {
  if (!(y instanceof Uint8Array) || y.length !== nRows) {
    throw new LeadliftError(
      'models.invalidLabels',
      `${context}: labels must be a Uint8Array of ${nRows} entries (one per row); got ${y instanceof Uint8Array ? y.length : typeof y}.`,
    );
  }
  let positives = 0;
  const badRows: number[] = [];
  for (let i = 0; i < nRows; i++) {
    const v = y[i]!;
    if (v === 1) positives++;
    else if (v !== 0 && badRows.length < 6) badRows.push(i);
  }
  if (badRows.length > 0) {
    throw new LeadliftError(
      'models.invalidLabels',
      `${context}: labels must be 0 or 1; rows ${listSome(badRows)} hold other values. Map the target to 0/1 first.`,
    );
  }
  if (requireBothClasses && (positives === 0 || positives === nRows)) {
    const only = positives === 0 ? 0 : 1;
    throw new LeadliftError(
      'models.oneClass',
      nRows === 0
        ? `${context}: there are no training rows. Widen the window (--since/--until) or check the label's population rules.`
        : `${context}: all ${nRows} training labels are ${only}; a classifier needs both classes. Widen the window or choose another target.`,
      { details: { nRows, positives } },
    );
  }
  return positives;
}

/**
 * Returns the columns of `frame` in the order of `names` (a model's training features),
 * so prediction matches columns by name, not position. Extra columns are ignored;
 * missing ones throw `models.missingFeatures` listing them (with a close name if any).
 */
export function alignColumns(frame: Frame, names: readonly string[], context: string): Float64Array[] {
  validateFrame(frame, context);
  const index = new Map(frame.names.map((n, j) => [n, j] as const));
  const missing: string[] = [];
  const out: Float64Array[] = [];
  for (const n of names) {
    const j = index.get(n);
    if (j === undefined) missing.push(n);
    else out.push(frame.columns[j]!);
  }
  if (missing.length > 0) {
    const hint = closest(missing[0]!, frame.names);
    throw new LeadliftError(
      'models.missingFeatures',
      `${context}: the table lacks ${missing.length} feature(s) the model was trained on: ${listSome(missing)}${
        hint ? ` (did you mean "${hint}"?)` : ''
      }. Build the table with the same feature list as training.`,
      { details: { missing } },
    );
  }
  return out;
}

/** A new frame holding rows `rows` (in that order) of `frame`. */
export function takeRows(frame: Frame, rows: ArrayLike<number>): Frame {
  const n = rows.length;
  const first = runStart(rows);
  if (first >= 0 && first + n <= frame.nRows) {
    // Consecutive rows (a time-ordered split): a block copy per column.
    return { nRows: n, names: frame.names, columns: frame.columns.map((c) => c.slice(first, first + n)) };
  }
  const columns = frame.columns.map((c) => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = c[rows[k]!]!;
    return out;
  });
  return { nRows: n, names: frame.names, columns };
}

/** rows[0] when `rows` are consecutive ascending integers (a, a+1, …), else −1. */
function runStart(rows: ArrayLike<number>): number {
  const n = rows.length;
  if (n === 0) return -1;
  const a = rows[0]!;
  if (!Number.isInteger(a) || a < 0) return -1;
  for (let k = 1; k < n; k++) if (rows[k] !== a + k) return -1;
  return a;
}

/** A new label array holding `y[rows[k]]`. */
export function takeLabels(y: Uint8Array, rows: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k]!]!;
  return out;
}

/** A new dataset of rows `rows` of `data`. */
export function takeDataset(data: Dataset, rows: ArrayLike<number>): Dataset {
  return { x: takeRows(data.x, rows), y: takeLabels(data.y, rows) };
}
