import { describe, expect, it } from 'vitest';
import { binColumn, binSampleRows, fitBinEdges } from './binning.js';

const f64 = (v: number[]) => Float64Array.from(v);

describe('fitBinEdges', () => {
  it('when there are few distinct values then edges are the midpoints between them', () => {
    expect(Array.from(fitBinEdges(f64([3, 1, 2, 2, Number.NaN, 1]), 255))).toEqual([1.5, 2.5]);
  });

  it('when there are more distinct values than bins then at most maxBin bins are made from quantiles', () => {
    const col = Float64Array.from({ length: 1000 }, (_, i) => i);
    const edges = fitBinEdges(col, 4);
    expect(edges.length).toBe(3);
    expect(Array.from(edges)).toEqual([249.5, 499.5, 749.5]);
  });

  it('when a column is constant or all missing then it has no edges (one value bin)', () => {
    expect(fitBinEdges(f64([5, 5, 5]), 255).length).toBe(0);
    expect(fitBinEdges(f64([Number.NaN, Number.NaN]), 255).length).toBe(0);
  });

  it('when a value repeats heavily then duplicate quantile edges are merged', () => {
    const col = Float64Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i));
    const edges = Array.from(fitBinEdges(col, 10));
    expect(new Set(edges).size).toBe(edges.length);
  });
});

describe('binColumn', () => {
  it('when values are binned then bin = edges below the value and NaN goes to the missing bin', () => {
    const out = binColumn(
      f64([1, 1.5, 2, 3, Number.NaN, Number.POSITIVE_INFINITY]),
      f64([1.5, 2.5]),
      new Uint8Array(6),
    );
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 3, 2]);
  });
});

describe('binSampleRows', () => {
  it('when there are fewer rows than the sample size then all rows are used', () => {
    expect(binSampleRows(10, 100, 0)).toBeUndefined();
  });

  it('when there are more rows then a seeded sorted sample is drawn', () => {
    const a = binSampleRows(1000, 50, 3)!;
    expect(a.length).toBe(50);
    expect(Array.from(a)).toEqual(Array.from(binSampleRows(1000, 50, 3)!));
  });
});
