// Exact TreeSHAP (Lundberg et al. 2018, algorithm 2, as in the shap package's C++ and
// LightGBM's pred_contrib): per-row feature contributions that, with the expected value,
// add up to the raw score. Nodes are weighted by their training row counts (cover).
// By default (from PATTERN_MIN_ROWS rows) each tree's values are computed once per distinct
// path pattern and summed leaf by leaf from per-leaf tables (see LeafTables); the textbook
// recursion is kept as the row-by-row reference (byPattern: false) and explains small
// batches and trees too large for the tables.
//
// Accuracy: both compute the same Shapley values with different roundings. On shallow
// trees they agree to ~1e-15; on deep paths with a feature repeated many times the
// recursion's unwinding (undo, redo at every repeat) loses precision and they were seen to
// differ by up to 2e-7 — the recursion's error: the sum with the expected value missed
// the raw score by 6e-7 there, the per-leaf tables' by 3e-11. So the honest check of
// either is the raw score (predictRawGbt), not the other.

import { alignColumns, type Frame } from '../../numeric/frame.js';
import type { Contributions } from '../contributions.js';
import type { GbtModel, GbtTree } from './model.js';
import { type CompiledTree, compileTrees, directionKeys, MAX_DIRECTION_SPLITS } from './predict.js';
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
  /** The most distinct features on one root-to-leaf path. */
  readonly maxPathFeatures: number;
}

/** Options of {@link shapValues}. */
export interface ShapOptions {
  /**
   * Compute each tree once per distinct path pattern, leaf by leaf from per-leaf tables, and
   * share it among the rows with that pattern (the same Shapley values as row by row, equal
   * up to rounding; see the note on accuracy at the top). true forces it (where the tree
   * allows), false walks every row through the textbook recursion (kept as the reference
   * for tests and comparison). Default: by pattern from {@link PATTERN_MIN_ROWS} rows, the
   * recursion below (the per-leaf tables are built on every call, which costs more than a
   * few rows' recursion), so a row's values can differ in the last bits with the batch size.
   */
  readonly byPattern?: boolean;
  /**
   * Threads sharing the rows (this one plus worker threads; the values are the same for any
   * number). Default: 2 when at least 20,000 rows, 2+ cores and called on the main thread
   * or in the training worker of the last target still training (not from a worker beside
   * another target's), else 1. Workers need the
   * compiled build; from TypeScript sources everything runs in this thread.
   */
  readonly threads?: number;
}

/**
 * Rows from which {@link shapValues} computes by pattern by default. Measured once (CPU
 * time, 300 trees of 31 leaves over 12 continuous features, one thread): by pattern vs the
 * recursion 21 vs 7 ms for 1 row, 42 vs 32 for 10, 72 vs 87 for 30, 146 vs 263 for 100.
 */
export const PATTERN_MIN_ROWS = 20;

/**
 * SHAP values of every row of `x`: `columns[j][i]` is feature j's contribution to row
 * i's raw score (log-odds) and `expectedValue` the cover-weighted mean raw score, so
 * expectedValue + Σⱼ columns[j][i] = predictRawGbt(model, x)[i] up to rounding. Cost per
 * row and tree: one test per internal node and one addition per feature the tree uses;
 * per distinct path pattern, one pass over the leaves' paths; per (leaf, agreement mask)
 * seen, O(d²) for the d distinct features on the leaf's path.
 */
export function shapValues(model: GbtModel, x: Frame, options: ShapOptions = {}): Contributions {
  const cols = alignColumns(x, model.featureNames, 'shapValues');
  const nF = model.featureNames.length;
  const prepared = prepareShap(model);
  const threads = options.threads ?? defaultShapThreads(x.nRows);
  const byPattern = options.byPattern ?? x.nRows >= PATTERN_MIN_ROWS;
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
    // Patterns need a key (≤ 52 splits) and each leaf's agreement mask a small integer.
    const patterned = byPattern && t.m <= MAX_DIRECTION_SPLITS && t.maxPathFeatures <= MAX_MASK_BITS;
    if (patterned) addTreeMemoized(t, cols, r0, r1, columns);
    else addTreeRowByRow(t, cols, r0, r1, state, columns);
  }
}

/**
 * One tree's contributions for every row, computed once per distinct path pattern. A
 * row's contributions in a tree depend on the row only through the direction it takes
 * at each internal node, so rows with the same directions — the pattern, one bit per
 * node — get the same values. Binned trees see few patterns (thousands for hundreds of
 * thousands of rows), so this costs one walk over the nodes per row; each pattern's
 * values are then summed leaf by leaf from {@link LeafTables} (see there).
 */
