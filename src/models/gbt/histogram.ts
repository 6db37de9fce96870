// Gradient histograms: per feature and bin, the sums of gradient, hessian and row count
// of a leaf's rows. A leaf's sibling is never scanned: its histogram is the parent's
// minus the leaf's (histogram subtraction), halving the work of every level.

/** Entries per bin in a histogram: gradient sum, hessian sum, row count. */
export const HIST_STRIDE = 3;

/** Where each feature's bins sit in a flat histogram, and how many there are. */
export interface HistogramLayout {
  /** First bin of feature f (in bins, not entries). */
  readonly offset: Int32Array;
  /** Value bins of feature f; the missing bin is at index valueBins[f]. */
  readonly valueBins: Int32Array;
  /** Bins over all features, missing bins included. */
  readonly totalBins: number;
}

/** Lays out features with `valueBins[f]` value bins plus one missing bin each. */
export function histogramLayout(valueBins: Int32Array): HistogramLayout {
  const offset = new Int32Array(valueBins.length);
  let total = 0;
  for (let f = 0; f < valueBins.length; f++) {
    offset[f] = total;
    total += valueBins[f]! + 1;
  }
  return { offset, valueBins, totalBins: total };
}

/**
 * Fills `hist` for the features `features[0..nFeatures)` from the rows
 * `rows[begin..begin+count)` with gradients `g` and hessians `h` (indexed by row).
 * `binnedRows` is row-major (row r's bins at r·stride .. r·stride + nFeatures): scanning
 * row by row reads each row's gradient once and spreads consecutive updates over
 * different features, which measured 1.5× faster than one pass per feature (consecutive
 * rows of a time-ordered table often share a bin, which chains dependent updates).
 * `featureOffset[u]` is the entry offset (bins × stride) of feature `features[u]`.
 * Other features' entries are left as they are.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binnedRows: Uint8Array,
  stride: number,
  features: Int32Array,
  featureOffset: Int32Array,
  nFeatures: number,
  rows: Uint32Array,
  begin: number,
  count: number,
  g: Float64Array,
  h: Float64Array,
): void {
  for (let u = 0; u < nFeatures; u++) {
    const f = features[u]!;
    const start = featureOffset[u]!;
    hist.fill(0, start, start + (layout.valueBins[f]! + 1) * HIST_STRIDE);
  }
  const end = begin + count;
  for (let k = begin; k < end; k++) {
    const r = rows[k]!;
    const gv = g[r]!;
    const hv = h[r]!;
    const base = r * stride;
    for (let u = 0; u < nFeatures; u++) {
      const j = featureOffset[u]! + binnedRows[base + features[u]!]! * HIST_STRIDE;
      hist[j] = hist[j]! + gv;
      hist[j + 1] = hist[j + 1]! + hv;
      hist[j + 2] = hist[j + 2]! + 1;
    }
  }
}

/** `parent -= child` over the given features: parent becomes the sibling's histogram. */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
  nFeatures: number,
): void {
  for (let u = 0; u < nFeatures; u++) {
    const f = features[u]!;
    const start = layout.offset[f]! * HIST_STRIDE;
    const end = start + (layout.valueBins[f]! + 1) * HIST_STRIDE;
    for (let j = start; j < end; j++) parent[j] = parent[j]! - child[j]!;
  }
}
