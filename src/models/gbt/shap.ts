// Exact TreeSHAP (Lundberg et al. 2018, algorithm 2, as in the shap package's C++ and
// LightGBM's pred_contrib): per-row feature contributions that, with the expected value,
// add up to the raw score. Nodes are weighted by their training row counts (cover).

import { alignColumns, type Frame } from '../../numeric/frame.js';
import type { Contributions } from '../contributions.js';
import type { GbtModel, GbtTree } from './model.js';
import { type CompiledTree, compileTrees } from './predict.js';
import { defaultShapThreads, shapInWorkers, workerAvailable } from './shap-parallel.js';

/** A tree with leaves renumbered after the internal nodes (leaf l → node m + l) and covers. */
export interface ShapTree {
  readonly m: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly defaultLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly cover: Float64Array;
  readonly value: Float64Array;
  readonly depth: number;
}

/** Options of {@link shapValues}. */
export interface ShapOptions {
  /**
   * Compute each tree once per distinct path pattern and share it among the rows with that
   * pattern (the same numbers, bit for bit, as row by row). Default true; false walks every
   * row through the full recursion (kept for tests and comparison).
   */
  readonly byPattern?: boolean;
  /**
   * Threads sharing the rows (this one plus worker threads; the values are the same for any
   * number). Default: 2 when at least 20,000 rows and 2+ cores, else 1. Workers need the
   * compiled build; from TypeScript sources everything runs in this thread.
   */
  readonly threads?: number;
}

/**
 * SHAP values of every row of `x`: `columns[j][i]` is feature j's contribution to row
 * i's raw score (log-odds) and `expectedValue` the cover-weighted mean raw score, so
 * expectedValue + Σⱼ columns[j][i] = predictRawGbt(model, x)[i] up to rounding. Cost per
 * row: one walk over each tree's nodes, plus O(leaves × depth²) per distinct path pattern.
 */
export function shapValues(model: GbtModel, x: Frame, options: ShapOptions = {}): Contributions {
  const cols = alignColumns(x, model.featureNames, 'shapValues');
  const nF = model.featureNames.length;
  const prepared = prepareShap(model);
  const threads = options.threads ?? defaultShapThreads(x.nRows);
  const byPattern = options.byPattern !== false;
  // Always two halves of the trees, summed per value at the end: a worker can take one half
  // and the numbers do not depend on the thread count. (Splitting trees, not rows, keeps
  // each tree's distinct patterns computed once.)
  const split = treeSplit(prepared);
  let first: Float64Array[];
  const second = Array.from({ length: nF }, () => new Float64Array(x.nRows));
  if (threads > 1 && x.nRows >= 1 && workerAvailable()) {
    first = shapInWorkers(model, prepared, cols, x.nRows, byPattern, split, () =>
      shapRows(prepared, cols, 0, x.nRows, second, byPattern, split, prepared.trees.length),
    );
  } else {
    first = Array.from({ length: nF }, () => new Float64Array(x.nRows));
    shapRows(prepared, cols, 0, x.nRows, first, byPattern, 0, split);
    shapRows(prepared, cols, 0, x.nRows, second, byPattern, split, prepared.trees.length);
  }
  const columns = first.map((a, j) => {
    const out = new Float64Array(x.nRows);
    const b = second[j]!;
    for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
    return out;
  });
  return { names: model.featureNames, expectedValue: prepared.expectedValue, columns };
}

/** Where the trees are cut in two: the first half by count. */
export function treeSplit(prepared: PreparedShap): number {
  return Math.ceil(prepared.trees.length / 2);
}

/** A model's trees in SHAP form, its expected value and the path buffer size. */
export interface PreparedShap {
  readonly trees: readonly ShapTree[];
  readonly expectedValue: number;
  readonly bufferSize: number;
  readonly nFeatures: number;
}

/** Compiles `model` for {@link shapRows}. */
export function prepareShap(model: GbtModel): PreparedShap {
  const compiled = compileTrees(model);
  const trees = model.trees.map((t, k) => toShapTree(t, compiled[k]!));
  let expectedValue = model.initScore;
  let maxDepth = 0;
  for (const t of trees) {
    expectedValue += expectedOf(t);
    maxDepth = Math.max(maxDepth, t.depth);
  }
  const bufferSize = ((maxDepth + 3) * (maxDepth + 4)) / 2 + 1;
  return { trees, expectedValue, bufferSize, nFeatures: model.featureNames.length };
}

/**
 * Adds the SHAP values of trees [t0, t1) for rows [r0, r1) to `columns`, tree after tree.
 * A row's values do not depend on which other rows are computed with it.
 */
