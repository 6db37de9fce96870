import { describe, expect, it } from 'vitest';
import type { Dataset, Frame } from '../../numeric/frame.js';
import { SeededRng } from '../../numeric/rng.js';
import { fitGbt } from './fit.js';
import { featureImportance } from './importance.js';
import type { GbtModel, GbtTree } from './model.js';
import { predictProbaGbt, predictRawGbt } from './predict.js';
import { PATTERN_MIN_ROWS, shapValues } from './shap.js';

const frame = (cols: Record<string, number[]>): Frame => ({
  nRows: Object.values(cols)[0]!.length,
  names: Object.keys(cols),
  columns: Object.values(cols).map((c) => Float64Array.from(c)),
});

/** A seeded problem with an interaction, a noise feature and missing values. */
function synthetic(n: number, seed: number): Dataset {
  const rng = new SeededRng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.nextNormal();
    b[i] = rng.nextFloat() < 0.2 ? Number.NaN : rng.nextNormal();
    c[i] = Math.floor(rng.nextFloat() * 5);
    d[i] = rng.nextNormal();
    const bi = Number.isNaN(b[i]!) ? 1 : b[i]!;
    const z = 1.2 * a[i]! + 0.8 * bi * (c[i]! > 2 ? 1 : -1) - 0.5;
    y[i] = rng.nextFloat() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x: { nRows: n, names: ['a', 'b', 'c', 'd'], columns: [a, b, c, d] }, y };
}

