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

/** A tree's splits, as {@link directionKeys} reads them. */
export type SplitTests = Pick<CompiledTree, 'feature' | 'threshold' | 'defaultLeft'>;

/** Direction keys of rows: Uint8/16/32 for up to 8/16/32 splits, exact integers in doubles up to 52. */
export type DirectionKeys = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** Splits up to which {@link directionKeys} works (a double holds integers exactly below 2^53). */
export const MAX_DIRECTION_SPLITS = 52;

/**
 * Each of rows [r0, r1) of `cols`'s direction at every split of `t`: bit k (2^k) set when
 * the row goes left at node k, NaN following the split's default. The smallest array that
 * holds the split count: Uint8Array up to 8 splits, Uint16Array up to 16, Uint32Array up
 * to 32, Float64Array up to {@link MAX_DIRECTION_SPLITS}. Node by node over all rows, so
 * each pass reads one column in order.
 */
export function directionKeys(
  t: SplitTests,
  cols: readonly Float64Array[],
  r0: number,
  r1: number,
): DirectionKeys {
  const m = t.feature.length;
  if (m > MAX_DIRECTION_SPLITS) throw new Error(`directionKeys: ${m} splits do not fit in a key`);
  const n = r1 - r0;
  if (m > 32) {
    const out = new Float64Array(n);
    for (let k = 0; k < m; k++) {
      const col = cols[t.feature[k]!]!;
      const thr = t.threshold[k]!;
      const bit = 2 ** k;
      if (t.defaultLeft[k] === 1) {
        for (let i = 0; i < n; i++) if (!(col[r0 + i]! > thr)) out[i] = out[i]! + bit;
      } else {
        for (let i = 0; i < n; i++) if (col[r0 + i]! <= thr) out[i] = out[i]! + bit;
      }
    }
    return out;
  }
  const out = m <= 8 ? new Uint8Array(n) : m <= 16 ? new Uint16Array(n) : new Uint32Array(n);
  for (let k = 0; k < m; k++) {
    const col = cols[t.feature[k]!]!;
    const thr = t.threshold[k]!;
    // NaN compares false both ways, so it goes left exactly when the test is "not right".
    // (At k = 31 the shifted bit is negative as an int32; the unsigned array stores 2^31.)
    if (t.defaultLeft[k] === 1) {
      for (let i = 0; i < n; i++) out[i] = out[i]! | (+!(col[r0 + i]! > thr) << k);
    } else {
      for (let i = 0; i < n; i++) out[i] = out[i]! | (+(col[r0 + i]! <= thr) << k);
    }
  }
  return out;
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
