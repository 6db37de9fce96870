// Fits a histogram gradient-boosted tree classifier (log loss): bins the features once,
// then grows one leaf-wise tree per round on the gradients of the current scores, with
// optional bagging, feature sampling and early stopping on a caller-given validation set.

import { LeadliftError } from '../../errors.js';
import { binColumn, binSampleRows, fitBinEdges } from '../../numeric/binning.js';
import { alignColumns, type Dataset, validateFrame, validateLabels } from '../../numeric/frame.js';
import { log1pExp, logit, sigmoid } from '../../numeric/logistic.js';
import { averagePrecisionKernel, rocAucKernel } from '../../numeric/metric-kernels.js';
import { SeededRng } from '../../numeric/rng.js';
import { argsortDescending } from '../../numeric/sort.js';
import { type Progress, silentProgress } from '../../progress.js';
import { type GrownTree, TreeLearner } from './grow.js';
import { binIndexOf, histogramLayout } from './histogram.js';
import { type GbtModel, type GbtTree, THRESHOLD_INFINITY } from './model.js';
import { type GbtMetric, type GbtParams, resolveGbtParams } from './params.js';

/** Options of {@link fitGbt} that are not parameters (not part of model.params). */
export interface FitGbtOptions {
  /**
   * Rows to measure the validation metric on after every round (e.g. the latest slice of the training
   * period). Required when earlyStoppingRounds > 0; columns matched by name.
   */
  readonly validation?: Dataset;
  /** Reports one tick per round. Default: silent. */
  readonly progress?: Progress;
}

/**
 * Fits gradient-boosted trees for binary labels. Same data, params and seed give a
 * bit-identical model. Throws `models.oneClass` for one-class or empty training labels,
 * `models.invalidParams` for bad parameters (all listed), and `models.noValidation` when
 * earlyStoppingRounds > 0 without a validation set. Constant and all-missing columns are
 * allowed (never split on).
 */
