// The fitted gradient-boosted tree ensemble as a readonly, JSON-serializable value
// (model.json): trees as parallel arrays, LightGBM's layout.

import type { GbtMetric, GbtParams } from './params.js';

/**
 * One regression tree. Internal nodes are 0..numLeaves−2; a child index c ≥ 0 is an
 * internal node and c < 0 is leaf ~c (−1 → leaf 0), as LightGBM stores trees. A row goes
 * left when x ≤ threshold, or when x is missing and defaultLeft. A threshold of
 * Number.MAX_VALUE stands for +Infinity (a split of missing against all values), since
 * JSON has no Infinity.
 */
export interface GbtTree {
  readonly numLeaves: number;
  readonly splitFeature: readonly number[];
  readonly threshold: readonly number[];
  readonly defaultLeft: readonly boolean[];
  readonly leftChild: readonly number[];
  readonly rightChild: readonly number[];
  /** Loss reduction of each split: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). */
  readonly splitGain: readonly number[];
  /** Training rows (of the bag) through each internal node: the cover TreeSHAP weighs by. */
  readonly internalCount: readonly number[];
  /** Leaf outputs, learning rate applied. */
  readonly leafValue: readonly number[];
  readonly leafCount: readonly number[];
}

/** A fitted binary classifier: raw score = initScore + Σ trees; probability = sigmoid(raw). */
export interface GbtModel {
  readonly kind: 'gbt';
  readonly formatVersion: 1;
  /** The parameters as passed to the fit (defaults not filled in). */
  readonly params: Readonly<Partial<GbtParams>>;
  /** Every parameter as used, defaults filled in. */
  readonly resolvedParams: Readonly<GbtParams>;
  readonly featureNames: readonly string[];
  /** log(p / (1 − p)) of the training positive rate (LightGBM's boost_from_average). */
  readonly initScore: number;
  /** The kept trees: all of them, or the first bestIteration with early stopping. */
  readonly trees: readonly GbtTree[];
  /** Rounds kept (= trees.length). */
  readonly bestIteration: number;
  /** Rounds run before stopping. */
  readonly iterationsRun: number;
  /** The validation metric after each round run; null without a validation set. */
  readonly validation: { readonly metric: GbtMetric; readonly values: readonly number[] } | null;
  readonly nTrain: number;
}

/** Threshold stored for "all values left, missing right" (JSON has no Infinity). */
export const THRESHOLD_INFINITY = Number.MAX_VALUE;
