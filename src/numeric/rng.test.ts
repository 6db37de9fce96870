import { describe, expect, it } from 'vitest';
import { SeededRng } from './rng.js';

describe('SeededRng', () => {
  it('when two generators share seed and stream then they produce the same sequence', () => {
    const a = new SeededRng(42, 3);
    const b = new SeededRng(42, 3);
    for (let i = 0; i < 100; i++) expect(a.nextU32()).toBe(b.nextU32());
  });

  it('when the seed or the stream differs then the sequences differ', () => {
    const first = (r: SeededRng) => Array.from({ length: 4 }, () => r.nextU32());
    expect(first(new SeededRng(1))).not.toEqual(first(new SeededRng(2)));
    expect(first(new SeededRng(1, 0))).not.toEqual(first(new SeededRng(1, 1)));
  });

  it('when drawing floats and bounded integers then they stay in range and look uniform', () => {
    const r = new SeededRng(7);
    const counts = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = r.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      counts[r.nextInt(10)]!++;
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('when n changes between calls then nextInt draws what rejection and `%` on nextU32 draw', () => {
    // The reference: a fresh limit every call and the remainder by `%`; n alternates so the
    // kept limit must follow, and the large n reject often and divide beyond 2^31.
    const a = new SeededRng(5, 2);
    const b = new SeededRng(5, 2);
    const ns = [1, 2, 7, 1000, 3_000_000_000, 2 ** 31 + 1, 7, 2 ** 32 - 1];
    for (let i = 0; i < 4000; i++) {
      const n = ns[i % ns.length]!;
      let expected = 0;
      if (n > 1) {
        const limit = 4294967296 - (4294967296 % n);
        let u = b.nextU32();
        while (u >= limit) u = b.nextU32();
        expected = u % n;
      }
      expect(a.nextInt(n)).toBe(expected);
    }
  });

  it('when sampling k of n then the sample is sorted, distinct and within range', () => {
    const r = new SeededRng(9);
    const out = new Uint32Array(30);
    const sample = r.sampleSorted(100, 30, out, new Uint32Array(100));
    expect(sample.length).toBe(30);
    expect(new Set(sample).size).toBe(30);
    for (let i = 1; i < 30; i++) expect(sample[i]! > sample[i - 1]!).toBe(true);
    expect(sample[29]! < 100).toBe(true);
  });

  it('when drawing normals then mean and variance are about 0 and 1', () => {
    const r = new SeededRng(11);
    let s = 0;
    let ss = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const z = r.nextNormal();
      s += z;
      ss += z * z;
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(ss / n).toBeCloseTo(1, 1);
  });
});