export function fitGbt(
  train: Dataset,
  params: Partial<GbtParams> = {},
  options: FitGbtOptions = {},
): GbtModel {
  const p = resolveGbtParams(params);
  validateFrame(train.x, 'fitGbt');
  const positives = validateLabels(train.y, train.x.nRows, 'fitGbt');
  const validation = options.validation;
  if (p.earlyStoppingRounds > 0 && !validation) {
    throw new LeadliftError(
      'models.noValidation',
      `fitGbt: earlyStoppingRounds = ${p.earlyStoppingRounds} needs a validation set; pass options.validation (e.g. the latest 20% of the training period) or set earlyStoppingRounds to 0.`,
    );
  }
  let valCols: Float64Array[] | undefined;
  const higherIsBetter = p.metric !== 'binaryLogloss';
  if (validation) {
    valCols = alignColumns(validation.x, train.x.names, 'fitGbt (validation)');
    const valPositives = validateLabels(validation.y, validation.x.nRows, 'fitGbt (validation)', false);
    if (higherIsBetter && (valPositives === 0 || valPositives === validation.x.nRows)) {
      throw new LeadliftError(
        'models.invalidValidation',
        `fitGbt: metric "${p.metric}" needs both classes in the validation rows; they hold ${valPositives} positives of ${validation.x.nRows}. Use a longer validation slice or metric "binaryLogloss".`,
      );
    }
  }

  const n = train.x.nRows;
  const nFeatures = train.x.columns.length;
  // Bin every feature once.
  const sample = binSampleRows(n, p.binConstructSampleCnt, p.seed);
  const edges = train.x.columns.map((c) => fitBinEdges(c, p.maxBin, sample));
  // Bins per column (partitioning reads one feature) and as row-major global bin indices
  // (histograms read a row's bins together; see buildHistogram): 3 bytes per value.
  const binned = train.x.columns.map((c, f) => binColumn(c, edges[f]!, new Uint8Array(n)));
  const layout = histogramLayout(Int32Array.from(edges, (e) => e.length + 1));
  const learner = new TreeLearner(binIndexOf(binned, layout, n), binned, nFeatures, layout, p, n);

  const initScore = logit(positives / n);
  const score = new Float64Array(n).fill(initScore);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const valScore = valCols ? new Float64Array(validation!.x.nRows).fill(initScore) : undefined;
  const validationValues: number[] = [];

  const bagging = p.baggingFreq > 0 && p.baggingFraction < 1;
  const bagCount = bagging ? Math.max(1, Math.floor(p.baggingFraction * n)) : n;
  const bag = bagging ? new Uint32Array(bagCount) : undefined;
  const inBag = bagging ? new Uint8Array(n) : undefined;
  const bagScratch = bagging ? new Uint32Array(n) : undefined;
  const bagRng = new SeededRng(p.seed, 1);
  const featureRng = new SeededRng(p.seed, 2);
  const nUsed = p.featureFraction < 1 ? Math.max(1, Math.round(p.featureFraction * nFeatures)) : nFeatures;
  const features = new Int32Array(nFeatures);
  const featureSample = new Uint32Array(nFeatures);
  const featureScratch = new Uint32Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) features[f] = f;

  const trees: GbtTree[] = [];
  let bestValue = higherIsBetter ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let bestIteration = 0;
  let iterationsRun = 0;
  const task = (options.progress ?? silentProgress).task('gradient boosting rounds', p.numIterations);
  for (let iter = 0; iter < p.numIterations; iter++) {
    for (let i = 0; i < n; i++) {
      const pr = sigmoid(score[i]!);
      g[i] = pr - train.y[i]!;
      h[i] = pr * (1 - pr);
    }
    if (bagging && iter % p.baggingFreq === 0) {
      bagRng.sampleSorted(n, bagCount, bag!, bagScratch!);
      inBag!.fill(0);
      for (let k = 0; k < bagCount; k++) inBag![bag![k]!] = 1;
    }
    if (nUsed < nFeatures) {
      const picked = featureRng.sampleSorted(nFeatures, nUsed, featureSample, featureScratch);
      for (let u = 0; u < nUsed; u++) features[u] = picked[u]!;
    }
    const grown = learner.grow(g, h, bag, bagCount, features, nUsed);
    const tree = toTree(grown, edges, p.learningRate, p.lambdaL2);
    // Scores: in-bag rows through their leaf segments, out-of-bag rows by walking the tree.
    for (let leaf = 0; leaf < grown.numLeaves; leaf++) {
      const v = tree.leafValue[leaf]!;
      const begin = grown.leafBegin[leaf]!;
      const end = begin + grown.leafCount[leaf]!;
      for (let k = begin; k < end; k++) {
        const r = grown.rows[k]!;
        score[r] = score[r]! + v;
      }
    }
    if (inBag) {
      for (let i = 0; i < n; i++) {
        if (inBag[i] === 0) {
          score[i] = score[i]! + tree.leafValue[leafOfBinned(grown, binned, layout.valueBins, i)]!;
        }
      }
    }
    trees.push(tree);
    iterationsRun++;
    task.tick();
    if (valCols && valScore) {
      addTree(tree, valCols, valScore);
      const value = validationMetric(p.metric, validation!.y, valScore);
      validationValues.push(value);
      if (higherIsBetter ? value > bestValue : value < bestValue) {
        bestValue = value;
        bestIteration = iter + 1;
      } else if (p.earlyStoppingRounds > 0 && iter + 1 - bestIteration >= p.earlyStoppingRounds) {
        break;
      }
    }
  }
  task.done(`${iterationsRun} rounds`);
  const kept = p.earlyStoppingRounds > 0 ? trees.slice(0, bestIteration) : trees;
  return Object.freeze({
    kind: 'gbt',
    formatVersion: 1,
    params: Object.freeze({ ...params }),
    resolvedParams: p,
    featureNames: [...train.x.names],
    initScore,
    trees: kept,
    bestIteration: kept.length,
    iterationsRun,
    validation: valCols ? { metric: p.metric, values: validationValues } : null,
    nTrain: n,
  });
}

