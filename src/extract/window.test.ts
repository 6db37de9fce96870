import { describe, expect, it } from 'vitest';
import { parseWindow, windowFromDaysBack } from './window.js';

describe('parseWindow', () => {
  it('when dates are given then the window is UTC midnight to midnight with the look-back applied', () => {
    const w = parseWindow('2026-03-01', '2026-04-01', 30);
    expect(w).toEqual({
      since: '2026-03-01T00:00:00.000Z',
      until: '2026-04-01T00:00:00.000Z',
      lookbackDays: 30,
      effectiveSince: '2026-01-30T00:00:00.000Z',
    });
  });

  it('when since equals until then window.empty', () => {
    expect(() => parseWindow('2026-03-01', '2026-03-01', 0)).toThrow(
      expect.objectContaining({ code: 'window.empty' }),
    );
  });

  it('when since is after until then window.empty', () => {
    expect(() => parseWindow('2026-04-01', '2026-03-01', 0)).toThrow(
      expect.objectContaining({ code: 'window.empty' }),
    );
  });

  it('when a date is malformed or impossible then window.badDate names the flag', () => {
    expect(() => parseWindow('2026-02-30', '2026-03-01', 0)).toThrow(
      expect.objectContaining({ code: 'window.badDate', message: expect.stringContaining('--since') }),
    );
    expect(() => parseWindow('2026-02-01', 'tomorrow', 0)).toThrow(
      expect.objectContaining({ code: 'window.badDate', message: expect.stringContaining('--until') }),
    );
  });

  it('when a full ISO time names an impossible day then window.badDate', () => {
    expect(() => parseWindow('2025-02-30T00:00:00Z', '2025-03-05', 0)).toThrow(
      expect.objectContaining({ code: 'window.badDate' }),
    );
  });

  it('when an ISO time with offset is given then it is converted to UTC', () => {
    expect(parseWindow('2026-03-01T00:00:00-05:00', '2026-03-02', 0).since).toBe('2026-03-01T05:00:00.000Z');
  });
});

describe('windowFromDaysBack', () => {
  it('when 7 days back from midday then until is that midnight and since 7 days earlier', () => {
    const w = windowFromDaysBack(7, new Date('2026-03-10T13:45:00Z'), 0);
    expect(w.since).toBe('2026-03-03T00:00:00.000Z');
    expect(w.until).toBe('2026-03-10T00:00:00.000Z');
  });
});
