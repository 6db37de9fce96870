import { describe, expect, it } from 'vitest';
import { EventTable, isoMs } from './load.js';

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

  it('when random cleaned-form times of years 0–9999 are read then each equals Date.parse', () => {
    let state = 99;
    const next = (k: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return Math.floor((state / 2 ** 32) * k);
    };
    const pad = (v: number, w: number) => String(v).padStart(w, '0');
    for (let i = 0; i < 20_000; i++) {
      const year = i % 10 === 0 ? next(200) : next(10_000);
      const s = `${pad(year, 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(31), 2)}T${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}.${pad(next(1000), 3)}Z`;
      if (!Object.is(isoMs(s), Date.parse(s))) expect(`${s} → ${isoMs(s)}`).toBe(`${s} → ${Date.parse(s)}`);
    }
  });
});

describe('EventTable on buffers of another table', () => {
  it('when it outgrows its capacity then it grows into new memory, not past record capacity', () => {
    const owner = new EventTable(10, true);
    owner.enr.fill(-7);
    const view = new EventTable(4, false, owner.buffers());
    expect(view.capacity).toBe(4);
    for (let k = 0; k < 6; k++) {
      const i = view.add();
      view.enr[i] = k;
    }
    expect(Array.from(owner.enr)).toEqual([0, 1, 2, 3, -7, -7, -7, -7, -7, -7]);
    expect(Array.from(view.enr.subarray(0, view.n))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(view.enr.buffer).not.toBe(owner.buffers().enr);
  });
});
