// Stable index sorts and quantiles on typed arrays: the ranking primitives of metrics,
// binning and calibration.

/**
 * Indices of `values` sorted by value, descending; equal values keep index order, so the
 * result is the same on every run. NaN must be handled by the caller (it sorts last).
 */
export function argsortDescending(values: Float64Array): Uint32Array {
  const idx = new Uint32Array(values.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    if (va > vb) return -1;
    if (va < vb) return 1;
    const na = Number.isNaN(va);
    if (na !== Number.isNaN(vb)) return na ? 1 : -1;
    return a - b;
  });
  return idx;
}

/** Indices of `values` sorted ascending; ties keep index order. NaN sorts last. */
export function argsortAscending(values: Float64Array): Uint32Array {
  const idx = new Uint32Array(values.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    if (va < vb) return -1;
    if (va > vb) return 1;
    const na = Number.isNaN(va);
    if (na !== Number.isNaN(vb)) return na ? 1 : -1;
    return a - b;
  });
  return idx;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending-sorted, NaN-free `sorted` with linear
 * interpolation between order statistics (numpy's default `method='linear'`). NaN when
 * `sorted` is empty.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  const a = sorted[lo]!;
  return frac === 0 ? a : a + (sorted[hi]! - a) * frac;
}
