// The features stage's TrainingSet as the train stage reads it: the flat examples table of
// one target (typed, or as parsing training_examples.csv would give it), the population
// counts of metrics.json and features.json.

import { type Target, type TrainingSet, trainingExamplesHeader } from '../features/index.js';
import type { CsvTable } from './csv.js';
import { jsonText } from './run-folder.js';
import { type FlatTable, requireTwoClasses, type TypedFeatureColumn } from './table.js';

/** The feature list with definitions and families, written into every snapshot-mode run folder. */
export const FEATURES_FILE = 'features.json';

/**
 * metrics.json `population` of a target: how the cleaned snapshot's enrollments became the
 * eligible rows (every exclusion counted by its first reason).
 */
export function populationOf(set: TrainingSet, target: Target): Record<string, unknown> {
  const l = set.labels[target]!;
  return {
    target,
    as_of_utc: new Date(set.asOf).toISOString(),
    feature_window_hours: set.featureWindowHours,
    enrollments_read: set.enrollmentsRead,
    enrollments_without_touch: set.enrollmentsWithoutTouch,
    n_rows: set.nRows,
    exclusions: l.exclusions,
    n_eligible: l.nEligible,
    n_positive: l.nPositive,
  };
}

/** features.json: every feature column with its family, definition and categories (if any). */
export function featuresJsonText(set: TrainingSet): string {
  return jsonText({
    format: 'leadlift.features/1',
    feature_window_hours: set.featureWindowHours,
    features: set.featureDefs.map((d) => ({
      name: d.name,
      family: d.family,
      definition: d.definition,
      ...(d.categories !== undefined ? { categories: d.categories } : {}),
    })),
  });
}

/** Integer values below this get their texts from an array in {@link examplesTableOf}. */
const SMALL_INTS = 4096;

/**
 * The training examples of `target` as the flat table the trainer reads: the rows eligible
 * for it, in decision order, with the columns and cell texts of training_examples.csv
 * (keys, decision time, features, one label column per target) as parsing that CSV would
 * give them. Equal values share one string, so a column costs about a pointer per row.
 * Training does not use it (it uses {@link examplesFlatTableOf}): it is the tests'
 * reference, the texts that the typed table must read as, and the features tests' view
 * of a training set as the CSV.
 */
export function examplesTableOf(set: TrainingSet, target: Target): CsvTable {
  const eligible = set.labels[target]!.eligible;
  let n = 0;
  for (let r = 0; r < set.nRows; r++) n += eligible[r] === 1 ? 1 : 0;
  const rows = new Int32Array(n);
  for (let r = 0, k = 0; r < set.nRows; r++) if (eligible[r] === 1) rows[k++] = r;
  const column = (text: (r: number) => string): string[] => {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = text(rows[i]!);
    return out;
  };
  const columns: string[][] = [
    column((r) => set.keys.orgId[r]!),
    column((r) => set.keys.enrollmentId[r]!),
    column((r) => new Date(set.decisionTs[r]!).toISOString()),
  ];
  set.features.columns.forEach((values, j) => {
    const categories = set.featureDefs[j]!.categories;
    const out = new Array<string>(n);
    if (categories) {
      for (let i = 0; i < n; i++) {
        const v = values[rows[i]!]!;
        out[i] = Number.isNaN(v) ? '' : categories[v]!;
      }
    } else {
      // Most values are small counts: their texts come from an array, the others from a map.
      const small: (string | undefined)[] = [];
      const other = new Map<number, string>();
      for (let i = 0; i < n; i++) {
        const v = values[rows[i]!]!;
        let t: string | undefined;
        if (Number.isInteger(v) && v >= 0 && v < SMALL_INTS) {
          t = small[v];
          if (t === undefined) {
            t = String(v);
            small[v] = t;
          }
        } else if (Number.isNaN(v)) t = '';
        else {
          t = other.get(v);
          if (t === undefined) {
            t = String(v);
            other.set(v, t);
          }
        }
        out[i] = t;
      }
    }
    columns.push(out);
  });
  for (const t of set.targets) {
    const l = set.labels[t]!;
    columns.push(column((r) => (l.eligible[r] ? (l.y[r] ? '1' : '0') : '')));
  }
  return { header: trainingExamplesHeader(set), columns, nRows: n, delimiter: ',' };
}

/** The id columns of a snapshot-mode examples table. */
export const EXAMPLES_ID_COLS = ['org_id', 'enrollment_id'] as const;
/** The time column of a snapshot-mode examples table. */
export const EXAMPLES_TIME_COL = 'decision_ts_utc';

/**
 * The training examples of `target` as a typed flat table: what flatTableOf makes of
 * {@link examplesTableOf} (same rows, ids, times, labels and feature values, so the same
 * encodings, models and run files, bit for bit), without a string per cell. Features are
 * typed columns (new arrays, one buffer each, so they can be transferred to a worker);
 * the other targets' label columns are left out (they would be excluded). `source` names
 * the table in messages. Throws `train.oneClass` when the eligible rows hold one class.
 */
export function examplesFlatTableOf(set: TrainingSet, target: Target, source: string): FlatTable {
  const l = set.labels[target]!;
  const eligible = l.eligible;
  let n = 0;
  for (let r = 0; r < set.nRows; r++) n += eligible[r] === 1 ? 1 : 0;
  const rows = new Int32Array(n);
  for (let r = 0, k = 0; r < set.nRows; r++) if (eligible[r] === 1) rows[k++] = r;
  const take = <T>(values: readonly T[]): T[] => Array.from(rows, (r) => values[r]!);
  // A Date's time value is what parsing its ISO text gives back (whole milliseconds).
  const timeMs = Float64Array.from(rows, (r) => new Date(set.decisionTs[r]!).getTime());
  const y = Uint8Array.from(rows, (r) => (l.y[r] ? 1 : 0));
  // The labels read from "0"/"1" texts always map this way (see flatTableOf).
  const labelMapping = { positive: '1', negative: '0' };
  requireTwoClasses(y, target, labelMapping, source);
  const features = set.features.columns.map((values, j): TypedFeatureColumn => {
    const categories = set.featureDefs[j]!.categories;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = values[rows[i]!]!;
    return categories ? { values: out, categories } : { values: out };
  });
  return {
    source,
    nRows: n,
    labelCol: target,
    timeCol: EXAMPLES_TIME_COL,
    idCols: [...EXAMPLES_ID_COLS],
    ids: [take(set.keys.orgId), take(set.keys.enrollmentId)],
    timeMs,
    y,
    labelMapping,
    featureCols: [...set.features.names],
    features,
  };
}
