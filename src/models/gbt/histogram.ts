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

/** Histogram entry of each row and feature (see {@link binIndexOf}), row-major. */
export type BinIndex = Uint16Array | Uint32Array;

/**
 * Row-major histogram entries: entry r·nFeatures + f is (layout.offset[f] + the bin of
 * row r for feature f) · HIST_STRIDE, the position of that bin's gradient sum in a
 * histogram. Uint16 while the layout's entries fit (totalBins · 3 ≤ 65,536, e.g. 85
 * features of 256 bins), else Uint32.
 */
export function binIndexOf(
  binnedColumns: readonly Uint8Array[],
  layout: HistogramLayout,
  nRows: number,
): BinIndex {
  const nF = binnedColumns.length;
  const out =
    layout.totalBins * HIST_STRIDE <= 65_536 ? new Uint16Array(nRows * nF) : new Uint32Array(nRows * nF);
  binnedColumns.forEach((bins, f) => {
    const off = layout.offset[f]!;
    for (let i = 0; i < nRows; i++) out[i * nF + f] = (off + bins[i]!) * HIST_STRIDE;
  });
  return out;
}

/**
 * Fills `hist` for the features `features[0..nFeatures)` (ascending) from the rows
 * `rows[begin..begin+count)` with gradients `g` and hessians `h` (indexed by row).
 * Rows are scanned one at a time over `binIndex` (row-major, `stride` = all features):
 * each row's gradient is read once and consecutive updates land on different features,
 * and the precomputed entry index saves two loads and a multiply per update — together
 * about 2.5× faster than one pass per feature over per-column bins (measured; consecutive
 * rows of a time-ordered table often share a bin, which chains dependent updates). The
 * feature loop is unrolled by four (about 7% faster). Every bin sums its rows in row order,
 * so the sums do not depend on the loop's shape. Other features' entries are left as
 * they are.
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
  const n4 = nFeatures & ~3;
  // Two copies of one loop on purpose: with every feature (no column subsampling) the
  // feature list is the identity and this copy reads binIndex without it, one load fewer
  // per entry in the hottest loop of training.
  if (nFeatures === stride) {
    for (let k = begin; k < end; k++) {
      const r = rows[k]!;
      const gv = g[r]!;
      const hv = h[r]!;
      const base = r * stride;
      let f = 0;
      for (; f < n4; f += 4) {
        const j0 = binIndex[base + f]!;
        const j1 = binIndex[base + f + 1]!;
        const j2 = binIndex[base + f + 2]!;
        const j3 = binIndex[base + f + 3]!;
        hist[j0] = hist[j0]! + gv;
        hist[j0 + 1] = hist[j0 + 1]! + hv;
        hist[j0 + 2] = hist[j0 + 2]! + 1;
        hist[j1] = hist[j1]! + gv;
        hist[j1 + 1] = hist[j1 + 1]! + hv;
        hist[j1 + 2] = hist[j1 + 2]! + 1;
        hist[j2] = hist[j2]! + gv;
        hist[j2 + 1] = hist[j2 + 1]! + hv;
        hist[j2 + 2] = hist[j2 + 2]! + 1;
        hist[j3] = hist[j3]! + gv;
        hist[j3 + 1] = hist[j3 + 1]! + hv;
        hist[j3 + 2] = hist[j3 + 2]! + 1;
      }
      for (; f < stride; f++) {
        const j = binIndex[base + f]!;
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
    let u = 0;
    for (; u < n4; u += 4) {
      const j0 = binIndex[base + features[u]!]!;
      const j1 = binIndex[base + features[u + 1]!]!;
      const j2 = binIndex[base + features[u + 2]!]!;
      const j3 = binIndex[base + features[u + 3]!]!;
      hist[j0] = hist[j0]! + gv;
      hist[j0 + 1] = hist[j0 + 1]! + hv;
      hist[j0 + 2] = hist[j0 + 2]! + 1;
      hist[j1] = hist[j1]! + gv;
      hist[j1 + 1] = hist[j1 + 1]! + hv;
      hist[j1 + 2] = hist[j1 + 2]! + 1;
      hist[j2] = hist[j2]! + gv;
      hist[j2 + 1] = hist[j2 + 1]! + hv;
      hist[j2 + 2] = hist[j2 + 2]! + 1;
      hist[j3] = hist[j3]! + gv;
      hist[j3 + 1] = hist[j3 + 1]! + hv;
      hist[j3 + 2] = hist[j3 + 2]! + 1;
    }
    for (; u < nFeatures; u++) {
      const j = binIndex[base + features[u]!]!;
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
