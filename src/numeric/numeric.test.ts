import { describe, expect, it } from 'vitest';
import { alignColumns, takeDataset, takeRows, validateFrame, validateLabels } from './frame.js';
import { choleskySolve } from './linalg.js';
import { log1pExp, logit, sigmoid } from './logistic.js';
import { averagePrecisionKernel, topKPositivesKernel } from './metric-kernels.js';
import { argsortAscending, argsortDescending, quantileSorted, sortedFloat64 } from './sort.js';

/** A seeded linear congruential generator of numbers in [0, 1), for test data. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `n` values from `next`: 10% drawn from `special`, 40% from `tie` (few distinct values,
 * many ties), the rest spread over ±5e5.
 */
function mixedValues(
  n: number,
  next: () => number,
  special: readonly number[],
  tie: (u: number) => number,
): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    v[i] =
      u < 0.1 ? special[Math.floor(next() * special.length)]! : u < 0.5 ? tie(next()) : (next() - 0.5) * 1e6;
  }
  return v;
}

describe('argsortDescending', () => {
  it('when values tie then index order is kept and NaN sorts last', () => {
    expect(Array.from(argsortDescending(Float64Array.from([1, 3, Number.NaN, 3, 2])))).toEqual([
      1, 3, 4, 0, 2,
    ]);
    expect(Array.from(argsortAscending(Float64Array.from([1, 3, Number.NaN, 3, 2])))).toEqual([
      0, 4, 1, 3, 2,
    ]);
  });
});

describe('argsort on long arrays (radix path)', () => {
  /** The definition: a stable comparator sort, NaN last, -0 equal to +0. */
  function reference(values: Float64Array, descending: boolean): number[] {
    const idx = Array.from(values, (_, i) => i);
    return idx.sort((a, b) => {
      const va = values[a]!;
      const vb = values[b]!;
      const na = Number.isNaN(va);
      const nb = Number.isNaN(vb);
      if (na || nb) return na === nb ? a - b : na ? 1 : -1;
      if (va !== vb) return descending ? (va > vb ? -1 : 1) : va < vb ? -1 : 1;
      return a - b;
    });
  }

  it('when values tie, repeat, are NaN, ±0, ±Infinity, tiny or negative then it equals the comparator sort', () => {
    const next = lcg(12345);
    const special = [
      Number.NaN,
      -Number.NaN,
      0,
      -0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      5e-324,
      -5e-324,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ];
    for (const n of [2048, 5000, 40000]) {
      const v = mixedValues(n, next, special, (u) => Math.round(u * 20) / 4 - 2);
      expect(Array.from(argsortDescending(v))).toEqual(reference(v, true));
      expect(Array.from(argsortAscending(v))).toEqual(reference(v, false));
    }
  });

  it('when every value is the same then the order is the index order', () => {
    const v = new Float64Array(3000).fill(0.25);
    expect(Array.from(argsortDescending(v))).toEqual(Array.from(v, (_, i) => i));
  });
});

describe('sortedFloat64', () => {
  /** Bit patterns, so -0 and +0 (and NaN payloads) are told apart. */
  const bits = (v: Float64Array) => Array.from(new BigUint64Array(v.buffer, v.byteOffset, v.length));

  it('when values tie, are ±0, ±Infinity, tiny, integers or negative then it equals the built-in sort bit for bit', () => {
    const next = lcg(777);
    const special = [
      0,
      -0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      5e-324,
      -5e-324,
      -Number.MAX_VALUE,
    ];
    // Both sides of the radix threshold (8,192 values).
    for (const n of [10, 2048, 8191, 8192, 9000, 40000]) {
      const v = mixedValues(n, next, special, (u) => Math.round(u * 20) - 5);
      const copy = v.slice();
      expect(bits(sortedFloat64(v))).toEqual(bits(v.slice().sort()));
      expect(bits(v)).toEqual(bits(copy)); // the input is left as it was
    }
  });

  it('when a long array holds NaN then NaN sorts last as in the built-in sort', () => {
    const v = Float64Array.from({ length: 12_000 }, (_, i) => (i % 7 === 0 ? Number.NaN : 6000 - i));
    const got = sortedFloat64(v);
    expect(Array.from(got)).toEqual(Array.from(v.slice().sort()));
    expect(Number.isNaN(got[got.length - 1]!)).toBe(true);
  });

  it('when every value is the same then it returns them unchanged', () => {
    expect(Array.from(sortedFloat64(new Float64Array(10_000).fill(-3)))).toEqual(new Array(10_000).fill(-3));
  });
});