export function shapRows(
  prepared: PreparedShap,
  cols: readonly Float64Array[],
  r0: number,
  r1: number,
  columns: Float64Array[],
  byPattern: boolean,
  t0 = 0,
  t1 = prepared.trees.length,
): void {
  const size = prepared.bufferSize;
  const state: PathState = {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
    phi: new Float64Array(prepared.nFeatures),
  };
  for (let q = t0; q < t1; q++) {
    const t = prepared.trees[q]!;
    if (t.m === 0) continue;
    if (t.m <= MAX_KEY_BITS && byPattern) addTreeMemoized(t, cols, r0, r1, state, columns);
    else addTreeRowByRow(t, cols, r0, r1, state, columns);
  }
}

/** Internal nodes up to which a row's path pattern fits exactly in one double (2^52). */
const MAX_KEY_BITS = 52;

/**
 * One tree's contributions for every row, computed once per distinct path pattern. A
 * row's contributions in a tree depend on the row only through the direction it takes
 * at each internal node (the recursion reads nothing else of the row), so rows with the
 * same directions — the pattern, one bit per node — get the same values, bit for bit.
 * Binned trees see few patterns (thousands for hundreds of thousands of rows), so this
 * costs one walk over the nodes per row instead of the full O(leaves × depth²) pass.
 */
function addTreeMemoized(
  t: ShapTree,
  cols: readonly Float64Array[],
  r0: number,
  r1: number,
  s: PathState,
  columns: Float64Array[],
): void {
  // The features this tree splits on, numbered locally.
  const used: number[] = [];
  for (let k = 0; k < t.m; k++) if (!used.includes(t.feature[k]!)) used.push(t.feature[k]!);
  used.sort((a, b) => a - b);
  const nU = used.length;
  const slotOf = new Map<number, number>();
  let store = new Float64Array(nU * 64);
  let nSlots = 0;
  // Patterns node by node over all rows (each pass reads one column in order), then rows.
  const keys = new Float64Array(r1 - r0);
  for (let k = 0; k < t.m; k++) {
    const col = cols[t.feature[k]!]!;
    const thr = t.threshold[k]!;
    const missingLeft = t.defaultLeft[k] === 1 ? 1 : 0;
    for (let i = r0; i < r1; i++) {
      const v = col[i]!;
      const left = Number.isNaN(v) ? missingLeft : v <= thr ? 1 : 0;
      keys[i - r0] = keys[i - r0]! * 2 + left;
    }
  }
  for (let i = r0; i < r1; i++) {
    const key = keys[i - r0]!;
    let slot = slotOf.get(key);
    if (slot === undefined) {
      slot = nSlots++;
      slotOf.set(key, slot);
      if (nSlots * nU > store.length) {
        const grown = new Float64Array(store.length * 2);
        grown.set(store);
        store = grown;
      }
      recurse(t, cols, i, s, 0, 0, 0, 1, 1, -1);
      for (let u = 0; u < nU; u++) {
        const f = used[u]!;
        store[slot * nU + u] = s.phi[f]!;
        s.phi[f] = 0;
      }
    }
    const base = slot * nU;
    for (let u = 0; u < nU; u++) {
      const col = columns[used[u]!]!;
      col[i] = col[i]! + store[base + u]!;
    }
  }
}

/** One tree's contributions row by row (trees too large for a pattern key). */
function addTreeRowByRow(
  t: ShapTree,
  cols: readonly Float64Array[],
  r0: number,
  r1: number,
  s: PathState,
  columns: Float64Array[],
): void {
  for (let i = r0; i < r1; i++) {
    recurse(t, cols, i, s, 0, 0, 0, 1, 1, -1);
    for (let f = 0; f < s.phi.length; f++) {
      const v = s.phi[f]!;
      if (v !== 0) {
        const col = columns[f]!;
        col[i] = col[i]! + v;
        s.phi[f] = 0;
      }
    }
  }
}

function toShapTree(t: GbtTree, c: CompiledTree): ShapTree {
  const m = t.numLeaves - 1;
  const total = m + t.numLeaves;
  const left = new Int32Array(total).fill(-1);
  const right = new Int32Array(total).fill(-1);
  const cover = new Float64Array(total);
  const value = new Float64Array(total);
  const toNode = (child: number) => (child >= 0 ? child : m + ~child);
  for (let k = 0; k < m; k++) {
    left[k] = toNode(t.leftChild[k]!);
    right[k] = toNode(t.rightChild[k]!);
    cover[k] = t.internalCount[k]!;
  }
  for (let l = 0; l < t.numLeaves; l++) {
    cover[m + l] = t.leafCount[l]!;
    value[m + l] = t.leafValue[l]!;
  }
  // Depth, for the path buffer size.
  let depth = 0;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    depth = Math.max(depth, d);
    if (node < m) {
      stack.push([left[node]!, d + 1], [right[node]!, d + 1]);
    }
  }
  return {
    m,
    feature: c.feature,
    threshold: c.threshold,
    defaultLeft: c.defaultLeft,
    left,
    right,
    cover,
    value,
    depth,
  };
}

