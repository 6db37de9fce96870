// Typed-array hash sets and maps keyed by a 64-bit hash of a key string, for dedup and
// key-uniqueness over tens of millions of rows: a JS Map holds at most 2^24 entries and
// costs ~80 bytes per string key, while these cost 12–20 bytes per key and never keep
// the key strings alive.
//
// Collisions. Keys are compared by their 64-bit hash only, so two distinct keys that hash
// alike are treated as one. For n distinct keys and a hash that behaves as random, the
// probability of at least one collision is about n² / 2^65: 2.7e-8 for 1M keys, 1.1e-5
// for 20M keys, 2.7e-4 for 100M keys. A collision merges two keys (dedup would drop one
// distinct row as a duplicate; a reference check would miss one orphan). The hash is not
// cryptographic: keys crafted by an adversary could collide on purpose. Source ids are
// not chosen by lead-facing users, so that is acceptable here.

/** A 64-bit hash as two unsigned 32-bit halves. */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** A cell as part of a composite key. */
export type KeyPart = string | number | boolean | null;

// Two 32-bit lanes, each an xor-multiply-rotate per UTF-16 code unit (cyrb53's mixing
// with a rotation so high-bit entropy reaches the low bits), combined by a final
// avalanche that makes every output bit depend on both lanes.
const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;
const MUL_1 = 0x9e3779b1; // 2654435761
const MUL_2 = 0x5f356495; // 1597334677
// Codes outside UTF-16's range, so separators and null markers can't collide with text.
const PART_SEPARATOR = 0x10001;
const NULL_MARKER = 0x10002;
const NUMBER_MARKER = 0x10003;
const BOOLEAN_MARKER = 0x10004;

/**
 * Incremental 64-bit hasher for composite keys. Reused across rows to avoid allocation:
 * `reset()`, add each part, `finish()`, then read `hi` and `lo`.
 */
export class KeyHasher implements Hash64 {
  hi = 0;
  lo = 0;
  private h1 = SEED_1;
  private h2 = SEED_2;
  private parts = 0;

  /** Starts a new key. */
  reset(): this {
    this.h1 = SEED_1;
    this.h2 = SEED_2;
    this.parts = 0;
    return this;
  }

  /** Adds one key part; null, numbers and booleans are tagged so `1` and `'1'` differ. */
  add(part: KeyPart): this {
    if (this.parts++ > 0) this.mix(PART_SEPARATOR);
    if (part === null) {
      this.mix(NULL_MARKER);
      return this;
    }
    if (typeof part === 'number') this.mix(NUMBER_MARKER);
    else if (typeof part === 'boolean') this.mix(BOOLEAN_MARKER);
    const s = typeof part === 'string' ? part : String(part);
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, MUL_1);
      h1 = (h1 << 15) | (h1 >>> 17);
      h2 = Math.imul(h2 ^ c, MUL_2);
      h2 = (h2 << 13) | (h2 >>> 19);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** Ends the key: sets `hi` and `lo`. Never returns the all-zero hash (reserved). */
  finish(): this {
    let h1 = this.h1 ^ this.parts;
    let h2 = this.h2 ^ Math.imul(this.parts, 0x85ebca6b);
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
    h1 ^= h1 >>> 13;
    this.hi = h2 >>> 0;
    this.lo = h1 >>> 0;
    if (this.hi === 0 && this.lo === 0) this.lo = 1;
    return this;
  }

  /** Hashes the cells of `row` at `indexes` (a composite key) in one call. */
  row(row: readonly KeyPart[], indexes: readonly number[]): this {
    this.reset();
    for (let k = 0; k < indexes.length; k++) this.add(row[indexes[k]!] ?? null);
    return this.finish();
  }

  private mix(code: number): void {
    this.h1 = Math.imul(this.h1 ^ code, MUL_1);
    this.h1 = (this.h1 << 15) | (this.h1 >>> 17);
    this.h2 = Math.imul(this.h2 ^ code, MUL_2);
    this.h2 = (this.h2 << 13) | (this.h2 >>> 19);
  }
}

