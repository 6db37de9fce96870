// The seeded pseudo-random generator of models and metrics (xoshiro128**, seeded through
// splitmix32): the only source of randomness in numeric code, so the same seed always
// gives the same bags, feature samples and bootstrap resamples.

/** Mixes a 32-bit value (murmur3's finalizer): nearby inputs give unrelated outputs. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seeded generator (xoshiro128**: 128-bit state, period 2^128 − 1). Not cryptographic.
 * `new SeededRng(seed, stream)` gives an independent sequence per (seed, stream) pair, so
 * a fit can draw its bags and its feature samples from separate streams and changing one
 * never shifts the other. `seed` and `stream` are taken modulo 2^32; default stream 0.
 */
export class SeededRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** nextInt's rejection limit for n = limitOf (0: none yet). */
  private limitOf = 0;
  private limit = 0;

  constructor(seed: number, stream = 0) {
    // splitmix32 over (seed, stream) fills the state; it is never all zero.
    let x = (mix32(seed >>> 0) ^ Math.imul(mix32((stream >>> 0) ^ 0x9e3779b9), 0x85ebca6b)) | 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), for 1 ≤ n ≤ 2^32, without modulo bias. */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    // Rejection keeps every value equally likely; the limit is kept for repeated n.
    if (n !== this.limitOf) {
      this.limitOf = n;
      this.limit = 4294967296 - (4294967296 % n);
    }
    let u = this.nextU32();
    while (u >= this.limit) u = this.nextU32();
    // The remainder by a floor division, which V8 runs about twice as fast as `%` on
    // values beyond 2^31 (the same integer).
    return u - Math.floor(u / n) * n;
  }

  /** A standard normal draw (Box–Muller; one value per call, so draws never depend on call parity). */
  nextNormal(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = values[i]!;
      values[i] = values[j]!;
      values[j] = t;
    }
    return values;
  }

  /**
   * Draws `k` distinct indices of [0, n) without replacement into `out[0..k)`, sorted
   * ascending (good for memory locality when they index rows). `scratch` must hold `n`
   * entries; it is overwritten. Both are caller-owned so repeated draws allocate nothing.
   */
  sampleSorted(n: number, k: number, out: Uint32Array, scratch: Uint32Array): Uint32Array {
    for (let i = 0; i < n; i++) scratch[i] = i;
    // Partial Fisher–Yates: the first k slots become a uniform sample.
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const t = scratch[i]!;
      scratch[i] = scratch[j]!;
      scratch[j] = t;
    }
    const sample = out.subarray(0, k);
    sample.set(scratch.subarray(0, k));
    sample.sort();
    return sample;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
