// The expected rate of every enrollment, for "observed vs expected": a cross-fitted
// logistic regression on what the lead brought with it — contact facts and the timing of
// the first touch — and nothing the campaign did to it.
//
// Why not the run's scores: the trained model reads the campaign's and variant's historical
// booking rates (cmp_*), the content of the messages sent (con_*) and the replies they drew
// (int_*, eng_*). A model that has learned "two concrete time slots book more" expects more
// bookings from the slot variant, so observed ≈ expected and the variant effect vanishes —
// in-sample and out-of-sample alike. The expected model here excludes every feature the
// element under review could have caused, and each row is scored by a model fit without its
// own fold, so a row never explains itself.

import { TARGETS, type TrainingSet } from '../features/index.js';
import { fitLogreg, predictProbaLogreg } from '../models/index.js';
import type { Frame } from '../numeric/frame.js';
import type { RecData } from './load.js';

/** Pre-treatment features the expected model may read (when present). */
export const EXPECTED_FEATURES = [
  'tim_speed_to_lead_min',
  'tim_first_touch_local_hour',
  'tim_first_touch_local_weekday',
  'ctc_lead_source',
  'ctc_region',
  'ctc_email_domain_type',
  'ctc_org',
  'ctc_has_phone',
  'ctc_has_email',
] as const;

/** Folds of the cross-fit. */
export const EXPECTED_FOLDS = 5;

export interface ExpectedScores {
  /** Per target: out-of-fold expected probability per row (NaN when no model could be fit). */
  readonly byTarget: Readonly<Record<(typeof TARGETS)[number], Float64Array>>;
  /** The columns the model read (one-hot names for categoricals). */
  readonly columns: readonly string[];
  readonly folds: number;
}

/** The design matrix of the pre-treatment features: numerics as they are (speed to lead as log1p), categoricals one-hot. */
export function expectedDesign(set: TrainingSet): Frame {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const n = set.nRows;
  for (const name of EXPECTED_FEATURES) {
    const j = set.features.names.indexOf(name);
    if (j < 0) continue;
    const col = set.features.columns[j]!;
    const cats = set.categories[name];
    if (cats) {
      for (let c = 0; c < cats.length; c++) {
        const out = new Float64Array(n);
        let any = 0;
        for (let r = 0; r < n; r++) {
          if (col[r] !== c) continue;
          out[r] = 1;
          any++;
        }
        if (any > 0 && any < n) {
          names.push(`${name}=${cats[c]}`);
          columns.push(out);
        }
      }
    } else {
      const out = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = col[r]!;
        out[r] = name === 'tim_speed_to_lead_min' && !Number.isNaN(v) ? Math.log1p(Math.max(0, v)) : v;
      }
      names.push(name);
      columns.push(out);
    }
  }
  return { nRows: n, names, columns };
}

/**
 * Out-of-fold expected probabilities for every target: rows are assigned to
 * {@link EXPECTED_FOLDS} folds by position (row r → fold r mod k, rows being in decision
 * order); each fold is scored by an L2 logistic regression (C = 1) fit on the other folds'
 * rows whose label window has elapsed. Deterministic. `targets` are the targets to fit;
 * the others are left NaN (the benchmark's noise runs need T1 only).
 */
