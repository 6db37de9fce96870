// numpy's legacy RandomState (MT19937) and scikit-learn's stratified train_test_split,
// reproduced exactly, so a benchmark's "stratified random split, seed 42" is the very
// split scikit-learn users get and published numbers stay comparable.

/** numpy's legacy `np.random.RandomState(seed)`: MT19937 with numpy's bounded-integer draws. */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** Seeds as `RandomState(seed)` does for an integer 0 ≤ seed < 2^32 (init_genrand). */
  constructor(seed: number) {
    let s = seed >>> 0;
    for (let i = 0; i < 624; i++) {
      this.mt[i] = s;
      const x = s ^ (s >>> 30);
      // 1812433253 · x + (i + 1), mod 2^32, without losing bits to float rounding.
      s = (Math.imul(1812433253, x) + i + 1) >>> 0;
    }
    this.index = 624;
  }

  /** The next 32-bit output (genrand_int32). */
  nextU32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] by masked rejection (numpy's `random_interval`), max < 2^32. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v = (this.nextU32() & mask) >>> 0;
    while (v > max) v = (this.nextU32() & mask) >>> 0;
    return v;
  }

  /** `RandomState.permutation(n)`: a shuffled 0..n−1 (Fisher–Yates from the end). */
  permutation(n: number): Uint32Array {
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

/**
 * Exactly `sklearn.model_selection.train_test_split(range(n), test_size=testSize,
 * stratify=y, random_state=seed)` (scikit-learn 1.2's StratifiedShuffleSplit) for binary
 * labels; returns the indices of each part sorted ascending (membership is what matters
 * here; scikit-learn also shuffles their order). Each class needs at least 2 rows.
 */
export function sklearnStratifiedSplit(
  y: Uint8Array,
  testSize: number,
  seed: number,
): { readonly train: number[]; readonly test: number[] } {
  const n = y.length;
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  const classIndices: number[][] = [[], []];
  for (let i = 0; i < n; i++) classIndices[y[i]!]!.push(i);
  const present = classIndices.filter((c) => c.length > 0);
  const counts = present.map((c) => c.length);
  const rng = new NumpyRandomState(seed);
  const nI = approximateMode(counts, nTrain, rng);
  const tI = approximateMode(
    counts.map((c, k) => c - nI[k]!),
    nTest,
    rng,
  );
  const train: number[] = [];
  const test: number[] = [];
  present.forEach((idx, k) => {
    const perm = rng.permutation(idx.length);
    for (let t = 0; t < nI[k]!; t++) train.push(idx[perm[t]!]!);
    for (let t = nI[k]!; t < nI[k]! + tI[k]!; t++) test.push(idx[perm[t]!]!);
  });
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** scikit-learn's `_approximate_mode`: per-class draws closest to proportional, ties broken by rng. */
function approximateMode(counts: number[], nDraws: number, rng: NumpyRandomState): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  const continuous = counts.map((c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let need = Math.trunc(nDraws - floored.reduce((s, v) => s + v, 0));
  if (need > 0) {
    const remainder = continuous.map((c, k) => c - floored[k]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, k) => (r === value ? [k] : []));
      const addNow = Math.min(inds.length, need);
      // rng.choice(inds, addNow, replace=False) = permutation(len)[:addNow]
      const perm = rng.permutation(inds.length);
      for (let t = 0; t < addNow; t++) floored[inds[perm[t]!]!]! += 1;
      need -= addNow;
      if (need === 0) break;
    }
  }
  return floored;
}
