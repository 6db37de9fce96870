// Finding a leaf's best split from its histogram: for every feature, every bin boundary,
// and both directions for missing values (left or right), the split that most reduces
// the second-order approximation of the log loss.

import { HIST_STRIDE, type HistogramLayout } from './histogram.js';

/** Limits a split must respect (from the parameters). */
export interface SplitConstraints {
  readonly minDataInLeaf: number;
  readonly minSumHessianInLeaf: number;
  readonly lambdaL2: number;
  readonly minGainToSplit: number;
}

/**
 * The best split found, written into caller-owned fields (no allocation per search).
 * `gain` is −Infinity when no split satisfies the constraints.
 */
export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Value bins ≤ bin go left. */
  bin: number;
  defaultLeft: boolean;
  leftG: number;
  leftH: number;
  leftCount: number;
}

/** A fresh candidate with no split. */
export function emptySplit(): SplitCandidate {
  return {
    gain: Number.NEGATIVE_INFINITY,
    feature: -1,
    bin: -1,
    defaultLeft: false,
    leftG: 0,
    leftH: 0,
    leftCount: 0,
  };
}

/**
 * Scans features `features[0..nFeatures)` of `hist` for a leaf with totals (sumG, sumH,
 * count) and writes the best split into `best`. Gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) −
 * G²/(H+λ) must exceed minGainToSplit. Ties keep the first found (lower feature index,
 * lower bin, missing right before missing left), so results are deterministic. When the
 * leaf's rows have no missing value for a feature, missing values at prediction go to
 * the side with more rows.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
  nFeatures: number,
  sumG: number,
  sumH: number,
  count: number,
  c: SplitConstraints,
  best: SplitCandidate,
): void {
  best.gain = Number.NEGATIVE_INFINITY;
  best.feature = -1;
  const lambda = c.lambdaL2;
  const parentScore = (sumG * sumG) / (sumH + lambda);
  const minData = c.minDataInLeaf;
  const minHess = c.minSumHessianInLeaf;
  for (let u = 0; u < nFeatures; u++) {
    const f = features[u]!;
    const nb = layout.valueBins[f]!;
    const base = layout.offset[f]! * HIST_STRIDE;
    const mj = base + nb * HIST_STRIDE;
    const missG = hist[mj]!;
    const missH = hist[mj + 1]!;
    const missC = hist[mj + 2]!;
    // Missing right: left = value bins 0..t. With missing rows, t = nb−1 splits missing
    // from all values.
    const lastT = missC > 0 ? nb - 1 : nb - 2;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let t = 0; t <= lastT; t++) {
      const j = base + t * HIST_STRIDE;
      gl += hist[j]!;
      hl += hist[j + 1]!;
      cl += hist[j + 2]!;
      const cr = count - cl;
      if (cr < minData) break;
      if (cl < minData || hl < minHess) continue;
      const hr = sumH - hl;
      if (hr < minHess) continue;
      const gr = sumG - gl;
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
      if (gain > best.gain && gain > c.minGainToSplit) {
        best.gain = gain;
        best.feature = f;
        best.bin = t;
        best.defaultLeft = missC > 0 ? false : cl >= cr;
        best.leftG = gl;
        best.leftH = hl;
        best.leftCount = cl;
      }
    }
    if (missC === 0) continue;
    // Missing left: left = missing + value bins 0..t.
    gl = missG;
    hl = missH;
    cl = missC;
    for (let t = 0; t <= nb - 2; t++) {
      const j = base + t * HIST_STRIDE;
      gl += hist[j]!;
      hl += hist[j + 1]!;
      cl += hist[j + 2]!;
      const cr = count - cl;
      if (cr < minData) break;
      if (cl < minData || hl < minHess) continue;
      const hr = sumH - hl;
      if (hr < minHess) continue;
      const gr = sumG - gl;
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
      if (gain > best.gain && gain > c.minGainToSplit) {
        best.gain = gain;
        best.feature = f;
        best.bin = t;
        best.defaultLeft = true;
        best.leftG = gl;
        best.leftH = hl;
        best.leftCount = cl;
      }
    }
  }
}