function addTreeMemoized(
  t: ShapTree,
  cols: readonly Float64Array[],
  r0: number,
  r1: number,
  columns: Float64Array[],
): void {
  const n = r1 - r0;
  // Each row's pattern: bit k set when it goes left at node k.
  const keys = directionKeys(t, cols, r0, r1);
  // Slot (distinct pattern, first seen first) of every row, and a row of each slot.
  const slots = new PatternSlots();
  const slotOfRow = new Int32Array(n);
  let firstRow = new Int32Array(1024);
  for (let i = 0; i < n; i++) {
    const before = slots.size;
    const slot = slots.slotOf(keys[i]!);
    slotOfRow[i] = slot;
    if (slots.size > before) {
      if (slot >= firstRow.length) {
        const grown = new Int32Array(firstRow.length * 2);
        grown.set(firstRow);
        firstRow = grown;
      }
      firstRow[slot] = r0 + i;
    }
  }
  // Each slot's values, feature-major, then added to the rows one feature at a time.
  const leaves = leafTablesOf(t);
  const used = leaves.used;
  const nU = used.length;
  const nSlots = slots.size;
  const store = new Float64Array(nU * nSlots);
  const goLeft = new Uint8Array(t.m);
  const phi = new Float64Array(nU);
  for (let slot = 0; slot < nSlots; slot++) {
    // The directions are the key's bits, node 0 the lowest.
    const i = firstRow[slot]! - r0;
    if (keys instanceof Float64Array) {
      let key = keys[i]!;
      for (let k = 0; k < t.m; k++) {
        goLeft[k] = key % 2;
        key = (key - goLeft[k]!) / 2;
      }
    } else {
      const key = keys[i]!;
      for (let k = 0; k < t.m; k++) goLeft[k] = (key >>> k) & 1;
    }
    patternValues(leaves, goLeft, phi);
    for (let u = 0; u < nU; u++) store[u * nSlots + slot] = phi[u]!;
  }
  for (let u = 0; u < nU; u++) {
    const col = columns[used[u]!]!;
    const values = store.subarray(u * nSlots, (u + 1) * nSlots);
    for (let i = 0; i < n; i++) col[r0 + i] = col[r0 + i]! + values[slotOfRow[i]!]!;
  }
}

/**
 * Pattern key → slot number (in first-seen order), an open-addressing hash table on typed
 * arrays: keys are integers below 2^52 held in doubles, which a Map would box on every
 * lookup.
 */
class PatternSlots {
  private keys = new Float64Array(1024);
  private slots = new Int32Array(1024).fill(-1);
  private mask = 1023;
  /** Slots handed out. */
  size = 0;

  slotOf(key: number): number {
    let h = hashKey(key) & this.mask;
    for (;;) {
      const slot = this.slots[h]!;
      if (slot === -1) break;
      if (this.keys[h] === key) return slot;
      h = (h + 1) & this.mask;
    }
    this.keys[h] = key;
    this.slots[h] = this.size;
    this.size++;
    if (this.size * 2 > this.mask) this.grow();
    return this.size - 1;
  }

  private grow(): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Float64Array(keys.length * 2);
    this.slots = new Int32Array(slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let h = 0; h < slots.length; h++) {
      if (slots[h] === -1) continue;
      let g = hashKey(keys[h]!) & this.mask;
      while (this.slots[g] !== -1) g = (g + 1) & this.mask;
      this.keys[g] = keys[h]!;
      this.slots[g] = slots[h]!;
    }
  }
}

