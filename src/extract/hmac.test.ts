import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from './hmac.js';

const reference = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

describe('HmacSha256', () => {
  it('when given the RFC 4231 test case 2 then it returns the published HMAC', () => {
    // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
    expect(new HmacSha256(Buffer.from('Jefe')).hex('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('when texts cross every block boundary then it matches node:crypto', () => {
    const key = Buffer.from('leadlift-demo-data-pii-key-not-secret');
    const h = new HmacSha256(key);
    for (let n = 0; n <= 200; n++) {
      const text = 'id:'.padEnd(n, String.fromCharCode(97 + (n % 26)));
      expect(h.hex(text), `length ${n}`).toBe(reference(key, text));
    }
  });

  it('when texts hold non-ASCII characters or a lone surrogate then it matches node:crypto', () => {
    const key = Buffer.from('0123456789abcdef0123');
    const h = new HmacSha256(key);
    for (const text of [
      '',
      'email:josé@exämple.com',
      'id:東京-42',
      'id:😀'.repeat(20),
      'id:\ud800x',
      'é'.repeat(60),
    ])
      expect(h.hex(text)).toBe(reference(key, text));
  });

  it('when the key is longer than a block then it is hashed first, as node:crypto does', () => {
    const key = Buffer.from('k'.repeat(65) + 'long key of a hundred characters'.repeat(3));
    expect(new HmacSha256(key).hex('id:42')).toBe(reference(key, 'id:42'));
  });

  it('when asked for a prefix then it returns the first hex characters', () => {
    const key = Buffer.from('0123456789abcdef0123');
    expect(new HmacSha256(key).hex('phone:3125550199', 32)).toBe(
      reference(key, 'phone:3125550199').slice(0, 32),
    );
  });
});
