// Quantile binning of numeric columns for histogram trees, as scikit-learn's
// HistGradientBoosting does it: midpoints between distinct values when there are few,
// otherwise midpoints of quantiles; missing values get a bin of their own after the
// value bins.

import { SeededRng } from './rng.js';
import { sortedFloat64 } from './sort.js';

/** The largest threshold kept finite: +Infinity values fall in the last value bin. */
const ALMOST_INF = 1e300;

/**
 * Upper edges of the value bins of `column` (ascending, strictly increasing, finite):
 * value x falls in bin b = the number of edges < x, so there are `edges.length + 1` value
 * bins, at most `maxBin`. NaN is ignored. When the column has more than `maxBin`
 * distinct values, the edges are midpoints of its quantiles computed on `sampleRows` (all
 * rows when undefined). A constant or all-NaN column has no edges (one value bin).
 */
export function fitBinEdges(column: Float64Array, maxBin: number, sampleRows?: Uint32Array): Float64Array {
  const n = sampleRows ? sampleRows.length : column.length;
  const values = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const v = sampleRows ? column[sampleRows[k]!]! : column[k]!;
    if (!Number.isNaN(v)) values[m++] = v;
  }
  const sorted = sortedFloat64(values.subarray(0, m));
  let distinct = 0;
  for (let k = 0; k < m; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
  const edges: number[] = [];
  if (distinct <= maxBin) {
    let prev = Number.NaN;
    for (let k = 0; k < m; k++) {
      const v = sorted[k]!;
      if (k > 0 && v !== prev) edges.push(midpoint(prev, v));
      prev = v;
    }
  } else {
    // Percentiles at 100·i/maxBin, i = 1..maxBin−1, numpy's method='midpoint'.
    for (let i = 1; i < maxBin; i++) {
      const pos = (i / maxBin) * (m - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const e = lo === hi ? sorted[lo]! : midpoint(sorted[lo]!, sorted[hi]!);
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
  }
  const out = new Float64Array(edges.length);
  for (let k = 0; k < edges.length; k++) out[k] = Math.min(edges[k]!, ALMOST_INF);
  // Clipping can create a duplicate last edge; drop it.
  let len = out.length;
  while (len > 1 && out[len - 1] === out[len - 2]) len--;
  return out.subarray(0, len).slice();
}

/**
 * Bins `column` with `edges` into `out` (Uint8Array, so at most 255 value bins): bin of
 * x = the number of edges < x; NaN goes to the missing bin `edges.length + 1`.
 */
export function binColumn(column: Float64Array, edges: Float64Array, out: Uint8Array): Uint8Array {
  const nEdges = edges.length;
  const missingBin = nEdges + 1;
  for (let i = 0; i < column.length; i++) {
    const x = column[i]!;
    if (Number.isNaN(x)) {
      out[i] = missingBin;
      continue;
    }
    let lo = 0;
    let hi = nEdges;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

/**
 * Row indices to compute bin edges on: all rows when `nRows ≤ sampleCount`, otherwise
 * `sampleCount` rows drawn without replacement with `seed` (sorted), like
 * scikit-learn's `subsample=2e5`. Undefined means "use all rows".
 */
export function binSampleRows(nRows: number, sampleCount: number, seed: number): Uint32Array | undefined {
  if (nRows <= sampleCount) return undefined;
  const rng = new SeededRng(seed, 0xb1);
  return rng.sampleSorted(nRows, sampleCount, new Uint32Array(sampleCount), new Uint32Array(nRows)).slice();
}

function midpoint(a: number, b: number): number {
  return a * 0.5 + b * 0.5;
}
