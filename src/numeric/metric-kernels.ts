// Weighted metric kernels over scores sorted once, shared by evaluate/ (whose facades
// add availability checks) and models (early stopping, calibration choice). The facades
// call them with unit weights and the bootstrap with resample multiplicities, so a
// resample costs O(n) instead of a sort.

/**
 * Average precision over rows in `order` (descending score), each row counted `w[i]`
 * times (all once when `w` is undefined). Rows of equal score form one threshold, as in
 * scikit-learn's precision_recall_curve. NaN when no weighted positive exists.
 */
export function averagePrecisionKernel(
  y: Uint8Array,
  s: Float64Array,
  order: Uint32Array,
  w: Float64Array | undefined,
): number {
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let sum = 0;
  const n = order.length;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const wi = w ? w[i]! : 1;
    if (y[i] === 1) tp += wi;
    else fp += wi;
    if (k === n - 1 || s[order[k + 1]!] !== s[i]) {
      if (tp > prevTp) sum += (tp - prevTp) * (tp / (tp + fp));
      prevTp = tp;
    }
  }
  return sum / tp;
}

/**
 * ROC-AUC over rows in `order` (descending score) with weights: the trapezoid under the
 * curve of distinct thresholds, so tied scores count one half, as scikit-learn's
 * roc_auc_score. NaN when a class has no weight.
 */
export function rocAucKernel(
  y: Uint8Array,
  s: Float64Array,
  order: Uint32Array,
  w: Float64Array | undefined,
): number {
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let area = 0;
  const n = order.length;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const wi = w ? w[i]! : 1;
    if (y[i] === 1) tp += wi;
    else fp += wi;
    if (k === n - 1 || s[order[k + 1]!] !== s[i]) {
      area += (fp - prevFp) * (tp + prevTp) * 0.5;
      prevTp = tp;
      prevFp = fp;
    }
  }
  return area / (tp * fp);
}

/** Weighted mean of (s − y)². */
export function brierKernel(y: Uint8Array, s: Float64Array, w: Float64Array | undefined): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    const d = s[i]! - y[i]!;
    sum += wi * d * d;
    total += wi;
  }
  return sum / total;
}

/** Weighted mean log loss with probabilities clipped to [eps, 1 − eps]. */
export function logLossKernel(
  y: Uint8Array,
  s: Float64Array,
  w: Float64Array | undefined,
  eps: number,
): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    const p = Math.min(Math.max(s[i]!, eps), 1 - eps);
    sum -= wi * (y[i] === 1 ? Math.log(p) : Math.log(1 - p));
    total += wi;
  }
  return sum / total;
}

/**
 * Expected weighted positives among the top `k` (weighted) rows in `order`: a tie group
 * that straddles the cut counts in proportion to the part of it inside, so the result
 * does not depend on how ties happen to be ordered.
 */
export function topKPositivesKernel(
  y: Uint8Array,
  s: Float64Array,
  order: Uint32Array,
  w: Float64Array | undefined,
  k: number,
): number {
  let taken = 0;
  let positives = 0;
  let groupW = 0;
  let groupPos = 0;
  const n = order.length;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const wi = w ? w[i]! : 1;
    groupW += wi;
    if (y[i] === 1) groupPos += wi;
    if (j === n - 1 || s[order[j + 1]!] !== s[i]) {
      if (taken + groupW >= k) {
        if (groupW > 0) positives += (groupPos * (k - taken)) / groupW;
        return positives;
      }
      taken += groupW;
      positives += groupPos;
      groupW = 0;
      groupPos = 0;
    }
  }
  return positives;
}
