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

/** Global bin index (feature offset + bin) per row and feature, row-major. */
export type BinIndex = Uint16Array | Uint32Array;

/**
 * Row-major global bin indices: entry r·nFeatures + f is layout.offset[f] + the bin of
 * row r for feature f. Uint16 while the layout has at most 65,536 bins, else Uint32.
 */
export function binIndexOf(
  binnedColumns: readonly Uint8Array[],
  layout: HistogramLayout,
  nRows: number,
): BinIndex {
  const nF = binnedColumns.length;
  const out = layout.totalBins <= 65_536 ? new Uint16Array(nRows * nF) : new Uint32Array(nRows * nF);
  binnedColumns.forEach((bins, f) => {
    const off = layout.offset[f]!;
    for (let i = 0; i < nRows; i++) out[i * nF + f] = off + bins[i]!;
  });
  return out;
}

/**
 * Fills `hist` for the features `features[0..nFeatures)` (ascending) from the rows
 * `rows[begin..begin+count)` with gradients `g` and hessians `h` (indexed by row).
 * Rows are scanned one at a time over `binIndex` (row-major, `stride` = all features):
 * each row's gradient is read once and consecutive updates land on different features,
 * and the precomputed global bin index saves two loads per update — together about 2×
 * faster than one pass per feature over per-column bins (measured; consecutive rows of a
 * time-ordered table often share a bin, which chains dependent updates). Other
 * features' entries are left as they are.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binIndex: BinIndex,
  stride: number,
  features: Int32Array,
  nFeatures: number,
  rows: Uint32Array,
  begin: number,
  count: number,
  g: Float64Array,
  h: Float64Array,
): void {
  for (let u = 0; u < nFeatures; u++) {
    const f = features[u]!;
    const start = layout.offset[f]! * HIST_STRIDE;
    hist.fill(0, start, start + (layout.valueBins[f]! + 1) * HIST_STRIDE);
  }
  const end = begin + count;
  if (nFeatures === stride) {
    for (let k = begin; k < end; k++) {
      const r = rows[k]!;
      const gv = g[r]!;
      const hv = h[r]!;
      const base = r * stride;
      for (let f = 0; f < stride; f++) {
        const j = binIndex[base + f]! * HIST_STRIDE;
        hist[j] = hist[j]! + gv;
        hist[j + 1] = hist[j + 1]! + hv;
        hist[j + 2] = hist[j + 2]! + 1;
      }
    }
    return;
  }
  for (let k = begin; k < end; k++) {
    const r = rows[k]!;
    const gv = g[r]!;
    const hv = h[r]!;
    const base = r * stride;
    for (let u = 0; u < nFeatures; u++) {
      const j = binIndex[base + features[u]!]! * HIST_STRIDE;
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
