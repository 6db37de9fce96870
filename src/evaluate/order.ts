// The descending order of a score vector, shared by the metrics that rank it: evaluating
// one model computes PR-AUC, ROC-AUC, three lifts, precision@k and their bootstrap, each
// of which needs the same sort.

import { argsortDescending } from '../numeric/sort.js';

/** A score vector's contents when it was sorted, and its order. */
interface Sorted {
  readonly copy: Float64Array;
  readonly order: Uint32Array;
}

const cache = new WeakMap<Float64Array, Sorted>();

/**
 * `argsortDescending(scores)`, sorted once per score vector: a later call with the same
 * array gets the same order back as long as its contents are unchanged (checked element
 * by element, so a mutated array is sorted again). The order must not be modified.
 */
export function descendingOrder(scores: Float64Array): Uint32Array {
  const hit = cache.get(scores);
  if (hit && sameContents(hit.copy, scores)) return hit.order;
  const order = argsortDescending(scores);
  cache.set(scores, { copy: scores.slice(), order });
  return order;
}

function sameContents(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  // NaN equals NaN here (the sort puts it in the same place).
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}
