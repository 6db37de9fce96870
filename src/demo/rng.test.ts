import { describe, expect, it } from 'vitest';
import { hashString, logit, mix32, Rng, sigmoid } from './rng.js';

describe('Rng', () => {
  it('when seeded alike then it yields the same sequence, and a different one for another index', () => {
    const a = new Rng(42, 1, 7);
    const b = new Rng(42, 1, 7);
    const c = new Rng(42, 1, 8);
    const sa = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(sa);
  });

  it('when reseeded then it restarts the sequence', () => {
    const r = new Rng(5, 0, 3);
    const first = [r.next(), r.next(), r.normal()];
    r.reseed(5, 0, 3);
    expect([r.next(), r.next(), r.normal()]).toEqual(first);
  });

  it('when drawing many uniforms and normals then their moments are right', () => {
    const r = new Rng(9);
    let s = 0;
    let s2 = 0;
    let n2 = 0;
    let lo = 1;
    let hi = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
      const z = r.normal();
      n2 += z * z;
      s2 += z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n).toBeCloseTo(0, 1);
    expect(n2 / n).toBeCloseTo(1, 1);
  });

  it('when drawing weighted indexes then frequencies follow the weights', () => {
    const r = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[r.weighted([1, 2, 7])]!++;
    expect(counts[2]! / 100_000).toBeCloseTo(0.7, 1);
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 1);
  });

  it('when making ids then hex and alnum have the asked length and alphabet', () => {
    const r = new Rng(1);
    expect(r.hex(32, 'SM')).toMatch(/^SM[0-9a-f]{32}$/);
    expect(r.alnum(20)).toMatch(/^[A-Za-z0-9]{20}$/);
  });
});

describe('mix32 and hashString', () => {
  it('when inputs differ by one bit then outputs differ', () => {
    expect(mix32(1)).not.toBe(mix32(2));
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});

describe('sigmoid and logit', () => {
  it('when composed then they invert each other', () => {
    expect(sigmoid(logit(0.2))).toBeCloseTo(0.2, 12);
    expect(sigmoid(0)).toBe(0.5);
  });
});
