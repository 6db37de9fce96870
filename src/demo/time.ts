// Time for the demo generator: fast timestamp text (tens of millions of rows go through
// here, and Date#toISOString allocates a Date per call), the three forms the communication
// log uses, and UTC offsets of the contacts' IANA zones from their DST rules (Intl is far
// too slow per row; the rules are checked against Intl in time.test.ts).

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

interface DayInfo {
  readonly ymd: string;
  /** `YYYY-MM-DDT`, the prefix of ISO timestamps. */
  readonly prefix: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const TWO: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayCache = new Map<number, DayInfo>();

function dayInfo(dayIndex: number): DayInfo {
  let d = dayCache.get(dayIndex);
  if (d === undefined) {
    const date = new Date(dayIndex * DAY);
    d = {
      ymd: date.toISOString().slice(0, 10),
      prefix: date.toISOString().slice(0, 11),
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    };
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(dayIndex, d);
  }
  return d;
}

function clock(ms: number, dayIndex: number): string {
  const r = ms - dayIndex * DAY;
  const s = Math.floor(r / 1000);
  return `${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}`;
}

// `HH:MM:SS.000Z` for every second of a day, built on first use: a whole-second
// timestamp is then one concatenation of two cached strings.
let secondsOfDay: string[] | undefined;

/** ISO-8601 UTC with milliseconds: `2026-03-04T15:22:10.000Z` (as Date#toISOString). */
export function isoUtc(ms: number): string {
  const dayIndex = Math.floor(ms / DAY);
  const inDay = ms - dayIndex * DAY;
  if (inDay % 1000 === 0) {
    if (secondsOfDay === undefined) {
      secondsOfDay = new Array<string>(86_400);
      for (let s = 0; s < 86_400; s++) {
        secondsOfDay[s] = `${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}.000Z`;
      }
    }
    return dayInfo(dayIndex).prefix + secondsOfDay[inDay / 1000]!;
  }
  return `${dayInfo(dayIndex).prefix}${clock(ms, dayIndex)}.${THREE[inDay % 1000]}Z`;
}

/** A naive `YYYY-MM-DD HH:MM:SS` that means UTC (as some CRMs log it). */
export function naiveUtc(ms: number): string {
  const dayIndex = Math.floor(ms / DAY);
  return `${dayInfo(dayIndex).ymd} ${clock(ms, dayIndex)}`;
}

/** ISO-8601 in local time with its offset: `2026-03-04T10:22:10-05:00`. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = ms + offsetMinutes * MINUTE;
  const dayIndex = Math.floor(local / DAY);
  const a = Math.abs(offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${dayInfo(dayIndex).ymd}T${clock(local, dayIndex)}${sign}${TWO[Math.floor(a / 60)]}:${TWO[a % 60]}`;
}

/** Parses `YYYY-MM-DD` as UTC midnight; NaN when malformed or not a real date. */
export function parseYmd(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoUtc(ms).slice(0, 10) === s ? ms : Number.NaN;
}

/** How a zone moves its clocks: US rules (2007–), EU rules, or never. */
type DstRule = 'us' | 'eu' | 'none';

/** A contact time zone: IANA name, standard offset (minutes east of UTC) and DST rule. */
export interface Zone {
  readonly name: string;
  readonly standardOffset: number;
  readonly dst: DstRule;
}

const transitions = new Map<Zone, Map<number, readonly [number, number]>>();

/** UTC instants when DST starts and ends in `year` for a zone (cached). */
function dstWindow(year: number, zone: Zone): readonly [number, number] {
  let byYear = transitions.get(zone);
  if (byYear === undefined) {
    byYear = new Map();
    transitions.set(zone, byYear);
  }
  let w = byYear.get(year);
  if (w === undefined) {
    if (zone.dst === 'us') {
      // Second Sunday of March, 02:00 local standard; first Sunday of November, 02:00 local daylight.
      const mar1 = new Date(Date.UTC(year, 2, 1)).getUTCDay();
      const nov1 = new Date(Date.UTC(year, 10, 1)).getUTCDay();
      const startDay = 1 + ((7 - mar1) % 7) + 7;
      const endDay = 1 + ((7 - nov1) % 7);
      w = [
        Date.UTC(year, 2, startDay, 2) - zone.standardOffset * MINUTE,
        Date.UTC(year, 10, endDay, 2) - (zone.standardOffset + 60) * MINUTE,
      ];
    } else {
      // Last Sunday of March and of October, 01:00 UTC.
      const mar31 = new Date(Date.UTC(year, 2, 31)).getUTCDay();
      const oct31 = new Date(Date.UTC(year, 9, 31)).getUTCDay();
      w = [Date.UTC(year, 2, 31 - mar31, 1), Date.UTC(year, 9, 31 - oct31, 1)];
    }
    byYear.set(year, w);
  }
  return w;
}

/** Offset of `zone` from UTC at the instant `ms`, in minutes (e.g. -300 for EST). */
export function zoneOffset(zone: Zone, ms: number): number {
  if (zone.dst === 'none') return zone.standardOffset;
  // The year of ms in UTC is close enough: transitions are never near New Year.
  const year = dayInfo(Math.floor(ms / DAY)).year;
  const [start, end] = dstWindow(year, zone);
  return ms >= start && ms < end ? zone.standardOffset + 60 : zone.standardOffset;
}

/** Local wall-clock hour (0–23) of `ms` in `zone`. */
export function localHour(zone: Zone, ms: number): number {
  const local = ms + zoneOffset(zone, ms) * MINUTE;
  return Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/**
 * Two concrete call slots on the next two business days after `ms`, in the contact's
 * local time, as text ("Tue 3/10 at 2:00 PM") — what the concrete-slots prompt asks for.
 */
export function twoSlots(zone: Zone, ms: number, hourA: number, hourB: number): readonly [string, string] {
  const off = zoneOffset(zone, ms) * MINUTE;
  let dayIndex = Math.floor((ms + off) / DAY);
  const out: string[] = [];
  const hours = [hourA, hourB];
  while (out.length < 2) {
    dayIndex++;
    const weekday = (dayIndex + 4) % 7; // 1970-01-01 was a Thursday
    if (weekday === 0 || weekday === 6) continue;
    const d = dayInfo(dayIndex);
    out.push(`${WEEKDAYS[weekday]} ${d.month}/${d.day} at ${clock12(hours[out.length]!)}`);
  }
  return [out[0]!, out[1]!];
}

/** Long weekday name of the local day of `ms`, for reply text ("Thursday works"). */
export function localWeekdayName(zone: Zone, ms: number): string {
  const dayIndex = Math.floor((ms + zoneOffset(zone, ms) * MINUTE) / DAY);
  return LONG_WEEKDAYS[(dayIndex + 4) % 7]!;
}

function clock12(hour: number): string {
  const h = Math.floor(hour);
  const m = Math.round((hour - h) * 60);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${TWO[m]} ${h < 12 ? 'AM' : 'PM'}`;
}
