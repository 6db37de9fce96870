import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Frame, frameOf } from '../../numeric/frame.js';
import { SeededRng } from '../../numeric/rng.js';
import { fitLogreg } from './fit.js';
import { contributionsLogreg, predictProbaLogreg, predictRawLogreg } from './predict.js';

interface Case {
  name: string;
  c: number;
  /** The last `indicators` columns are 0/1 indicators, passed through unscaled by scikit-learn. */
  indicators: number;
  columns: number[][];
  y: number[];
  optimum: { coef: number[]; intercept: number; gradMaxNorm: number };
  tight: { coef: number[]; intercept: number; gradMaxNorm: number };
  default: { coef: number[]; intercept: number };
  probaFirst10: number[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/logreg.json', import.meta.url), 'utf8')) as {
  tool: string;
  version: string;
  seed: number;
  cases: Case[];
};

const frameOfColumns = (cols: number[][]): Frame => ({
  nRows: cols[0]!.length,
  names: cols.map((_, j) => `x${j}`),
  columns: cols.map((c) => Float64Array.from(c)),
});

describe('fitLogreg', () => {
  it('when the fixture is read then it records scikit-learn 1.2 and a seed', () => {
    expect(golden.tool).toBe('scikit-learn');
    expect(golden.version).toMatch(/^1\.2\./);
    expect(Number.isInteger(golden.seed)).toBe(true);
  });

  for (const c of golden.cases) {
    it(`when case ${c.name} then coefficients match the optimum of scikit-learn's objective`, () => {
      const model = fitLogreg({ x: frameOfColumns(c.columns), y: Uint8Array.from(c.y) }, { c: c.c });
      expect(model.converged).toBe(true);
      model.coefficients.forEach((w, j) => {
        expect(w).toBeCloseTo(c.optimum.coef[j]!, 9);
      });
      // leadlift centers the indicators (same coefficients); scikit-learn's intercept is on them uncentered.
      const nNumeric = c.columns.length - c.indicators;
      expect(model.scaler.standardized).toEqual(c.columns.map((_, j) => j < nNumeric));
      let intercept = model.intercept;
      model.coefficients.forEach((w, j) => {
        if (j >= nNumeric) intercept -= w * model.scaler.mean[j]!;
      });
      expect(intercept).toBeCloseTo(c.optimum.intercept, 9);
      // scikit-learn's lbfgs stops on its own tolerances (gradient ~1e-4 at tol=1e-12).
      model.coefficients.forEach((w, j) => {
        expect(Math.abs(w - c.tight.coef[j]!)).toBeLessThan(1e-4);
      });
      model.coefficients.forEach((w, j) => {
        expect(Math.abs(w - c.default.coef[j]!)).toBeLessThan(2e-3);
      });
      const proba = predictProbaLogreg(model, frameOfColumns(c.columns.map((col) => col.slice(0, 10))));
      proba.forEach((p, i) => {
        expect(p).toBeCloseTo(c.probaFirst10[i]!, 8);
      });
    });
  }

  it('when fitted twice on the same data then the model JSON is identical', () => {
    const c = golden.cases[0]!;
    const train = { x: frameOfColumns(c.columns), y: Uint8Array.from(c.y) };
    expect(JSON.stringify(fitLogreg(train))).toBe(JSON.stringify(fitLogreg(train)));
  });

  it('when warm-started from a fit on a subset then it reaches the same optimum in fewer steps', () => {
    const c = golden.cases[0]!;
    const train = { x: frameOfColumns(c.columns), y: Uint8Array.from(c.y) };
    const n = train.y.length;
    const half = Array.from({ length: Math.floor(n * 0.7) }, (_, i) => i);
    const sub = fitLogreg({
      x: {
        nRows: half.length,
        names: train.x.names,
        columns: train.x.columns.map((col) => col.slice(0, half.length)),
      },
      y: train.y.slice(0, half.length),
    });
    const cold = fitLogreg(train);
    const warm = fitLogreg(train, {}, { warmStart: sub });
    expect(warm.converged).toBe(true);
    expect(warm.nIterations).toBeLessThan(cold.nIterations);
    warm.coefficients.forEach((w, j) => {
      expect(Math.abs(w - cold.coefficients[j]!)).toBeLessThan(1e-8);
    });
    expect(Math.abs(warm.intercept - cold.intercept)).toBeLessThan(1e-8);
  });

  it('when one-hot and 0/1 columns are summed sparsely then the fit equals the dense sums', () => {
    const rng = new SeededRng(11);
    const n = 3000;
    const cat = Array.from({ length: n }, () => rng.nextInt(4));
    const columns: Record<string, Float64Array> = {
      dense: Float64Array.from({ length: n }, () => rng.nextNormal()),
      rare: Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.05 ? 1 : 0)),
      common: Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.9 ? 1 : 0)),
      constant: new Float64Array(n).fill(2),
      ...Object.fromEntries(
        [0, 1, 2, 3].map((c) => [`cat_${c}`, Float64Array.from(cat, (v) => (v === c ? 1 : 0))]),
      ),
    };
    const x = frameOf(columns);
    const y = Uint8Array.from(cat, (v, i) =>
      rng.nextFloat() < 1 / (1 + Math.exp(-(columns.dense![i]! + v - 1.5 + columns.rare![i]!))) ? 1 : 0,
    );
    const sparse = fitLogreg({ x, y });
    const dense = fitLogreg({ x, y }, {}, { sparseColumns: false });
    sparse.coefficients.forEach((w, j) => {
      expect(Math.abs(w - dense.coefficients[j]!)).toBeLessThan(1e-9);
    });
    expect(Math.abs(sparse.intercept - dense.intercept)).toBeLessThan(1e-9);
  });

  it('when params are passed then model.params returns them as passed', () => {
    const c = golden.cases[0]!;
    const model = fitLogreg({ x: frameOfColumns(c.columns), y: Uint8Array.from(c.y) }, { c: 0.5 });
    expect(model.params).toEqual({ c: 0.5 });
    expect(model.resolvedParams).toEqual({ c: 0.5, fitIntercept: true, maxIter: 100, tol: 1e-10 });
  });

  it('when labels are one class then it throws models.oneClass', () => {
    const x = frameOfColumns([[1, 2, 3]]);
    expect(() => fitLogreg({ x, y: new Uint8Array(3) })).toThrow(
      expect.objectContaining({ code: 'models.oneClass' }),
    );
  });

  it('when params are unknown or out of range then all problems are reported at once', () => {
    const x = frameOfColumns([[1, 2, 3, 4]]);
    const y = Uint8Array.from([0, 1, 0, 1]);
    try {
      fitLogreg({ x, y }, { c: -1, maxiter: 5 } as never);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'models.invalidParams' });
      expect(String(e)).toContain('did you mean "maxIter"');
      expect(String(e)).toContain('c = -1');
    }
  });

  it('when a feature is constant or holds NaN then it fits and NaN contributes nothing', () => {
    const x = frameOfColumns([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [5, 5, 5, 5, 5, 5, 5, 5],
      [0.5, Number.NaN, 1.5, 0.1, Number.NaN, 2, 0.3, 1],
    ]);
    const y = Uint8Array.from([0, 0, 1, 0, 1, 1, 0, 1]);
    const model = fitLogreg({ x, y });
    expect(model.coefficients[1]).toBe(0);
    const contrib = contributionsLogreg(model, x);
    expect(contrib.columns[2]![1]).toBe(0);
    const raw = predictRawLogreg(model, x);
    for (let i = 0; i < 8; i++) {
      const sum = contrib.expectedValue + contrib.columns.reduce((s, col) => s + col[i]!, 0);
      expect(sum).toBeCloseTo(raw[i]!, 12);
    }
  });

  it('when a feature holds Infinity then it throws models.nonFinite', () => {
    const x = frameOfColumns([[1, Number.POSITIVE_INFINITY, 3]]);
    expect(() => fitLogreg({ x, y: Uint8Array.from([0, 1, 1]) })).toThrow(
      expect.objectContaining({ code: 'models.nonFinite' }),
    );
  });

  it('when predicting on a table with columns in another order then columns are matched by name', () => {
    const c = golden.cases[1]!;
    const x = frameOfColumns(c.columns);
    const model = fitLogreg({ x, y: Uint8Array.from(c.y) }, { c: c.c });
    const reversed: Frame = {
      nRows: x.nRows,
      names: [...x.names].reverse(),
      columns: [...x.columns].reverse(),
    };
    expect(predictRawLogreg(model, reversed)).toEqual(predictRawLogreg(model, x));
    const missing: Frame = { nRows: x.nRows, names: x.names.slice(1), columns: x.columns.slice(1) };
    expect(() => predictRawLogreg(model, missing)).toThrow(
      expect.objectContaining({ code: 'models.missingFeatures' }),
    );
  });
});
