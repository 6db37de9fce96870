import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Frame, frameOf } from '../../numeric/frame.js';
import { SeededRng } from '../../numeric/rng.js';
import { type FitLogregOptions, fitLogreg } from './fit.js';
import type { LogregModel } from './model.js';
import type { LogregParams } from './params.js';

// The fit must not change by a single bit when its working memory is reorganized.
// ../golden/logreg-fit-bits.json holds the exact bits of fits made by the implementation
// that standardized a full copy of every column (src/models/logreg/fit.ts at commit
// 3c8c7e2, Node v20.20.2), before two-valued columns were kept as row lists; the datasets
// cover every kind of column the layout treats differently. The file is written by hand
// from that commit's fits, never by the test: a new or renamed case fails until it is added.

const golden = JSON.parse(
  readFileSync(new URL('../golden/logreg-fit-bits.json', import.meta.url), 'utf8'),
) as { readonly fits: Record<string, unknown> };

const bits = (v: number): string => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

/** A random table with dense, missing, one-hot, flag, two-valued, constant and signed-zero columns. */
function randomDataset(seed: number, n: number): { x: Frame; y: Uint8Array } {
  const rng = new SeededRng(seed);
  const columns: Record<string, Float64Array> = {};
  const nDense = 2 + rng.nextInt(5);
  for (let j = 0; j < nDense; j++) {
    const scale = 1 + rng.nextInt(100);
    columns[`dense_${j}`] = Float64Array.from({ length: n }, () => scale * rng.nextNormal());
  }
  columns.missing = Float64Array.from({ length: n }, () =>
    rng.nextFloat() < 0.2 ? Number.NaN : rng.nextFloat() * 10,
  );
  const nGroups = 1 + rng.nextInt(3);
  for (let g = 0; g < nGroups; g++) {
    const levels = 2 + rng.nextInt(8);
    const cat = Array.from({ length: n }, () =>
      Math.min(levels - 1, Math.floor(levels * rng.nextFloat() ** 2)),
    );
    for (let c = 0; c < levels; c++) {
      columns[`cat${g}_${c}`] = Float64Array.from(cat, (v) => (v === c ? 1 : 0));
    }
  }
  columns.rare = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.03 ? 1 : 0));
  columns.common = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.85 ? 1 : 0));
  columns.half = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.4 ? 1 : 0));
  columns.twoValued = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.1 ? 7 : 3));
  columns.flagMissing = Float64Array.from({ length: n }, () => {
    const u = rng.nextFloat();
    return u < 0.05 ? Number.NaN : u < 0.15 ? 1 : 0;
  });
  columns.never = new Float64Array(n);
  columns.constant = new Float64Array(n).fill(2);
  columns.signedZero = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.1 ? -0 : 0));
  const x = frameOf(columns);
  const names = x.names;
  const w = names.map(() => rng.nextNormal() * 0.5);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let s = -0.5;
    names.forEach((name, j) => {
      const v = columns[name]![i]!;
      if (!Number.isNaN(v)) s += w[j]! * (name.startsWith('dense') ? v / 50 : v);
    });
    y[i] = rng.nextFloat() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  return { x, y };
}

const describeFit = (m: LogregModel) => ({
  coefficients: m.coefficients.map(bits),
  intercept: bits(m.intercept),
  nIterations: m.nIterations,
  converged: m.converged,
});

describe('fitLogreg', () => {
  const cases: [string, number, number, Partial<LogregParams>, FitLogregOptions][] = [
    ['small', 1, 700, {}, {}],
    ['one block', 2, 512, { c: 0.3 }, {}],
    ['several blocks', 3, 2999, {}, {}],
    ['strong penalty', 4, 4100, { c: 0.01 }, {}],
    ['no intercept', 5, 1800, { fitIntercept: false }, {}],
    ['dense sums', 6, 2500, {}, { sparseColumns: false }],
    ['few steps', 7, 3300, { maxIter: 2 }, {}],
  ];
  for (const [name, seed, n, params, options] of cases) {
    it(`when case "${name}" is fitted then every bit equals the saved fit`, () => {
      const model = fitLogreg(randomDataset(seed, n), params, options);
      expect(golden.fits[name]).toBeDefined();
      expect(describeFit(model)).toEqual(golden.fits[name]);
    });
  }

  it('when warm-started then every bit equals the saved fit', () => {
    const train = randomDataset(8, 3600);
    const k = 2000;
    const sub = fitLogreg({
      x: { nRows: k, names: train.x.names, columns: train.x.columns.map((c) => c.slice(0, k)) },
      y: train.y.slice(0, k),
    });
    expect(describeFit(fitLogreg(train, {}, { warmStart: sub }))).toEqual(golden.fits['warm start']);
  });

  it('when the saved fits are listed then they are exactly the cases above', () => {
    expect(Object.keys(golden.fits).sort()).toEqual([...cases.map((c) => c[0]), 'warm start'].sort());
  });
});
