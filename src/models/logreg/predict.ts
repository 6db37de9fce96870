// Scoring and per-row reasons of a fitted logistic regression.

import { alignColumns, type Frame } from '../../numeric/frame.js';
import { sigmoid } from '../../numeric/logistic.js';
import type { Contributions } from '../contributions.js';
import type { LogregModel } from './model.js';

/** Raw scores (log-odds) of every row of `x`; columns are matched by name, NaN counts as the mean. */
export function predictRawLogreg(model: LogregModel, x: Frame): Float64Array {
  const contrib = contributionsLogreg(model, x);
  const out = new Float64Array(x.nRows).fill(model.intercept);
  for (const col of contrib.columns) for (let i = 0; i < out.length; i++) out[i] = out[i]! + col[i]!;
  return out;
}

/** Probabilities of the positive class for every row of `x`. */
export function predictProbaLogreg(model: LogregModel, x: Frame): Float64Array {
  const raw = predictRawLogreg(model, x);
  for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]!);
  return raw;
}

/**
 * Coefficient contributions: for feature j of row i, coefficient_j × standardized x_ij
 * (0 when missing), so contributions are relative to the average training row and
 * intercept + Σⱼ contribution = the raw score.
 */
export function contributionsLogreg(model: LogregModel, x: Frame): Contributions {
  const cols = alignColumns(x, model.featureNames, 'predictLogreg');
  const columns = cols.map((col, j) => {
    const out = new Float64Array(col.length);
    const w = model.coefficients[j]!;
    const m = model.scaler.mean[j]!;
    const s = model.scaler.scale[j]!;
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      out[i] = Number.isNaN(v) ? 0 : (w * (v - m)) / s;
    }
    return out;
  });
  return { names: model.featureNames, expectedValue: model.intercept, columns };
}
