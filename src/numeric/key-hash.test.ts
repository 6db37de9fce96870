import { describe, expect, it } from 'vitest';
import {
  growFloat64,
  growInt32,
  growUint8,
  hash64,
  KeyHasher,
  KeyHashMap,
  KeyHashSet,
  KeyIndex,
} from './key-hash.js';

const key = (...parts: (string | number | boolean | null)[]) => {
  const h = new KeyHasher().reset();
  for (const p of parts) h.add(p);
  h.finish();
  return [h.hi, h.lo] as const;
};

describe('KeyHasher', () => {
  it('when the same parts are hashed twice then the hashes are equal', () => {
    expect(key('1', 'e42', 3, 'sms')).toEqual(key('1', 'e42', 3, 'sms'));
  });

  it('when parts split the same characters differently then the hashes differ', () => {
    expect(key('ab', 'c')).not.toEqual(key('a', 'bc'));
    expect(key('abc')).not.toEqual(key('ab', 'c'));
  });

  it('when a part is null, the string "null", a number or a boolean then the hashes differ', () => {
    const all = [key(null), key('null'), key(''), key(1), key('1'), key(true), key('true')].map((h) =>
      h.join(':'),
    );
    expect(new Set(all).size).toBe(all.length);
  });

  it('when row() hashes cells by index then it equals adding the parts in that order', () => {
    const h = new KeyHasher().row(['x', '1', 'e7', null], [1, 2, 3]);
    expect([h.hi, h.lo]).toEqual(key('1', 'e7', null));
  });

  it('when a key is hashed then both halves are unsigned 32-bit integers and not both zero', () => {
    for (let i = 0; i < 1000; i++) {
      const [hi, lo] = key(`k${i}`);
      expect(hi >>> 0).toBe(hi);
      expect(lo >>> 0).toBe(lo);
      expect(hi === 0 && lo === 0).toBe(false);
    }
  });
});

describe('hash64', () => {
  it('when 500,000 sequential ids are hashed then no 64-bit hashes collide and 32-bit halves collide as often as random ones', () => {
    const n = 500_000;
    const set = new KeyHashSet(n);
    const lo = new Uint32Array(n);
    const hi = new Uint32Array(n);
    let collisions = 0;
    for (let i = 0; i < n; i++) {
      const h = hash64(`enrollment-${i}`);
      if (!set.add(h.hi, h.lo)) collisions++;
      lo[i] = h.lo;
      hi[i] = h.hi;
    }
    expect(collisions).toBe(0);
    // Birthday bound for 32 bits: n² / 2^33 ≈ 29.1 expected pairs; a weak mix gives far more.
    for (const half of [lo, hi]) {
      half.sort();
      let same = 0;
      for (let i = 1; i < n; i++) if (half[i] === half[i - 1]) same++;
      expect(same).toBeLessThan(70);
    }
  });
});

describe('KeyIndex', () => {
  it('when keys are added then ids are dense in insertion order and repeats return the first id', () => {
    const idx = new KeyIndex(4);
    expect(idx.add(...key('a'))).toBe(0);
    expect(idx.added).toBe(true);
    expect(idx.add(...key('b'))).toBe(1);
    expect(idx.add(...key('a'))).toBe(0);
    expect(idx.added).toBe(false);
    expect(idx.size).toBe(2);
  });

  it('when a key was never added then find returns -1', () => {
    const idx = new KeyIndex();
    idx.add(...key('a'));
    expect(idx.find(...key('b'))).toBe(-1);
    expect(idx.find(...key('a'))).toBe(0);
  });

  it('when far more keys than expected are added then it grows and keeps every id', () => {
    const idx = new KeyIndex(2);
    for (let i = 0; i < 20_000; i++) expect(idx.add(...key(i))).toBe(i);
    for (let i = 0; i < 20_000; i++) expect(idx.find(...key(i))).toBe(i);
    expect(idx.size).toBe(20_000);
  });

  it('when empty then size is 0 and nothing is found', () => {
    const idx = new KeyIndex(0);
    expect(idx.size).toBe(0);
    expect(idx.find(1, 2)).toBe(-1);
  });

  it('when halves are given as signed int32 then they find the same key as unsigned', () => {
    const idx = new KeyIndex();
    idx.add(0xffffffff, 0x80000000);
    expect(idx.find(-1, -0x80000000)).toBe(0);
  });
});

describe('KeyHashSet', () => {
  it('when a key is added twice then the second add returns false and has() is true', () => {
    const s = new KeyHashSet();
    expect(s.add(...key('x'))).toBe(true);
    expect(s.add(...key('x'))).toBe(false);
    expect(s.has(...key('x'))).toBe(true);
    expect(s.has(...key('y'))).toBe(false);
    expect(s.size).toBe(1);
  });
});

describe('KeyHashMap', () => {
  it('when a key is set twice then get returns the last value; absent keys give undefined', () => {
    const m = new KeyHashMap(1);
    m.set(...key('a'), 1.5);
    m.set(...key('a'), -2);
    for (let i = 0; i < 100; i++) m.set(...key(i), i);
    expect(m.get(...key('a'))).toBe(-2);
    expect(m.get(...key(99))).toBe(99);
    expect(m.get(...key('zz'))).toBeUndefined();
    expect(m.has(...key('a'))).toBe(true);
    expect(m.size).toBe(101);
  });
});

describe('growFloat64', () => {
  it('when grown then old values are kept and new entries hold the fill value', () => {
    const a = growFloat64(Float64Array.of(1, 2), 20, Number.NaN);
    expect(a.length).toBeGreaterThanOrEqual(20);
    expect([a[0], a[1]]).toEqual([1, 2]);
    expect(a[19]).toBeNaN();
    expect(growInt32(Int32Array.of(7), 17, -1)[16]).toBe(-1);
    expect(growUint8(Uint8Array.of(3), 40)[0]).toBe(3);
  });
});

describe('KeyIndex.fromState', () => {
  it('when rebuilt from a structured clone of its state then it finds the same ids', () => {
    const idx = new KeyIndex(4);
    for (let i = 0; i < 100; i++) idx.add(...key(`k${i}`));
    const copy = KeyIndex.fromState(structuredClone(idx.state()));
    expect(copy.size).toBe(100);
    for (let i = 0; i < 100; i++) expect(copy.find(...key(`k${i}`))).toBe(i);
    expect(copy.find(...key('absent'))).toBe(-1);
  });
});