/** Converts a grown tree to its serializable form: raw thresholds and leaf values. */
function toTree(
  grown: GrownTree,
  edges: readonly Float64Array[],
  learningRate: number,
  lambda: number,
): GbtTree {
  const m = grown.numLeaves - 1;
  const splitFeature: number[] = [];
  const threshold: number[] = [];
  const defaultLeft: boolean[] = [];
  const leftChild: number[] = [];
  const rightChild: number[] = [];
  const splitGain: number[] = [];
  const internalCount: number[] = [];
  for (let k = 0; k < m; k++) {
    const f = grown.splitFeature[k]!;
    const e = edges[f]!;
    const bin = grown.splitBin[k]!;
    splitFeature.push(f);
    threshold.push(bin < e.length ? e[bin]! : THRESHOLD_INFINITY);
    defaultLeft.push(grown.defaultLeft[k] === 1);
    leftChild.push(grown.leftChild[k]!);
    rightChild.push(grown.rightChild[k]!);
    splitGain.push(grown.splitGain[k]!);
    internalCount.push(grown.internalCount[k]!);
  }
  const leafValue: number[] = [];
  const leafCount: number[] = [];
  for (let l = 0; l < grown.numLeaves; l++) {
    const denom = grown.leafSumH[l]! + lambda;
    leafValue.push(denom > 0 ? (-grown.leafSumG[l]! / denom) * learningRate : 0);
    leafCount.push(grown.leafCount[l]!);
  }
  return {
    numLeaves: grown.numLeaves,
    splitFeature,
    threshold,
    defaultLeft,
    leftChild,
    rightChild,
    splitGain,
    internalCount,
    leafValue,
    leafCount,
  };
}

/** The leaf of training row i, walking the grown tree on binned values. */
function leafOfBinned(
  grown: GrownTree,
  binned: readonly Uint8Array[],
  valueBins: Int32Array,
  i: number,
): number {
  if (grown.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const f = grown.splitFeature[node]!;
    const b = binned[f]![i]!;
    const left = b === valueBins[f]! ? grown.defaultLeft[node] === 1 : b <= grown.splitBin[node]!;
    node = left ? grown.leftChild[node]! : grown.rightChild[node]!;
  }
  return ~node;
}

/** Adds one tree's output to `score` for every row of the (aligned) raw columns. */
function addTree(tree: GbtTree, cols: readonly Float64Array[], score: Float64Array): void {
  if (tree.numLeaves === 1) {
    const v = tree.leafValue[0]!;
    for (let i = 0; i < score.length; i++) score[i] = score[i]! + v;
    return;
  }
  for (let i = 0; i < score.length; i++) {
    let node = 0;
    while (node >= 0) {
      const x = cols[tree.splitFeature[node]!]![i]!;
      const thr = tree.threshold[node]!;
      const left = Number.isNaN(x) ? tree.defaultLeft[node]! : x <= thr || thr === THRESHOLD_INFINITY;
      node = left ? tree.leftChild[node]! : tree.rightChild[node]!;
    }
    score[i] = score[i]! + tree.leafValue[~node]!;
  }
}

/** The early-stopping metric on raw validation scores (ranking metrics are link-invariant). */
function validationMetric(metric: GbtMetric, y: Uint8Array, raw: Float64Array): number {
  if (metric === 'binaryLogloss') return meanLogLoss(y, raw);
  // Both classes are present (checked up front), so neither is NaN; constant scores
  // give the no-skill values (prevalence, 0.5).
  const order = argsortDescending(raw);
  return metric === 'auc'
    ? rocAucKernel(y, raw, order, undefined)
    : averagePrecisionKernel(y, raw, order, undefined);
}

function meanLogLoss(y: Uint8Array, raw: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const z = raw[i]!;
    sum += log1pExp(z) - (y[i] === 1 ? z : 0);
  }
  return sum / Math.max(1, y.length);
}
