// The demo generator's only source of randomness: a small seeded PRNG (sfc32) that can be
// re-seeded cheaply per contact, so every contact's data depends only on (seed, index) and
// not on batch sizes or on how much randomness earlier contacts used.

import { mix32 } from '../numeric/rng.js';

export { mix32 };

/** Hashes a short string to 32 bits (FNV-1a then mixed), for named sub-streams. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

const codesOf = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0));
const HEX_CODES = codesOf('0123456789abcdef');
const ALNUM_CODES = codesOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
const CODES: number[] = [];

/**
 * A seeded pseudo-random generator (sfc32: 128-bit state, period ≥ 2^32, passes
 * PractRand to 2^40+). Not cryptographic. `reseed(seed, stream, index)` derives an
 * independent sequence for each (stream, index) pair.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spareNormal = Number.NaN;

  constructor(seed: number, stream = 0, index = 0) {
    this.reseed(seed, stream, index);
  }

  /** Restarts the generator on the sequence of (seed, stream, index). */
  reseed(seed: number, stream = 0, index = 0): this {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(stream ^ 0x243f6a88 ^ Math.imul(this.a, 0x85ebca6b));
    this.c = mix32(index ^ 0xb7e15162 ^ Math.imul(this.b, 0xc2b2ae35));
    this.d = mix32(Math.floor(index / 4294967296) ^ 0x1234567);
    this.spareNormal = Number.NaN;
    for (let i = 0; i < 12; i++) this.u32();
    return this;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform integer in [lo, hi] (both included). */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index drawn with the given non-negative weights (not necessarily summing to 1). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A standard normal draw (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = Number.NaN;
      return z;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal draw with the given median and log-scale standard deviation. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * `prefix` then `n` random lower-case hex digits, built in one go (a flat string, not a
   * rope of one-character pieces).
   */
  hex(n: number, prefix = ''): string {
    const codes = CODES;
    const p = prefix.length;
    codes.length = p + n;
    for (let i = 0; i < p; i++) codes[i] = prefix.charCodeAt(i);
    for (let i = 0; i < n; i++) codes[p + i] = HEX_CODES[this.u32() & 15]!;
    return String.fromCharCode.apply(null, codes);
  }

  /** `n` random characters from [A-Za-z0-9]. */
  alnum(n: number): string {
    const codes = CODES;
    codes.length = n;
    for (let i = 0; i < n; i++) codes[i] = ALNUM_CODES[this.u32() % 62]!;
    return String.fromCharCode.apply(null, codes);
  }
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The log-odds of a probability. */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}
