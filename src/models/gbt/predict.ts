// Scoring with a fitted tree ensemble: trees compiled once per model into typed arrays,
// then every row walked down every tree.

import { alignColumns, type Frame } from '../../numeric/frame.js';
import { sigmoid } from '../../numeric/logistic.js';
import type { GbtModel, GbtTree } from './model.js';
import { THRESHOLD_INFINITY } from './model.js';

/** A tree in typed arrays; thresholds with +Infinity restored. */
export interface CompiledTree {
  readonly numLeaves: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly defaultLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly leafValue: Float64Array;
}

const compiledCache = new WeakMap<GbtModel, readonly CompiledTree[]>();

/** The model's trees as typed arrays (cached per model object; models are immutable). */
export function compileTrees(model: GbtModel): readonly CompiledTree[] {
  let compiled = compiledCache.get(model);
  if (!compiled) {
    compiled = model.trees.map(compileTree);
    compiledCache.set(model, compiled);
  }
  return compiled;
}

function compileTree(t: GbtTree): CompiledTree {
  return {
    numLeaves: t.numLeaves,
    feature: Int32Array.from(t.splitFeature),
    threshold: Float64Array.from(t.threshold, (v) =>
      v === THRESHOLD_INFINITY ? Number.POSITIVE_INFINITY : v,
    ),
    defaultLeft: Uint8Array.from(t.defaultLeft, (b) => (b ? 1 : 0)),
    left: Int32Array.from(t.leftChild),
    right: Int32Array.from(t.rightChild),
    leafValue: Float64Array.from(t.leafValue),
  };
}

/** The leaf row i of `cols` reaches in tree `t`. */
export function leafOf(t: CompiledTree, cols: readonly Float64Array[], i: number): number {
  if (t.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const x = cols[t.feature[node]!]![i]!;
    const left = Number.isNaN(x) ? t.defaultLeft[node] === 1 : x <= t.threshold[node]!;
    node = left ? t.left[node]! : t.right[node]!;
  }
  return ~node;
}

/**
 * Raw scores (log-odds): initScore + the sum of the first `numIteration` trees (default:
 * all kept trees). Columns are matched by name; NaN follows each split's default
 * direction.
 */
export function predictRawGbt(model: GbtModel, x: Frame, numIteration?: number): Float64Array {
  const cols = alignColumns(x, model.featureNames, 'predictGbt');
  const trees = compileTrees(model).slice(0, numIteration ?? model.trees.length);
  const out = new Float64Array(x.nRows).fill(model.initScore);
  for (const t of trees) {
    const values = t.leafValue;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + values[leafOf(t, cols, i)]!;
  }
  return out;
}

/** Probabilities of the positive class: sigmoid of {@link predictRawGbt}. */
export function predictProbaGbt(model: GbtModel, x: Frame, numIteration?: number): Float64Array {
  const raw = predictRawGbt(model, x, numIteration);
  for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]!);
  return raw;
}