/** The 64-bit hash of one string (a single-part key), allocating a result. */
export function hash64(key: KeyPart): Hash64 {
  const h = new KeyHasher().reset().add(key).finish();
  return { hi: h.hi, lo: h.lo };
}

/**
 * The arrays of a {@link KeyIndex}: structured-cloneable, to rebuild the index in a
 * worker thread with {@link KeyIndex.fromState}.
 */
export interface KeyIndexState {
  readonly slots: Int32Array;
  readonly keysHi: Uint32Array;
  readonly keysLo: Uint32Array;
  readonly size: number;
}

/** Largest table (slots); 2^28 slots hold up to 2^27 keys in 1 GB of slots. */
const MAX_SLOTS = 1 << 28;
/** Grow when more than this share of the slots is used. */
const MAX_LOAD = 0.5;

/**
 * An open-addressing (linear probing) hash index from 64-bit key hashes to dense ids
 * 0, 1, 2, … in insertion order. Callers keep per-key state in their own typed arrays
 * indexed by the id. Memory: 4 bytes per slot (at most half are used) plus 8 bytes per
 * key. `expected` sizes the table up front so it never rehashes for that many keys.
 */
export class KeyIndex {
  /** True when the last `add` inserted a new key. */
  added = false;
  private slots: Int32Array;
  private mask: number;
  private keysHi: Uint32Array;
  private keysLo: Uint32Array;
  private n = 0;

  /** @param expected number of keys to size for (default 1024); more are allowed. */
  constructor(expected = 1024) {
    const cap = slotsFor(Math.max(1, expected));
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const keysCap = Math.max(16, Math.min(expected, cap));
    this.keysHi = new Uint32Array(keysCap);
    this.keysLo = new Uint32Array(keysCap);
  }

  /** Rebuilds an index from {@link KeyIndex.state} (shares the arrays; no copy). */
  static fromState(state: KeyIndexState): KeyIndex {
    const idx = new KeyIndex(1);
    idx.slots = state.slots;
    idx.mask = state.slots.length - 1;
    idx.keysHi = state.keysHi;
    idx.keysLo = state.keysLo;
    idx.n = state.size;
    return idx;
  }

  /** Number of keys. */
  get size(): number {
    return this.n;
  }

  /** The index's arrays (shared, not copied): see {@link KeyIndex.fromState}. */
  state(): KeyIndexState {
    return { slots: this.slots, keysHi: this.keysHi, keysLo: this.keysLo, size: this.n };
  }

  /** The id of a key, or -1 when absent. */
  find(hi: number, lo: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const mask = this.mask;
    const slots = this.slots;
    let s = mix(hi, lo) & mask;
    for (;;) {
      const id = slots[s]!;
      if (id < 0) return -1;
      if (this.keysLo[id] === lo && this.keysHi[id] === hi) return id;
      s = (s + 1) & mask;
    }
  }

  /** The id of a key, inserting it when absent (then `added` is true). */
  add(hi: number, lo: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const mask = this.mask;
    const slots = this.slots;
    let s = mix(hi, lo) & mask;
    for (;;) {
      const id = slots[s]!;
      if (id < 0) break;
      if (this.keysLo[id] === lo && this.keysHi[id] === hi) {
        this.added = false;
        return id;
      }
      s = (s + 1) & mask;
    }
    const id = this.n++;
    if (id >= this.keysHi.length) this.growKeys();
    this.keysHi[id] = hi;
    this.keysLo[id] = lo;
    slots[s] = id;
    this.added = true;
    if (this.n > this.slots.length * MAX_LOAD) this.rehash();
    return id;
  }

  /** Convenience: `find` with a finished {@link KeyHasher} or {@link Hash64}. */
  findHash(h: Hash64): number {
    return this.find(h.hi, h.lo);
  }

