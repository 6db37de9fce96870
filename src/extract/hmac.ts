// HMAC-SHA256 of short strings in plain JavaScript, for hashing identifiers at extract.
// node:crypto's createHmac costs an object, a key import and a native call per value
// (~4 µs of CPU on the bench machine); with the key's inner and outer pad blocks
// compressed once, an identifier of up to 55 bytes costs two block compressions here
// (~2 µs), and the result is the same HMAC (RFC 2104, FIPS 180-4), checked against
// node:crypto in hmac.test.ts.

import { createHash } from 'node:crypto';

/** SHA-256 round constants. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
/** SHA-256 initial hash value. */
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const BLOCK = 64;
/** The two hex character codes of each byte value: [2b] high digit, [2b + 1] low digit. */
const HEX_CODES = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const hex = b.toString(16).padStart(2, '0');
  HEX_CODES[2 * b] = hex.charCodeAt(0);
  HEX_CODES[2 * b + 1] = hex.charCodeAt(1);
}

/** Keyed HMAC-SHA256 of strings (UTF-8), reusing its buffers; one instance per thread. */
export class HmacSha256 {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  private block = new Uint8Array(4 * BLOCK);
  /** The hex digits of a digest, as Latin-1 bytes: one flat string per digest, not 16 concatenations. */
  private readonly hexOut = Buffer.alloc(64);

  constructor(key: Uint8Array) {
    // Keys longer than a block are hashed first (RFC 2104).
    const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
    const ipad = new Uint8Array(BLOCK).fill(0x36);
    const opad = new Uint8Array(BLOCK).fill(0x5c);
    for (let i = 0; i < k.length; i++) {
      ipad[i]! ^= k[i]!;
      opad[i]! ^= k[i]!;
    }
    this.inner.set(IV);
    this.compress(this.inner, ipad, 0);
    this.outer.set(IV);
    this.compress(this.outer, opad, 0);
  }

  /** The first `hexChars` (even, ≤ 64) hex characters of HMAC-SHA256(key, UTF-8 of `text`). */
  hex(text: string, hexChars = 64): string {
    let n = text.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (text.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii) n = Buffer.byteLength(text, 'utf8');
    // Message, 0x80, zeros, 64-bit length: a whole number of blocks.
    const total = ((n + 9 + BLOCK - 1) >> 6) << 6;
    if (total > this.block.length) this.block = new Uint8Array(total * 2);
    const b = this.block;
    if (ascii) for (let i = 0; i < n; i++) b[i] = text.charCodeAt(i);
    else Buffer.from(b.buffer, b.byteOffset, b.length).write(text, 0, 'utf8');
    b[n] = 0x80;
    b.fill(0, n + 1, total);
    // Length in bits of ipad block + message (below 2^53 bits: strings are far shorter).
    const bits = (n + BLOCK) * 8;
    const high = Math.floor(bits / 2 ** 32);
    b[total - 8] = 0;
    b[total - 7] = 0;
    b[total - 6] = 0;
    b[total - 5] = high & 0xff;
    b[total - 4] = bits >>> 24;
    b[total - 3] = bits >>> 16;
    b[total - 2] = bits >>> 8;
    b[total - 1] = bits;
    const s = this.state;
    s.set(this.inner);
    for (let off = 0; off < total; off += BLOCK) this.compress(s, b, off);
    // Outer hash: opad block (already compressed) + the 32-byte inner digest, 96 bytes in all.
    for (let i = 0; i < 8; i++) {
      const v = s[i]!;
      b[i * 4] = v >>> 24;
      b[i * 4 + 1] = v >>> 16;
      b[i * 4 + 2] = v >>> 8;
      b[i * 4 + 3] = v;
    }
    b[32] = 0x80;
    b.fill(0, 33, 62);
    b[62] = (96 * 8) >>> 8;
    b[63] = (96 * 8) & 0xff;
    s.set(this.outer);
    this.compress(s, b, 0);
    const out = this.hexOut;
    for (let i = 0; i < hexChars / 2; i++) {
      const v = (s[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
      out[2 * i] = HEX_CODES[2 * v]!;
      out[2 * i + 1] = HEX_CODES[2 * v + 1]!;
    }
    return out.toString('latin1', 0, hexChars);
  }

  /** One SHA-256 block compression of bytes[off, off + 64) into state `h`. */
  private compress(h: Int32Array, bytes: Uint8Array, off: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15]!;
      const w2 = w[i - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + s1 + ch + K[i]! + w[i]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + hh) | 0;
  }
}
