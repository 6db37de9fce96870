// Tests of value normalization and the lazy QueryStream shared by the source adapters.

import { describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { createQueryStream, createRowStream, normalizeValue } from './stream.js';

describe('normalizeValue', () => {
  it('when given driver values then dates become ISO UTC text, bigints strings and JSON values text', () => {
    expect(normalizeValue(new Date('2024-03-01T10:00:00+02:00'), 'c')).toBe('2024-03-01T08:00:00.000Z');
    expect(normalizeValue(9007199254740993n, 'c')).toBe('9007199254740993');
    expect(normalizeValue({ a: [1] }, 'c')).toBe('{"a":[1]}');
    expect(normalizeValue(undefined, 'c')).toBeNull();
    expect(normalizeValue(true, 'c')).toBe(true);
    expect(normalizeValue(1.5, 'c')).toBe(1.5);
  });

  it('when given binary data then db.unsupportedValue names the column', () => {
    try {
      normalizeValue(Buffer.from([1]), 'photo', 'contacts.sql');
      expect.unreachable();
    } catch (e) {
      expect(isLeadliftError(e, 'db.unsupportedValue')).toBe(true);
      expect((e as Error).message).toContain('"photo"');
    }
  });
});

describe('createQueryStream', () => {
  it('when the statement is opened then it opens once, yields every batch and closes once', async () => {
    let opened = 0;
    let closed = 0;
    const batches = [[[1], [2]], [[3]]];
    const stream = createQueryStream(async () => {
      opened++;
      return { columns: ['a'], next: async () => batches.shift() ?? null, close: async () => void closed++ };
    });
    expect(await stream.columns()).toEqual(['a']);
    const rows = [];
    for await (const r of stream) rows.push(r.a);
    expect(rows).toEqual([1, 2, 3]);
    expect([opened, closed]).toEqual([1, 1]);
  });

  it('when iterated twice then the second iteration throws', async () => {
    const stream = createQueryStream(async () => ({
      columns: [],
      next: async () => null,
      close: async () => {},
    }));
    for await (const _ of stream) {
    }
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('when read as arrays then values come normalized in column order and binary is refused', async () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    const batches = [[[1, 'x', at, 12n, null, true]]];
    const stream = createRowStream(async () => ({
      columns: ['n', 's', 'at', 'big', 'none', 'b'],
      next: async () => batches.shift() ?? null,
      close: async () => {},
    }));
    expect(await stream.columns()).toEqual(['n', 's', 'at', 'big', 'none', 'b']);
    const rows = [];
    for await (const r of stream) rows.push(r);
    expect(rows).toEqual([[1, 'x', '2025-01-02T03:04:05.000Z', '12', null, true]]);

    let closed = 0;
    const binary = createRowStream(async () => ({
      columns: ['blob'],
      label: 'q.sql',
      next: async () => [[new Uint8Array([1])]],
      close: async () => void closed++,
    }));
    await expect(
      (async () => {
        for await (const _ of binary) {
        }
      })(),
    ).rejects.toMatchObject({ code: 'db.unsupportedValue' });
    expect(closed).toBe(1);
  });
});