  /** Convenience: `add` with a finished {@link KeyHasher} or {@link Hash64}. */
  addHash(h: Hash64): number {
    return this.add(h.hi, h.lo);
  }

  private growKeys(): void {
    const cap = this.keysHi.length * 2;
    const hi = new Uint32Array(cap);
    hi.set(this.keysHi);
    const lo = new Uint32Array(cap);
    lo.set(this.keysLo);
    this.keysHi = hi;
    this.keysLo = lo;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    if (cap > MAX_SLOTS) {
      throw new RangeError(`KeyIndex is full: more than ${MAX_SLOTS * MAX_LOAD} keys`);
    }
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let id = 0; id < this.n; id++) {
      let s = mix(this.keysHi[id]!, this.keysLo[id]!) & mask;
      while (slots[s]! >= 0) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A set of 64-bit key hashes (see {@link KeyIndex} for memory and sizing). */
export class KeyHashSet {
  private readonly index: KeyIndex;

  /** @param expected number of keys to size for (default 1024). */
  constructor(expected = 1024) {
    this.index = new KeyIndex(expected);
  }

  get size(): number {
    return this.index.size;
  }

  /** Adds a key; true when it was not in the set. */
  add(hi: number, lo: number): boolean {
    this.index.add(hi, lo);
    return this.index.added;
  }

  has(hi: number, lo: number): boolean {
    return this.index.find(hi, lo) >= 0;
  }
}

/**
 * A map from 64-bit key hashes to float64 values (NaN reads as "unset" for callers that
 * want it). For several values per key, use a {@link KeyIndex} and parallel arrays.
 */
export class KeyHashMap {
  private readonly index: KeyIndex;
  private values: Float64Array;

  /** @param expected number of keys to size for (default 1024). */
  constructor(expected = 1024) {
    this.index = new KeyIndex(expected);
    this.values = new Float64Array(Math.max(16, expected));
  }

  get size(): number {
    return this.index.size;
  }

  /** Sets the value of a key. */
  set(hi: number, lo: number, value: number): void {
    const id = this.index.add(hi, lo);
    if (id >= this.values.length) this.values = growFloat64(this.values, id + 1);
    this.values[id] = value;
  }

  /** The value of a key, or undefined when absent. */
  get(hi: number, lo: number): number | undefined {
    const id = this.index.find(hi, lo);
    return id < 0 ? undefined : this.values[id];
  }

  has(hi: number, lo: number): boolean {
    return this.index.find(hi, lo) >= 0;
  }
}

/** A new Float64Array of at least `min` entries (doubling) holding `a`'s values. */
export function growFloat64(a: Float64Array, min: number, fill = 0): Float64Array<ArrayBuffer> {
  const b = new Float64Array(nextCapacity(a.length, min));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** A new Int32Array of at least `min` entries (doubling) holding `a`'s values. */
export function growInt32(a: Int32Array, min: number, fill = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(nextCapacity(a.length, min));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** A new Uint32Array of at least `min` entries (doubling) holding `a`'s values. */
export function growUint32(a: Uint32Array, min: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(nextCapacity(a.length, min));
  b.set(a);
  return b;
}

/** A new Uint8Array of at least `min` entries (doubling) holding `a`'s values. */
export function growUint8(a: Uint8Array, min: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(nextCapacity(a.length, min));
  b.set(a);
  return b;
}

function nextCapacity(current: number, min: number): number {
  let cap = Math.max(16, current);
  while (cap < min) cap *= 2;
  return cap;
}

function slotsFor(expected: number): number {
  let cap = 16;
  while (cap * MAX_LOAD < expected && cap < MAX_SLOTS) cap *= 2;
  return cap;
}

// The hash is already avalanched; folding in `hi` keeps probing sane for callers that
// pass weaker hashes of their own.
function mix(hi: number, lo: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
}