export function expectedScores(
  set: TrainingSet,
  data: RecData,
  folds = EXPECTED_FOLDS,
  targets: readonly (typeof TARGETS)[number][] = TARGETS,
): ExpectedScores {
  const x = expectedDesign(set);
  const n = set.nRows;
  const byTarget = {} as Record<(typeof TARGETS)[number], Float64Array>;
  for (const t of TARGETS) {
    const out = new Float64Array(n).fill(Number.NaN);
    byTarget[t] = out;
    if (!targets.includes(t)) continue;
    const lab = data.labels[t];
    for (let f = 0; f < folds; f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let r = 0; r < n; r++) {
        if (r % folds === f) test.push(r);
        else if (lab[r]! >= 0) train.push(r);
      }
      let pos = 0;
      for (const r of train) pos += lab[r]!;
      if (test.length === 0 || pos === 0 || pos === train.length) {
        const rate = train.length > 0 ? pos / train.length : Number.NaN;
        for (const r of test) out[r] = rate;
        continue;
      }
      if (x.columns.length === 0) {
        for (const r of test) out[r] = pos / train.length;
        continue;
      }
      const take = (rows: number[]): Frame => ({
        nRows: rows.length,
        names: x.names,
        columns: x.columns.map((c) => Float64Array.from(rows, (r) => c[r]!)),
      });
      const y = Uint8Array.from(train, (r) => lab[r]!);
      const model = fitLogreg({ x: take(train), y }, { c: 1 });
      const p = predictProbaLogreg(model, take(test));
      for (let i = 0; i < test.length; i++) out[test[i]!] = p[i]!;
    }
  }
  return { byTarget, columns: x.names, folds };
}

/** Position of each row's touches in a flat per-touch array: row r's touch k is at `offsets[r] + k`. */
export function touchOffsets(data: RecData): Int32Array {
  const offsets = new Int32Array(data.nRows + 1);
  for (let r = 0; r < data.nRows; r++) offsets[r + 1] = offsets[r]! + data.touches[r]!.length;
  return offsets;
}

/**
 * Out-of-fold expected probability of `target` at every touch, for judging an element by
 * the leads it actually reached: a later step is reached only by leads that have not
 * booked yet, later in their label window, so the enrollment-level expectation overstates
 * what it could achieve. One row per (enrollment, touch): the lead-only design of
 * {@link expectedDesign} plus the time since the first touch (log1p of hours, and days);
 * folds by enrollment (row r → fold r mod k, so an enrollment's touches never score each
 * other), an L2 logistic regression (C = 1) per fold. Channel, step and variant are not
 * read: they are what is judged. Deterministic.
 */
export function touchExpectedScores(
  set: TrainingSet,
  data: RecData,
  target: (typeof TARGETS)[number] = 'booked_call_within_7d',
  folds = EXPECTED_FOLDS,
): Float64Array {
  const x = expectedDesign(set);
  const offsets = touchOffsets(data);
  const m = offsets[data.nRows]!;
  const owner = new Int32Array(m);
  const hours = new Float64Array(m);
  for (let r = 0; r < data.nRows; r++) {
    data.touches[r]!.forEach((t, k) => {
      owner[offsets[r]! + k] = r;
      hours[offsets[r]! + k] = Math.max(0, (t.ts - data.decisionTs[r]!) / 3_600_000);
    });
  }
  const names = [...x.names, 'elapsed_hours_log1p', 'elapsed_days'];
  const lab = data.labels[target];
  const out = new Float64Array(m).fill(Number.NaN);
  const take = (idx: readonly number[]): Frame => ({
    nRows: idx.length,
    names,
    columns: [
      ...x.columns.map((c) => Float64Array.from(idx, (i) => c[owner[i]!]!)),
      Float64Array.from(idx, (i) => Math.log1p(hours[i]!)),
      Float64Array.from(idx, (i) => hours[i]! / 24),
    ],
  });
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < m; i++) {
      const r = owner[i]!;
      if (r % folds === f) test.push(i);
      else if (lab[r]! >= 0) train.push(i);
    }
    let pos = 0;
    for (const i of train) pos += lab[owner[i]!]!;
    if (test.length === 0) continue;
    if (pos === 0 || pos === train.length) {
      const rate = train.length > 0 ? pos / train.length : Number.NaN;
      for (const i of test) out[i] = rate;
      continue;
    }
    const y = Uint8Array.from(train, (i) => lab[owner[i]!]!);
    const model = fitLogreg({ x: take(train), y }, { c: 1 });
    const p = predictProbaLogreg(model, take(test));
    for (let k = 0; k < test.length; k++) out[test[k]!] = p[k]!;
  }
  return out;
}
