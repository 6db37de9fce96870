// Standardization as a serializable value (scaler.json): per-feature mean and scale
// learned on training rows, as scikit-learn's StandardScaler — optionally leaving 0/1
// indicator columns (one-hot, flags) on their own scale, as a ColumnTransformer that
// standardizes the numeric columns only does.

import { alignColumns, type Frame, validateFrame } from '../numeric/frame.js';

/** Per-feature mean and scale; z = (x − mean) / scale. */
export interface StandardScaler {
  readonly kind: 'standardScaler';
  readonly names: readonly string[];
  readonly mean: readonly number[];
  /** Population standard deviation (ddof 0); 1 for constant or all-missing columns and for indicators. */
  readonly scale: readonly number[];
  /**
   * Per column: true when divided by its standard deviation, false for a 0/1 indicator kept
   * on its own scale (only centered, scale 1). Absent in scaler.json and model.json files
   * written before indicators were kept (every column was standardized); `mean` and `scale`
   * alone define the transform either way.
   */
  readonly standardized?: readonly boolean[];
}

/** Options of {@link fitStandardScaler}. */
export interface StandardScalerOptions {
  /**
   * 'standardize' (default) divides every column by its standard deviation;
   * 'keepScale' only centers the columns whose non-missing values are all 0 or 1 (scale 1),
   * so an L2 penalty treats one-hot and flag columns on their natural 0/1 scale.
   */
  readonly indicators?: 'standardize' | 'keepScale';
}

/** Whether every non-missing value of `col` is 0 or 1 (and at least one is present). */
export function isIndicator(col: Float64Array): boolean {
  let seen = false;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) continue;
    if (v !== 0 && v !== 1) return false;
    seen = true;
  }
  return seen;
}

/**
 * Learns mean and population standard deviation of every column of `x`, ignoring NaN
 * (as StandardScaler does). A constant column gets scale 1; an all-NaN column gets mean 0
 * and scale 1. With `indicators: 'keepScale'`, 0/1 columns get scale 1 (centered only).
 */
export function fitStandardScaler(x: Frame, options: StandardScalerOptions = {}): StandardScaler {
  validateFrame(x, 'fitStandardScaler');
  const keep = options.indicators === 'keepScale';
  const mean: number[] = [];
  const scale: number[] = [];
  const standardized: boolean[] = [];
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
    const indicator = keep && isIndicator(col);
    standardized.push(!indicator);
    scale.push(!indicator && sd > 10 * Number.EPSILON * Math.max(1, Math.abs(m)) ? sd : 1);
  }
  return { kind: 'standardScaler', names: [...x.names], mean, scale, standardized };
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