describe('quantileSorted', () => {
  it('when q falls between order statistics then it interpolates linearly like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 15);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });
});

describe('sigmoid', () => {
  it('when z is extreme then sigmoid, log1pExp and logit stay finite and consistent', () => {
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(log1pExp(800)).toBe(800);
    expect(log1pExp(-800)).toBe(0);
    expect(logit(sigmoid(2.5))).toBeCloseTo(2.5, 12);
  });
});

describe('choleskySolve', () => {
  it('when the matrix is SPD then it solves the system; when not then it returns false', () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    const x = new Float64Array(2);
    expect(choleskySolve(a, Float64Array.from([2, 1]), 2, new Float64Array(4), x)).toBe(true);
    expect(x[0]).toBeCloseTo(0.5, 14);
    expect(x[1]).toBeCloseTo(0, 14);
    expect(
      choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2, new Float64Array(4), x),
    ).toBe(false);
  });
});

describe('topKPositivesKernel', () => {
  it('when weights repeat rows then they count as copies', () => {
    const y = Uint8Array.from([1, 0, 1]);
    const s = Float64Array.from([0.9, 0.5, 0.1]);
    const order = argsortDescending(s);
    // weights 2, 1, 0: the list is [1, 1, 0]; top 2 hold 2 positives.
    expect(topKPositivesKernel(y, s, order, Float64Array.from([2, 1, 0]), 2)).toBe(2);
    expect(averagePrecisionKernel(y, s, order, Float64Array.from([2, 1, 0]))).toBe(1);
  });
});

describe('validateFrame', () => {
  it('when a frame is malformed then every problem is reported in one models.invalidFrame error', () => {
    const bad = { nRows: 3, names: ['a', 'a', 'b'], columns: [new Float64Array(3), new Float64Array(2)] };
    try {
      validateFrame(bad, 'test');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'models.invalidFrame' });
      expect(String(e)).toContain('duplicate column names: a');
      expect(String(e)).toContain('3 names for 2 columns');
      expect(String(e)).toContain('"a" (2)');
    }
  });
});

describe('validateLabels', () => {
  it('when labels hold values other than 0/1 then it throws models.invalidLabels naming rows', () => {
    expect(() => validateLabels(Uint8Array.from([0, 2, 1]), 3, 'test')).toThrow(/rows 1/);
  });
});

describe('alignColumns', () => {
  it('when a feature is missing then it names it and suggests a close column', () => {
    const frame = { nRows: 1, names: ['age_days'], columns: [new Float64Array(1)] };
    expect(() => alignColumns(frame, ['age_dayz'], 'test')).toThrow(/did you mean "age_days"/);
  });
});

describe('takeDataset', () => {
  it('when rows are taken then features and labels follow the given order', () => {
    const d = takeDataset(
      {
        x: { nRows: 3, names: ['a'], columns: [Float64Array.from([10, 20, 30])] },
        y: Uint8Array.from([0, 1, 0]),
      },
      [2, 1],
    );
    expect(Array.from(d.x.columns[0]!)).toEqual([30, 20]);
    expect(Array.from(d.y)).toEqual([0, 1]);
  });
});

describe('takeRows', () => {
  const frame = {
    nRows: 5,
    names: ['a', 'b'],
    columns: [Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([9, 8, 7, 6, 5])],
  };

  it('when rows are consecutive then it returns copies of that range', () => {
    const t = takeRows(frame, [1, 2, 3]);
    expect(t.nRows).toBe(3);
    expect(t.columns.map((c) => Array.from(c))).toEqual([
      [2, 3, 4],
      [8, 7, 6],
    ]);
    t.columns[0]![0] = -1;
    expect(frame.columns[0]![1]).toBe(2);
  });

  it('when rows skip, repeat or go backwards then each row is picked in the given order', () => {
    expect(Array.from(takeRows(frame, [0, 2, 4]).columns[1]!)).toEqual([9, 7, 5]);
    expect(Array.from(takeRows(frame, [3, 3]).columns[0]!)).toEqual([4, 4]);
    expect(Array.from(takeRows(frame, [4, 3, 2]).columns[0]!)).toEqual([5, 4, 3]);
    expect(takeRows(frame, []).nRows).toBe(0);
  });
});
