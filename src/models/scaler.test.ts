import { describe, expect, it } from 'vitest';
import { frameOf } from '../numeric/frame.js';
import { fitStandardScaler, isIndicator, transformStandard } from './scaler.js';

const x = frameOf({
  num: Float64Array.of(1, 2, 3, 6),
  flag: Float64Array.of(0, 1, Number.NaN, 1),
  twos: Float64Array.of(0, 2, 2, 0),
});

describe('fitStandardScaler', () => {
  it('when indicators are standardized (default) then every column is divided by its sd', () => {
    const s = fitStandardScaler(x);
    expect(s.standardized).toEqual([true, true, true]);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(2 / 9), 12);
  });

  it('when indicators keep their scale then 0/1 columns are only centered', () => {
    const s = fitStandardScaler(x, { indicators: 'keepScale' });
    expect(s.standardized).toEqual([true, false, true]);
    expect(s.mean[1]).toBeCloseTo(2 / 3, 12);
    expect(s.scale[1]).toBe(1);
    expect(s.scale[2]).toBe(1); // population sd of 0, 2, 2, 0
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(3.5), 12);
    const z = transformStandard(s, x, true);
    [-2 / 3, 1 / 3, 0, 1 / 3].forEach((v, i) => {
      expect(z.columns[1]![i]).toBeCloseTo(v, 14);
    });
  });
});

describe('isIndicator', () => {
  it('when values are 0/1 with NaN then true; other values or all NaN then false', () => {
    expect(isIndicator(Float64Array.of(0, Number.NaN, 1))).toBe(true);
    expect(isIndicator(Float64Array.of(0, 0))).toBe(true);
    expect(isIndicator(Float64Array.of(0, 2))).toBe(false);
    expect(isIndicator(Float64Array.of(Number.NaN))).toBe(false);
  });
});

describe('transformStandard of a scaler written before indicators kept their scale', () => {
  it('when scaler.json has no standardized list then mean and scale alone give the transform', () => {
    const s = fitStandardScaler(x, { indicators: 'keepScale' });
    const { standardized: _dropped, ...old } = JSON.parse(JSON.stringify(s)) as typeof s;
    expect('standardized' in old).toBe(false);
    const a = transformStandard(s, x, true);
    const b = transformStandard(old, x, true);
    a.columns.forEach((col, j) => {
      expect(Array.from(b.columns[j]!)).toEqual(Array.from(col));
    });
  });
});
