import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { isoUtc, isoWithOffset, localHour, naiveUtc, parseYmd, twoSlots, zoneOffset } from './time.js';
import { REGIONS, ZONES } from './words.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The offset Intl gives for `zone` at `ms`, in minutes. */
function intlOffset(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

describe('isoUtc', () => {
  it('when given any instant then it equals Date#toISOString', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 5000; i++) {
      const ms = Date.UTC(1999, 0, 1) + Math.floor(rng.next() * 120 * 365 * 86_400_000);
      const whole = Math.floor(ms / 1000) * 1000;
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
      expect(isoUtc(whole)).toBe(new Date(whole).toISOString());
    }
  });
});

describe('naiveUtc and isoWithOffset', () => {
  it('when parsed back then both name the same instant', () => {
    const ms = Date.UTC(2026, 2, 4, 15, 22, 10);
    expect(naiveUtc(ms)).toBe('2026-03-04 15:22:10');
    expect(isoWithOffset(ms, -300)).toBe('2026-03-04T10:22:10-05:00');
    expect(isoWithOffset(ms, 330)).toBe('2026-03-04T20:52:10+05:30');
    expect(Date.parse(isoWithOffset(ms, -420))).toBe(ms);
    expect(Date.parse(`${naiveUtc(ms).replace(' ', 'T')}Z`)).toBe(ms);
  });
});

describe('zoneOffset', () => {
  it('when compared with Intl every 15 minutes over two years then every zone agrees', () => {
    const zones = new Set(REGIONS.map((r) => r.zone));
    const wrong: string[] = [];
    for (const zone of zones) {
      // Every 15 minutes near the transitions (March and November), every 6 hours elsewhere.
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ) {
        if (zoneOffset(zone, ms) !== intlOffset(zone.name, ms))
          wrong.push(`${zone.name} ${new Date(ms).toISOString()}`);
        const month = new Date(ms).getUTCMonth();
        ms += month === 2 || month === 10 ? 900_000 : 6 * 3_600_000;
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when the zone keeps no DST then the offset never changes', () => {
    expect(zoneOffset(ZONES.phoenix, Date.UTC(2025, 6, 1))).toBe(-420);
    expect(zoneOffset(ZONES.phoenix, Date.UTC(2025, 0, 1))).toBe(-420);
  });
});

describe('localHour', () => {
  it('when it is 15:00 UTC in July then New York reads 11', () => {
    expect(localHour(ZONES.newYork, Date.UTC(2025, 6, 1, 15))).toBe(11);
  });
});

describe('twoSlots', () => {
  it('when asked on a Friday then it offers Monday and Tuesday in local time', () => {
    // Friday 2025-09-05 18:00 UTC = 14:00 in New York.
    const [a, b] = twoSlots(ZONES.newYork, Date.UTC(2025, 8, 5, 18), 10, 14.5);
    expect(a).toBe('Mon 9/8 at 10:00 AM');
    expect(b).toBe('Tue 9/9 at 2:30 PM');
  });
});

describe('parseYmd', () => {
  it('when the date is real then it gives UTC midnight, else NaN', () => {
    expect(parseYmd('2025-09-01')).toBe(Date.UTC(2025, 8, 1));
    expect(parseYmd('2025-02-30')).toBeNaN();
    expect(parseYmd('2025-9-1')).toBeNaN();
  });
});