describe('fitGbt', () => {
  it('when the target is a step function then one tree splits once at the step with the hand-computed gain', () => {
    const x = frame({ x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    const y = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const model = fitGbt({ x, y }, { numIterations: 1, numLeaves: 2, minDataInLeaf: 1, learningRate: 0.1 });
    const t = model.trees[0]!;
    // p0 = 0.5: g = ±0.5, h = 0.25. Left G = 2.5, H = 1.25; right G = −2.5, H = 1.25; parent G = 0.
    expect(model.initScore).toBe(0);
    expect(t.numLeaves).toBe(2);
    expect(t.threshold[0]).toBe(4.5);
    expect(t.splitGain[0]).toBeCloseTo(2.5 ** 2 / 1.25 + 2.5 ** 2 / 1.25, 12);
    expect(t.leafValue[0]).toBeCloseTo(-0.2, 12); // −G/H × lr = −2 × 0.1
    expect(t.leafValue[1]).toBeCloseTo(0.2, 12);
    expect(predictRawGbt(model, frame({ x: [4.4, 4.6, Number.NaN] }))[1]).toBeCloseTo(0.2, 12);
  });

  it('when lambdaL2 is set then the gain and leaf values shrink as G²/(H+λ)', () => {
    const x = frame({ x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    const y = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const model = fitGbt(
      { x, y },
      { numIterations: 1, numLeaves: 2, minDataInLeaf: 1, learningRate: 1, lambdaL2: 1 },
    );
    const t = model.trees[0]!;
    expect(t.splitGain[0]).toBeCloseTo((2 * 2.5 ** 2) / 2.25, 12);
    expect(t.leafValue[0]).toBeCloseTo(-2.5 / 2.25, 12);
  });

  it('when the only signal is missingness then missing values get their own side', () => {
    const x = frame({ x: [1, 2, 3, 4, 5, 6, Number.NaN, Number.NaN, Number.NaN, Number.NaN] });
    const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const model = fitGbt({ x, y }, { numIterations: 1, numLeaves: 2, minDataInLeaf: 1 });
    const raw = predictRawGbt(model, frame({ x: [3, Number.NaN, 100] }));
    expect(raw[1]).toBeGreaterThan(raw[0]!);
    expect(raw[2]).toBe(raw[0]);
    expect(JSON.parse(JSON.stringify(model)).trees[0].threshold[0]).toBe(Number.MAX_VALUE);
  });

  it('when labels are one class or empty then it throws models.oneClass', () => {
    const x = frame({ x: [1, 2, 3] });
    expect(() => fitGbt({ x, y: Uint8Array.from([1, 1, 1]) })).toThrow(
      expect.objectContaining({ code: 'models.oneClass' }),
    );
    expect(() => fitGbt({ x: frame({ x: [] }), y: new Uint8Array(0) })).toThrow(
      expect.objectContaining({ code: 'models.oneClass' }),
    );
  });

  it('when a column is constant or all missing then it is never split on and the fit works', () => {
    const data = synthetic(400, 1);
    const x: Frame = {
      nRows: 400,
      names: [...data.x.names, 'const', 'allNaN'],
      columns: [...data.x.columns, new Float64Array(400).fill(3), new Float64Array(400).fill(Number.NaN)],
    };
    const model = fitGbt({ x, y: data.y }, { numIterations: 20 });
    const imp = featureImportance(model);
    expect(imp.split[4]).toBe(0);
    expect(imp.split[5]).toBe(0);
    expect(imp.gain[0]).toBeGreaterThan(imp.gain[3]!);
  });

  it('when every feature is constant then trees are single leaves and scores are the prior', () => {
    const x = frame({ k: [1, 1, 1, 1] });
    const model = fitGbt({ x, y: Uint8Array.from([0, 1, 0, 0]) }, { numIterations: 3 });
    expect(model.trees.every((t) => t.numLeaves === 1)).toBe(true);
    expect(predictProbaGbt(model, x)[0]).toBeCloseTo(0.25, 12);
  });

  it('when fitted twice with the same data, params and seed then the model JSON is bit-identical', () => {
    const data = synthetic(600, 2);
    const params = {
      numIterations: 15,
      baggingFraction: 0.7,
      baggingFreq: 1,
      featureFraction: 0.5,
      seed: 11,
    };
    const a = JSON.stringify(fitGbt(data, params));
    expect(JSON.stringify(fitGbt(data, params))).toBe(a);
    expect(JSON.stringify(fitGbt(data, { ...params, seed: 12 }))).not.toBe(a);
  });

  it("when params are passed then model.params is what was passed and defaults are LightGBM's", () => {
    const model = fitGbt(synthetic(200, 3), { numIterations: 2 });
    expect(model.params).toEqual({ numIterations: 2 });
    expect(model.resolvedParams).toMatchObject({
      numLeaves: 31,
      learningRate: 0.1,
      minDataInLeaf: 20,
      maxBin: 255,
    });
  });

  it('when limits are set then trees respect numLeaves, maxDepth and minDataInLeaf', () => {
    const model = fitGbt(synthetic(1000, 4), {
      numIterations: 5,
      numLeaves: 8,
      maxDepth: 2,
      minDataInLeaf: 50,
    });
    for (const t of model.trees) {
      expect(t.numLeaves).toBeLessThanOrEqual(4); // depth 2
      expect(Math.min(...t.leafCount)).toBeGreaterThanOrEqual(50);
      expect(t.internalCount[0]).toBe(1000);
    }
  });

  it('when a validation set stops improving then early stopping keeps the best iteration', () => {
    const train = synthetic(500, 5);
    const validation = synthetic(500, 6);
    const model = fitGbt(
      train,
      { numIterations: 300, learningRate: 0.3, earlyStoppingRounds: 5 },
      { validation },
    );
    expect(model.validation!.metric).toBe('binaryLogloss');
    const losses = model.validation!.values;
    expect(model.iterationsRun).toBeLessThan(300);
    expect(model.trees.length).toBe(model.bestIteration);
    expect(losses[model.bestIteration - 1]).toBe(Math.min(...losses));
    expect(model.iterationsRun - model.bestIteration).toBe(5);
  });

  it('when early stopping tracks average precision then the kept iteration has the highest value', () => {
    const train = synthetic(500, 5);
    const validation = synthetic(500, 6);
    const model = fitGbt(
      train,
      { numIterations: 200, learningRate: 0.3, earlyStoppingRounds: 10, metric: 'averagePrecision' },
      { validation },
    );
    const values = model.validation!.values;
    expect(values[model.bestIteration - 1]).toBe(Math.max(...values));
  });

  it('when a ranking metric meets one-class validation rows then it throws models.invalidValidation', () => {
    const validation = { ...synthetic(50, 6), y: new Uint8Array(50) };
    expect(() => fitGbt(synthetic(100, 7), { metric: 'auc' }, { validation })).toThrow(
      expect.objectContaining({ code: 'models.invalidValidation' }),
    );
  });

  it('when earlyStoppingRounds is set without a validation set then it throws models.noValidation', () => {
    expect(() => fitGbt(synthetic(100, 7), { earlyStoppingRounds: 5 })).toThrow(
      expect.objectContaining({ code: 'models.noValidation' }),
    );
  });

  it('when params are invalid then every problem is listed', () => {
    try {
      fitGbt(synthetic(100, 7), { numLeaves: 1, learningRate: -1, numLeavs: 3 } as never);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'models.invalidParams' });
      expect(String(e)).toMatch(/numLeaves = 1.*learningRate = -1|learningRate = -1.*numLeaves = 1/);
      expect(String(e)).toContain('did you mean "numLeaves"');
    }
  });
});

/** Path-dependent conditional expectation of one tree given the features in `known`. */
function expectation(model: GbtModel, treeIndex: number, row: number[], known: Set<number>): number {
  const t = model.trees[treeIndex]!;
  const visit = (child: number): number => {
    if (child < 0) return t.leafValue[~child]!;
    const f = t.splitFeature[child]!;
    const l = t.leftChild[child]!;
    const r = t.rightChild[child]!;
    if (known.has(f)) {
      const x = row[f]!;
      const thr = t.threshold[child]! === Number.MAX_VALUE ? Number.POSITIVE_INFINITY : t.threshold[child]!;
      return visit((Number.isNaN(x) ? t.defaultLeft[child] : x <= thr) ? l : r);
    }
    const cover = (c: number) => (c < 0 ? t.leafCount[~c]! : t.internalCount[c]!);
    return (cover(l) * visit(l) + cover(r) * visit(r)) / t.internalCount[child]!;
  };
  return t.numLeaves === 1 ? t.leafValue[0]! : visit(0);
}

/** Shapley values by enumerating all feature subsets (exponential; tiny models only). */
function bruteForceShap(model: GbtModel, row: number[]): number[] {
  const m = row.length;
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const v = (set: Set<number>) =>
    model.trees.reduce((s, _t, k) => s + expectation(model, k, row, set), model.initScore);
  const phi = new Array<number>(m).fill(0);
  for (let j = 0; j < m; j++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if (mask & (1 << j)) continue;
      const set = new Set<number>();
      for (let k = 0; k < m; k++) if (mask & (1 << k)) set.add(k);
      const w = (fact(set.size) * fact(m - set.size - 1)) / fact(m);
      const without = v(set);
      set.add(j);
      phi[j]! += w * (v(set) - without);
    }
  }
  return phi;
}

/**
 * Rows for the chain trees: values of mean −`shift` on a quarter grid, so most rows go left,
 * deep down the chains; 5% missing.
 */
function chainFrame(seed: number, nF: number, n: number, shift: number): Frame {
  const rng = new SeededRng(seed);
  return {
    nRows: n,
    names: Array.from({ length: nF }, (_, j) => `f${j}`),
    columns: Array.from({ length: nF }, () =>
      Float64Array.from({ length: n }, () =>
        rng.nextFloat() < 0.05 ? Number.NaN : Math.round((rng.nextNormal() - shift) * 4) / 4,
      ),
    ),
  };
}

/**
 * TreeSHAP by pattern on `base` with the given trees equals the recursion (relative 1e-12)
 * and each row's values plus the expected value equal its raw score to `digits` digits.
 */
function expectChainsMatchRecursion(base: GbtModel, x: Frame, trees: GbtTree[], digits: number) {
  const m: GbtModel = { ...base, featureNames: x.names, trees };
  const fast = shapValues(m, x);
  const slow = shapValues(m, x, { byPattern: false });
  const raw = predictRawGbt(m, x);
  for (let i = 0; i < x.nRows; i++) {
    let sum = fast.expectedValue;
    for (let j = 0; j < x.columns.length; j++) {
      const a = fast.columns[j]![i]!;
      const b = slow.columns[j]![i]!;
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      sum += a;
    }
    expect(sum).toBeCloseTo(raw[i]!, digits);
  }
  return fast;
}

/**
 * A hand-built chain: node k splits feature k % nFeatures, its right child is a leaf, its left
 * child the next node (the last node's left child is the last leaf).
 */
function chain(m: number, nFeatures: number): GbtTree {
  const leafCount = Array.from({ length: m + 1 }, (_, l) => 10 + (l % 5) * 3);
  const internalCount = new Array<number>(m);
  let below = leafCount[m]!;
  for (let k = m - 1; k >= 0; k--) {
    below += leafCount[k]!;
    internalCount[k] = below;
  }
  return {
    numLeaves: m + 1,
    splitFeature: Array.from({ length: m }, (_, k) => k % nFeatures),
    threshold: Array.from({ length: m }, (_, k) => 0.4 * ((k % 3) - 1)),
    defaultLeft: Array.from({ length: m }, (_, k) => k % 2 === 0),
    leftChild: Array.from({ length: m }, (_, k) => (k < m - 1 ? k + 1 : ~m)),
    rightChild: Array.from({ length: m }, (_, k) => ~k),
    splitGain: new Array<number>(m).fill(1),
    internalCount,
    leafValue: Array.from({ length: m + 1 }, (_, l) => 0.1 * Math.sin(l + 1)),
    leafCount,
  };
}

describe('shapValues', () => {
  const data = synthetic(800, 9);
  const model = fitGbt(data, { numIterations: 12, numLeaves: 12, minDataInLeaf: 10 });
  const probe: Frame = {
    nRows: 30,
    names: data.x.names,
    columns: data.x.columns.map((c) => c.slice(0, 30)),
  };

  it('when summed with the expected value then contributions equal the raw score', () => {
    const shap = shapValues(model, probe);
    const raw = predictRawGbt(model, probe);
    for (let i = 0; i < probe.nRows; i++) {
      const sum = shap.columns.reduce((s, col) => s + col[i]!, shap.expectedValue);
      expect(sum).toBeCloseTo(raw[i]!, 10);
    }
  });

  it('when compared with Shapley values by subset enumeration then they are equal', () => {
    const shap = shapValues(model, probe);
    for (const i of [0, 1, 2, 5, 8]) {
      const row = probe.columns.map((c) => c[i]!);
      const exact = bruteForceShap(model, row);
      exact.forEach((v, j) => {
        expect(shap.columns[j]![i]).toBeCloseTo(v, 10);
      });
    }
  });

  it('when computed per path pattern from leaf tables then every value equals the row-by-row recursion', () => {
    // Coarse values so many rows share a pattern; deep trees so patterns are long.
    const coarse: Frame = {
      nRows: data.x.nRows,
      names: data.x.names,
      columns: data.x.columns.map((c) => c.map((v) => Math.round(v * 2) / 2)),
    };
    const m = fitGbt({ x: coarse, y: data.y }, { numIterations: 8, numLeaves: 20, minDataInLeaf: 5 });
    const fast = shapValues(m, coarse);
    const slow = shapValues(m, coarse, { byPattern: false });
    expect(fast.expectedValue).toBe(slow.expectedValue);
    // The same Shapley values summed in another order: equal up to rounding.
    let nonZero = 0;
    fast.columns.forEach((col, j) => {
      const ref = slow.columns[j]!;
      for (let i = 0; i < col.length; i++) {
        expect(Math.abs(col[i]! - ref[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref[i]!)));
        if (ref[i] !== 0) nonZero++;
      }
    });
    expect(nonZero).toBeGreaterThan(coarse.nRows);
    // And the shared values still add up to the raw scores.
    const raw = predictRawGbt(m, coarse);
    for (let i = 0; i < coarse.nRows; i += 37) {
      const sum = fast.columns.reduce((s, col) => s + col[i]!, fast.expectedValue);
      expect(sum).toBeCloseTo(raw[i]!, 10);
    }
  });

  it('when trees are deep chains (long pattern keys, repeated and many distinct path features) then values equal the recursion', () => {
    // Hand-built chains: node k splits a feature, its right child is a leaf, its left child
    // the next node. 20 nodes over 16 features give a leaf path with 16 distinct features
    // (its masks go to a Map, not a table); 40 nodes over 12 features need a key beyond 32
    // bits and repeat features along the path.
    const nF = 16;
    const n = 600;
    const x = chainFrame(21, nF, n, 1.5);
    const fast = expectChainsMatchRecursion(
      fitGbt(data, { numIterations: 1 }),
      x,
      [chain(20, 16), chain(40, 12)],
      10,
    );
    // Feature 15 is split only deep in the first chain, and it still gets values.
    expect(fast.columns[15]!.some((v) => v !== 0)).toBe(true);
  });

  it('when a tree of 35 splits has 35 distinct features on one path then it is explained by the recursion and adds up', () => {
    // Too many distinct features for a leaf's agreement mask (30 bits), though the pattern
    // key (35 bits) fits: such trees go row by row, and train and predict do not fail.
    const nF = 35;
    const n = 300;
    const x = chainFrame(35, nF, n, 2);
    const fast = expectChainsMatchRecursion(
      fitGbt(data, { numIterations: 1 }),
      x,
      [chain(35, 35), chain(20, 16)],
      9,
    );
    let deep = 0;
    for (let i = 0; i < n; i++) if (fast.columns[34]![i] !== 0) deep++;
    // Rows reach the chain's end, where feature 34 is split.
    expect(deep).toBeGreaterThan(0);
  });

  it('when a batch is smaller than PATTERN_MIN_ROWS then the default is the recursion, and by pattern agrees', () => {
    const few: Frame = { nRows: 5, names: probe.names, columns: probe.columns.map((c) => c.slice(0, 5)) };
    const auto = shapValues(model, few);
    const slow = shapValues(model, few, { byPattern: false });
    const forced = shapValues(model, few, { byPattern: true });
    expect(few.nRows).toBeLessThan(PATTERN_MIN_ROWS);
    expect(auto.columns).toEqual(slow.columns);
    const raw = predictRawGbt(model, few);
    for (let i = 0; i < few.nRows; i++) {
      let sum = forced.expectedValue;
      forced.columns.forEach((col, j) => {
        expect(Math.abs(col[i]! - slow.columns[j]![i]!)).toBeLessThanOrEqual(1e-12);
        sum += col[i]!;
      });
      expect(sum).toBeCloseTo(raw[i]!, 10);
    }
  });

  it('when a tree has more than 52 splits then rows are explained one by one and still add up', () => {
    const m = fitGbt(data, { numIterations: 2, numLeaves: 60, minDataInLeaf: 3 });
    expect(m.trees[0]!.numLeaves).toBeGreaterThan(53);
    const shap = shapValues(m, probe);
    const raw = predictRawGbt(m, probe);
    for (let i = 0; i < probe.nRows; i++) {
      const sum = shap.columns.reduce((s, col) => s + col[i]!, shap.expectedValue);
      expect(sum).toBeCloseTo(raw[i]!, 10);
    }
  });

  it('when a feature is never split on then its contribution is zero', () => {
    const x: Frame = {
      nRows: 400,
      names: ['a', 'const'],
      columns: [data.x.columns[0]!.slice(0, 400), new Float64Array(400).fill(1)],
    };
    const m = fitGbt({ x, y: data.y.slice(0, 400) }, { numIterations: 5 });
    const shap = shapValues(m, x);
    expect(shap.columns[1]!.every((v) => v === 0)).toBe(true);
  });
});