/** Cover-weighted mean of a tree's leaf values: its share of the expected raw score. */
function expectedOf(t: ShapTree): number {
  const root = t.cover[0]!;
  if (t.m === 0) return t.value[0]!;
  let sum = 0;
  for (let node = t.m; node < t.value.length; node++) sum += t.value[node]! * t.cover[node]!;
  return root > 0 ? sum / root : 0;
}

interface PathState {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  readonly phi: Float64Array;
}

function recurse(
  t: ShapTree,
  cols: readonly Float64Array[],
  row: number,
  s: PathState,
  node: number,
  parentBase: number,
  uniqueDepthIn: number,
  parentZero: number,
  parentOne: number,
  parentFeature: number,
): void {
  let uniqueDepth = uniqueDepthIn;
  // This level's path starts after the parent's and begins as a copy of it.
  const b = parentBase + uniqueDepth + 1;
  for (let k = 0; k <= uniqueDepth; k++) {
    s.feature[b + k] = s.feature[parentBase + k]!;
    s.zero[b + k] = s.zero[parentBase + k]!;
    s.one[b + k] = s.one[parentBase + k]!;
    s.weight[b + k] = s.weight[parentBase + k]!;
  }
  extendPath(s, b, uniqueDepth, parentZero, parentOne, parentFeature);
  if (node >= t.m) {
    const v = t.value[node]!;
    for (let k = 1; k <= uniqueDepth; k++) {
      const w = unwoundPathSum(s, b, uniqueDepth, k);
      const f = s.feature[b + k]!;
      s.phi[f] = s.phi[f]! + w * (s.one[b + k]! - s.zero[b + k]!) * v;
    }
    return;
  }
  const f = t.feature[node]!;
  const x = cols[f]![row]!;
  const goLeft = Number.isNaN(x) ? t.defaultLeft[node] === 1 : x <= t.threshold[node]!;
  const hot = goLeft ? t.left[node]! : t.right[node]!;
  const cold = goLeft ? t.right[node]! : t.left[node]!;
  const w = t.cover[node]!;
  const hotZero = t.cover[hot]! / w;
  const coldZero = t.cover[cold]! / w;
  let incomingZero = 1;
  let incomingOne = 1;
  // A feature already on the path is undone and redone at this node.
  let pathIndex = 0;
  for (; pathIndex <= uniqueDepth; pathIndex++) if (s.feature[b + pathIndex] === f) break;
  if (pathIndex !== uniqueDepth + 1) {
    incomingZero = s.zero[b + pathIndex]!;
    incomingOne = s.one[b + pathIndex]!;
    unwindPath(s, b, uniqueDepth, pathIndex);
    uniqueDepth -= 1;
  }
  recurse(t, cols, row, s, hot, b, uniqueDepth + 1, hotZero * incomingZero, incomingOne, f);
  recurse(t, cols, row, s, cold, b, uniqueDepth + 1, coldZero * incomingZero, 0, f);
}

function extendPath(s: PathState, b: number, d: number, zero: number, one: number, feature: number): void {
  s.feature[b + d] = feature;
  s.zero[b + d] = zero;
  s.one[b + d] = one;
  s.weight[b + d] = d === 0 ? 1 : 0;
  for (let i = d - 1; i >= 0; i--) {
    s.weight[b + i + 1] = s.weight[b + i + 1]! + (one * s.weight[b + i]! * (i + 1)) / (d + 1);
    s.weight[b + i] = (zero * s.weight[b + i]! * (d - i)) / (d + 1);
  }
}

function unwindPath(s: PathState, b: number, d: number, pathIndex: number): void {
  const one = s.one[b + pathIndex]!;
  const zero = s.zero[b + pathIndex]!;
  let nextOne = s.weight[b + d]!;
  for (let i = d - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = s.weight[b + i]!;
      s.weight[b + i] = (nextOne * (d + 1)) / ((i + 1) * one);
      nextOne = tmp - (s.weight[b + i]! * zero * (d - i)) / (d + 1);
    } else {
      s.weight[b + i] = (s.weight[b + i]! * (d + 1)) / (zero * (d - i));
    }
  }
  for (let i = pathIndex; i < d; i++) {
    s.feature[b + i] = s.feature[b + i + 1]!;
    s.zero[b + i] = s.zero[b + i + 1]!;
    s.one[b + i] = s.one[b + i + 1]!;
  }
}

function unwoundPathSum(s: PathState, b: number, d: number, pathIndex: number): number {
  const one = s.one[b + pathIndex]!;
  const zero = s.zero[b + pathIndex]!;
  let nextOne = s.weight[b + d]!;
  let total = 0;
  for (let i = d - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (nextOne * (d + 1)) / ((i + 1) * one);
      total += tmp;
      nextOne = s.weight[b + i]! - tmp * zero * ((d - i) / (d + 1));
    } else if (zero !== 0) {
      total += s.weight[b + i]! / zero / ((d - i) / (d + 1));
    }
  }
  return total;
}
