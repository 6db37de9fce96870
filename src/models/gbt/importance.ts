// Global feature importance of a tree ensemble: total split gain and split count per
// feature over the kept trees.

import type { GbtModel } from './model.js';

/** Importance per feature, in the model's feature order. */
export interface FeatureImportance {
  readonly names: readonly string[];
  /** Sum of split gains (loss reduction) of the feature's splits. */
  readonly gain: readonly number[];
  /** Number of splits on the feature. */
  readonly split: readonly number[];
}

/** Gain-based and split-count importance of every feature (LightGBM's importance_type gain/split). */
export function featureImportance(model: GbtModel): FeatureImportance {
  const gain = new Array<number>(model.featureNames.length).fill(0);
  const split = new Array<number>(model.featureNames.length).fill(0);
  for (const t of model.trees) {
    for (let k = 0; k < t.numLeaves - 1; k++) {
      const f = t.splitFeature[k]!;
      gain[f] = gain[f]! + t.splitGain[k]!;
      split[f] = split[f]! + 1;
    }
  }
  return { names: model.featureNames, gain, split };
}
