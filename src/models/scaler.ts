// Standardization as a serializable value (scaler.json): per-feature mean and scale
// learned on training rows, as scikit-learn's StandardScaler.

import { alignColumns, type Frame, validateFrame } from '../numeric/frame.js';

/** Per-feature mean and scale; z = (x − mean) / scale. */
export interface StandardScaler {
  readonly kind: 'standardScaler';
  readonly names: readonly string[];
  readonly mean: readonly number[];
  /** Population standard deviation (ddof 0); 1 for constant or all-missing columns. */
  readonly scale: readonly number[];
}

/**
 * Learns mean and population standard deviation of every column of `x`, ignoring NaN
 * (as StandardScaler does). A constant column gets scale 1; an all-NaN column gets mean 0
 * and scale 1.
 */
export function fitStandardScaler(x: Frame): StandardScaler {
  validateFrame(x, 'fitStandardScaler');
  const mean: number[] = [];
  const scale: number[] = [];
  for (const col of x.columns) {
    let n = 0;
    let sum = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    const m = n > 0 ? sum / n : 0;
    // Two-pass variance: exact enough to match scikit-learn's on the same data.
    let ss = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (!Number.isNaN(v)) ss += (v - m) * (v - m);
    }
    const sd = n > 0 ? Math.sqrt(ss / n) : 0;
    mean.push(m);
    scale.push(sd > 10 * Number.EPSILON * Math.max(1, Math.abs(m)) ? sd : 1);
  }
  return { kind: 'standardScaler', names: [...x.names], mean, scale };
}

/**
 * Standardizes the scaler's columns of `x` (matched by name) into new columns. NaN stays
 * NaN unless `missingAsZero` (default false), which maps it to 0 — the training mean.
 */
export function transformStandard(scaler: StandardScaler, x: Frame, missingAsZero = false): Frame {
  const cols = alignColumns(x, scaler.names, 'transformStandard');
  const columns = cols.map((col, j) => {
    const out = new Float64Array(col.length);
    const m = scaler.mean[j]!;
    const s = scaler.scale[j]!;
    for (let i = 0; i < col.length; i++) {
      const v = (col[i]! - m) / s;
      out[i] = missingAsZero && Number.isNaN(v) ? 0 : v;
    }
    return out;
  });
  return { nRows: x.nRows, names: scaler.names, columns };
}