/** A 32-bit hash of an integer key below 2^52 (both halves mixed). */
function hashKey(key: number): number {
  const lo = (key % 4294967296) | 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A tree as its root-to-leaf paths, for summing a pattern's SHAP values leaf by leaf. In
 * TreeSHAP a leaf adds to the features on its path only, and what it adds depends on the
 * row only through which of those features the row agrees with on every split of the path
 * (the "one" fractions, 0 or 1); the "zero" fractions (cover ratios) are fixed. So a leaf's
 * values are computed once per agreement mask — a d-bit number for d distinct features on
 * the path — and shared by every pattern with that mask: O(d²) per (leaf, mask) seen,
 * O(path length) per (pattern, leaf).
 */
interface LeafTables {
  /** Model feature indices the tree splits on, ascending; "local" indices point here. */
  readonly used: readonly number[];
  readonly nLeaves: number;
  /** Leaf l's (in depth-first order) path: entries [pathStart[l], pathStart[l + 1]). */
  readonly pathStart: Int32Array;
  readonly pathNode: Int32Array;
  /** 1 when the path goes left at the node. */
  readonly pathLeft: Uint8Array;
  /** Which of the leaf's distinct features (0 … d − 1) the node splits on. */
  readonly pathBit: Int32Array;
  /** Leaf l's distinct features: entries [featStart[l], featStart[l + 1]). */
  readonly featStart: Int32Array;
  /** Their local indices. */
  readonly featLocal: Int32Array;
  /** Their zero fractions: the product of the cover ratios of the path's edges on the feature. */
  readonly featZero: Float64Array;
  readonly leafValue: Float64Array;
  /**
   * Values computed so far, as mask → offset into `values` (of d numbers, −1 = not yet):
   * leaf l's table starts at `tableStart[l]` in `table` (2^d entries), or is `memo[l]`
   * when d > {@link MAX_TABLE_BITS} (tableStart −1).
   */
  readonly tableStart: Int32Array;
  readonly table: Int32Array;
  readonly memo: Map<number, number>[];
  values: Float64Array;
  nValues: number;
  /** Scratch of the path weights. */
  readonly weight: Float64Array;
  readonly one: Float64Array;
  readonly zero: Float64Array;
}

/** Distinct features on a leaf's path up to which the agreement mask is a small integer. */
const MAX_MASK_BITS = 30;
/** Distinct features on a leaf's path up to which its masks index a table (else a Map). */
const MAX_TABLE_BITS = 12;

function leafTablesOf(t: ShapTree): LeafTables {
  const used: number[] = [];
  for (let k = 0; k < t.m; k++) if (!used.includes(t.feature[k]!)) used.push(t.feature[k]!);
  used.sort((a, b) => a - b);
  const local = new Map(used.map((f, u) => [f, u] as const));
  const nLeaves = t.m + 1;
  const pathStart = new Int32Array(nLeaves + 1);
  const featStart = new Int32Array(nLeaves + 1);
  const pathNode: number[] = [];
  const pathLeft: number[] = [];
  const pathBit: number[] = [];
  const featLocal: number[] = [];
  const featZero: number[] = [];
  const leafValue = new Float64Array(nLeaves);
  let maxD = 0;
  // Depth-first from the root, carrying the path (node, went left) down; leaves are
  // numbered here in the order visited.
  let visited = 0;
  const nodes: number[] = [];
  const lefts: number[] = [];
  const walk = (node: number) => {
    if (node >= t.m) {
      const l = visited++;
      leafValue[l] = t.value[node]!;
      pathStart[l] = pathNode.length;
      featStart[l] = featLocal.length;
      const bitOf = new Map<number, number>();
      nodes.forEach((k, p) => {
        const f = t.feature[k]!;
        const child = lefts[p] === 1 ? t.left[k]! : t.right[k]!;
        const ratio = t.cover[child]! / t.cover[k]!;
        let bit = bitOf.get(f);
        if (bit === undefined) {
          bit = bitOf.size;
          bitOf.set(f, bit);
          featLocal.push(local.get(f)!);
          featZero.push(ratio);
        } else {
          const at = featStart[l]! + bit;
          featZero[at] = featZero[at]! * ratio;
        }
        pathNode.push(k);
        pathLeft.push(lefts[p]!);
        pathBit.push(bit);
      });
      maxD = Math.max(maxD, bitOf.size);
      return;
    }
    nodes.push(node);
    lefts.push(1);
    walk(t.left[node]!);
    lefts[lefts.length - 1] = 0;
    walk(t.right[node]!);
    nodes.pop();
    lefts.pop();
  };
  walk(0);
  pathStart[nLeaves] = pathNode.length;
  featStart[nLeaves] = featLocal.length;
  if (maxD > MAX_MASK_BITS) throw new Error(`shapValues: a leaf path has ${maxD} distinct features`);
  const tableStart = new Int32Array(nLeaves).fill(-1);
  let tableSize = 0;
  for (let l = 0; l < nLeaves; l++) {
    const d = featStart[l + 1]! - featStart[l]!;
    if (d <= MAX_TABLE_BITS) {
      tableStart[l] = tableSize;
      tableSize += 2 ** d;
    }
  }
  return {
    used,
    nLeaves,
    pathStart,
    pathNode: Int32Array.from(pathNode),
    pathLeft: Uint8Array.from(pathLeft),
    pathBit: Int32Array.from(pathBit),
    featStart,
    featLocal: Int32Array.from(featLocal),
    featZero: Float64Array.from(featZero),
    leafValue,
    tableStart,
    table: new Int32Array(tableSize).fill(-1),
    memo: Array.from({ length: nLeaves }, () => new Map<number, number>()),
    values: new Float64Array(1024),
    nValues: 0,
    weight: new Float64Array(maxD + 2),
    one: new Float64Array(maxD + 2),
    zero: new Float64Array(maxD + 2),
  };
}

/** The SHAP values (by local feature index) of the pattern whose directions are `goLeft`. */
function patternValues(lt: LeafTables, goLeft: Uint8Array, phi: Float64Array): void {
  phi.fill(0);
  for (let l = 0; l < lt.nLeaves; l++) {
    const f0 = lt.featStart[l]!;
    const d = lt.featStart[l + 1]! - f0;
    let mask = d === 0 ? 0 : (1 << d) - 1;
    for (let p = lt.pathStart[l]!; p < lt.pathStart[l + 1]!; p++) {
      if (goLeft[lt.pathNode[p]!] !== lt.pathLeft[p]) mask &= ~(1 << lt.pathBit[p]!);
    }
    let at: number;
    const table = lt.tableStart[l]!;
    if (table >= 0) {
      at = lt.table[table + mask]!;
      if (at < 0) {
        at = leafMaskValues(lt, l, mask);
        lt.table[table + mask] = at;
      }
    } else {
      const memo = lt.memo[l]!;
      const seen = memo.get(mask);
      at = seen === undefined ? leafMaskValues(lt, l, mask) : seen;
      if (seen === undefined) memo.set(mask, at);
    }
    const values = lt.values;
    for (let k = 0; k < d; k++) {
      const u = lt.featLocal[f0 + k]!;
      phi[u] = phi[u]! + values[at + k]!;
    }
  }
}

/**
 * Leaf l's contribution to each of its d path features for agreement mask `mask` (bit k:
 * the row agrees with every split on the k-th feature): the TreeSHAP path weights of the
 * d features (EXTEND from the root), then each feature's unwound sum × (one − zero) × the
 * leaf value. Stored in `lt.values`; returns the offset.
 */
function leafMaskValues(lt: LeafTables, l: number, mask: number): number {
  const f0 = lt.featStart[l]!;
  const d = lt.featStart[l + 1]! - f0;
  const { weight, one, zero } = lt;
  // Position 0 is the root's placeholder (zero = one = 1), positions 1 … d the features.
  weight[0] = 1;
  one[0] = 1;
  zero[0] = 1;
  for (let j = 1; j <= d; j++) {
    const z = lt.featZero[f0 + j - 1]!;
    const o = (mask >>> (j - 1)) & 1;
    zero[j] = z;
    one[j] = o;
    weight[j] = 0;
    for (let i = j - 1; i >= 0; i--) {
      weight[i + 1] = weight[i + 1]! + (o * weight[i]! * (i + 1)) / (j + 1);
      weight[i] = (z * weight[i]! * (j - i)) / (j + 1);
    }
  }
  if (lt.nValues + d > lt.values.length) {
    const grown = new Float64Array(Math.max(lt.values.length * 2, lt.nValues + d));
    grown.set(lt.values);
    lt.values = grown;
  }
  const at = lt.nValues;
  const v = lt.leafValue[l]!;
  for (let k = 1; k <= d; k++) {
    // The unwound path sum of feature k (TreeSHAP's UNWOUNDPATHSUM).
    const o = one[k]!;
    const z = zero[k]!;
    let nextOne = weight[d]!;
    let total = 0;
    for (let i = d - 1; i >= 0; i--) {
      if (o !== 0) {
        const tmp = (nextOne * (d + 1)) / ((i + 1) * o);
        total += tmp;
        nextOne = weight[i]! - tmp * z * ((d - i) / (d + 1));
      } else if (z !== 0) {
        total += weight[i]! / z / ((d - i) / (d + 1));
      }
    }
    lt.values[at + k - 1] = total * (o - z) * v;
  }
  lt.nValues += d;
  return at;
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
  // Depth, for the path buffer size, and the most distinct features on a path.
  let depth = 0;
  let maxPathFeatures = 0;
  const onPath = new Map<number, number>();
  const walk = (node: number, d: number) => {
    depth = Math.max(depth, d);
    if (node >= m) {
      maxPathFeatures = Math.max(maxPathFeatures, onPath.size);
      return;
    }
    const f = c.feature[node]!;
    onPath.set(f, (onPath.get(f) ?? 0) + 1);
    walk(left[node]!, d + 1);
    walk(right[node]!, d + 1);
    const count = onPath.get(f)! - 1;
    if (count === 0) onPath.delete(f);
    else onPath.set(f, count);
  };
  walk(0, 0);
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
    maxPathFeatures,
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
