import { describe, expect, it } from 'vitest';
import { isoMs } from './load.js';

describe('isoMs', () => {
  it.each(['2026-01-05T10:00:00.000Z', '1999-12-31T23:59:59.999Z', '2024-02-29T12:34:56.789Z'])(
    'when the time is %s in the cleaned form then it equals Date.parse',
    (s) => {
      expect(isoMs(s)).toBe(Date.parse(s));
    },
  );

  it.each([
    '2026-01-05T10:00:00Z',
    '2026-01-05T10:00:00.000+02:00',
    '2026-13-05T10:00:00.000Z',
    '2026-02-30T10:00:00.000Z',
    '2026-01-05T24:00:00.000Z',
    '2026-0a-05T10:00:00.000Z',
    'not a time at all, no...',
  ])('when the time is %s (another form) then it equals Date.parse, NaN included', (s) => {
    expect(Object.is(isoMs(s), Date.parse(s))).toBe(true);
  });
});
