// How leadlift reads snapshot values: which columns are categorical, which strings are
// placeholders, how timestamps are parsed and written, what counts as a boolean. check
// judges values with these readings and clean applies them, so a value check reports as
// missing or unparseable is exactly one clean sets to null. (Clean imports this module;
// check, the earlier stage, never imports clean.)

import { CONTACT_DERIVED_COLUMNS, type EntityDef, type ValueType } from '../schema/entities.js';
import type { CellValue } from './rows.js';

/** How a snapshot column is read; finer than ValueType (categorical vs free string). */
export type ColumnKind =
  | 'id'
  | 'categorical'
  | 'string'
  | 'text'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'timestamp'
  | 'timezone';

/**
 * String columns holding a small set of codes: trimmed, lower-cased, placeholders → null.
 * Every column with `allowed` values in the schema is categorical too.
 */
export const CATEGORICAL_COLUMNS: ReadonlySet<string> = new Set([
  'channel',
  'status',
  'outcome',
  'direction',
  'lead_source',
  'lead_source_detail',
  'region',
  'campaign_type',
  'end_call_reason',
  'outcome_type',
  'qualification_status',
  'branch_condition',
  'variant_key',
  'email_domain_type',
  'conversation_tags',
  'source',
]);

/** Values (after trim + lower-case) that mean "no value" in categorical, number, boolean and timestamp columns. */
export const PLACEHOLDERS: ReadonlySet<string> = new Set([
  '',
  'select',
  'n/a',
  'na',
  'null',
  'none',
  'unknown',
  '-',
]);

/** One column of an entity as it is in a snapshot. */
export interface SnapshotColumn {
  readonly name: string;
  readonly type: ValueType;
  readonly kind: ColumnKind;
  readonly required: boolean;
  readonly allowed?: readonly string[];
}

const DERIVED_TYPES: Readonly<Record<(typeof CONTACT_DERIVED_COLUMNS)[number], ValueType>> = {
  email_domain_type: 'string',
  has_email: 'boolean',
  has_phone: 'boolean',
  phone_area_code: 'string',
  is_test_hint: 'boolean',
};

/**
 * The snapshot columns of an entity with their types and reading kinds, in the order of
 * `snapshotColumns(def)`: dropped PII gone, hashed columns `<name>_hash` (strings), the
 * derived contact facts appended.
 */
export function snapshotColumnSpecs(def: EntityDef): SnapshotColumn[] {
  const out: SnapshotColumn[] = [];
  for (const c of def.columns) {
    if (c.pii === 'drop') continue;
    if (c.pii === 'hash') {
      out.push({ name: `${c.name}_hash`, type: 'string', kind: 'string', required: false });
      continue;
    }
    out.push({
      name: c.name,
      type: c.type,
      kind: kindOf(c.name, c.type, c.allowed !== undefined),
      required: c.required === true,
      ...(c.allowed ? { allowed: c.allowed } : {}),
    });
  }
  if (def.name === 'contacts') {
    for (const name of CONTACT_DERIVED_COLUMNS) {
      const type = DERIVED_TYPES[name];
      out.push({ name, type, kind: kindOf(name, type, false), required: false });
    }
  }
  return out;
}

function kindOf(name: string, type: ValueType, hasAllowed: boolean): ColumnKind {
  switch (type) {
    case 'string':
      if (name === 'timezone') return 'timezone';
      return hasAllowed || CATEGORICAL_COLUMNS.has(name) ? 'categorical' : 'string';
    default:
      return type;
  }
}

/** What a {@link ValueReader.read} did to a value (its `effect`). */
export const Effect = {
  /** Kept as is. */
  none: 0,
  /** Categorical trimmed and/or lower-cased. */
  folded: 1,
  /** A placeholder ('', 'n/a', 'null', …; blank for ids and strings) read as null. */
  placeholder: 2,
  /** Converted between types without loss ("12" → 12, 12 → "12", "true" → true). */
  coerced: 3,
  /** Not readable as the column's type: null. */
  invalid: 4,
  /** Timestamp already in UTC (Z or +00:00), rewritten in the canonical form. */
  timestampFormat: 5,
  /** Timestamp with a UTC offset, converted to UTC. */
  timestampOffset: 6,
  /** Naive timestamp (no zone), read in the naive zone. */
  timestampNaive: 7,
  /** Timestamp that can't be parsed: null. */
  timestampUnparseable: 8,
  /** Time zone name Intl doesn't know: null. */
  timezoneInvalid: 9,
} as const;
export type Effect = (typeof Effect)[keyof typeof Effect];

/** Options of a {@link ValueReader}. */
export interface ValueReaderOptions {
  /** IANA zone naive timestamps are read in. Default 'UTC'. */
  readonly naiveTimestampZone?: string;
  /**
   * Skip writing timestamps in the canonical form: `read` returns the input string and
   * callers use `ms` (check needs only the time; formatting is a third of the cost).
   * Default false.
   */
  readonly timestampsAsMs?: boolean;
}

/**
 * Reads raw snapshot cells into normalized values. Reused across rows (no allocation per
 * value): after `read`, `effect` says what was done and, for timestamps, `ms` holds the
 * epoch milliseconds (NaN when null).
 */
export class ValueReader {
  /** What the last `read` did. */
  effect: Effect = Effect.none;
  /** Epoch ms of the last timestamp read (NaN when it read as null). */
  ms = Number.NaN;
  private readonly timestamps: TimestampParser;
  private readonly zones = new Map<string, boolean>();
  private readonly timestampsAsMs: boolean;

  constructor(options: ValueReaderOptions = {}) {
    this.timestamps = new TimestampParser(options.naiveTimestampZone ?? 'UTC');
    this.timestampsAsMs = options.timestampsAsMs === true;
  }

  /** Reads `v` as a value of `kind`. */
  read(kind: ColumnKind, v: CellValue | undefined): CellValue {
    this.effect = Effect.none;
    if (v === null || v === undefined) {
      this.ms = Number.NaN;
      return null;
    }
    switch (kind) {
      case 'text':
        if (typeof v === 'string') return v;
        this.effect = Effect.coerced;
        return String(v);
      case 'id':
      case 'string':
        if (typeof v === 'string') {
          if (isBlank(v)) {
            this.effect = Effect.placeholder;
            return null;
          }
          return v;
        }
        if (typeof v === 'number' && Number.isFinite(v)) {
          this.effect = Effect.coerced;
          return String(v);
        }
        this.effect = Effect.invalid;
        return null;
      case 'categorical':
        return this.readCategorical(v);
      case 'integer':
      case 'number':
        return this.readNumber(v, kind === 'integer');
      case 'boolean':
        return this.readBoolean(v);
      case 'timestamp':
        return this.readTimestamp(v);
      case 'timezone':
        return this.readTimezone(v);
    }
  }

  private readCategorical(v: string | number | boolean): CellValue {
    let s: string;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' && Number.isFinite(v)) {
      s = String(v);
      this.effect = Effect.coerced;
    } else {
      this.effect = Effect.invalid;
      return null;
    }
    const folded = foldCategorical(s);
    if (PLACEHOLDERS.has(folded)) {
      this.effect = Effect.placeholder;
      return null;
    }
    if (this.effect === Effect.none && folded !== s) this.effect = Effect.folded;
    return folded;
  }

  private readNumber(v: string | number | boolean, integer: boolean): CellValue {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string') {
      const s = v.trim();
      if (PLACEHOLDERS.has(s.toLowerCase())) {
        this.effect = Effect.placeholder;
        return null;
      }
      if (!NUMBER_RE.test(s)) {
        this.effect = Effect.invalid;
        return null;
      }
      n = Number(s);
      this.effect = Effect.coerced;
    } else {
      this.effect = Effect.invalid;
      return null;
    }
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      this.effect = Effect.invalid;
      return null;
    }
    return n;
  }

  private readBoolean(v: string | number | boolean): CellValue {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (v === 1 || v === 0) {
        this.effect = Effect.coerced;
        return v === 1;
      }
      this.effect = Effect.invalid;
      return null;
    }
    const s = v.trim().toLowerCase();
    if (TRUE_STRINGS.has(s)) {
      this.effect = Effect.coerced;
      return true;
    }
    if (FALSE_STRINGS.has(s)) {
      this.effect = Effect.coerced;
      return false;
    }
    this.effect = PLACEHOLDERS.has(s) ? Effect.placeholder : Effect.invalid;
    return null;
  }

  private readTimestamp(v: string | number | boolean): CellValue {
    if (typeof v !== 'string') {
      this.ms = Number.NaN;
      this.effect = Effect.timestampUnparseable;
      return null;
    }
    const p = this.timestamps;
    const ms = p.parse(v);
    if (Number.isNaN(ms)) {
      this.ms = Number.NaN;
      this.effect = PLACEHOLDERS.has(v.trim().toLowerCase())
        ? Effect.placeholder
        : Effect.timestampUnparseable;
      return null;
    }
    this.ms = ms;
    switch (p.form) {
      case TimestampForm.canonical:
        return v;
      case TimestampForm.utc:
        this.effect = Effect.timestampFormat;
        break;
      case TimestampForm.offset:
        this.effect = Effect.timestampOffset;
        break;
      default:
        this.effect = Effect.timestampNaive;
    }
    return this.timestampsAsMs ? v : formatTimestamp(ms);
  }

  private readTimezone(v: string | number | boolean): CellValue {
    if (typeof v !== 'string') {
      this.effect = Effect.invalid;
      return null;
    }
    const s = v.trim();
    if (PLACEHOLDERS.has(s.toLowerCase())) {
      this.effect = Effect.placeholder;
      return null;
    }
    let ok = this.zones.get(s);
    if (ok === undefined) {
      ok = isIanaTimeZone(s);
      // Bounded: garbage in millions of rows must not grow the cache without limit.
      if (this.zones.size < 10_000) this.zones.set(s, ok);
    }
    if (!ok) {
      this.effect = Effect.timezoneInvalid;
      return null;
    }
    if (s !== v) this.effect = Effect.folded;
    return s;
  }
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_STRINGS: ReadonlySet<string> = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_STRINGS: ReadonlySet<string> = new Set(['false', 'f', 'no', 'n', '0']);

/** Trims and lower-cases a categorical value (placeholders are not replaced here). */
export function foldCategorical(s: string): string {
  // Fast path: most values are already folded.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c <= 32 || c > 126) return s.trim().toLowerCase();
  }
  return s;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 32) return false;
  return true;
}

/** True when Intl knows `zone` as an IANA time zone name (offsets like '+05:00' are not names). */
export function isIanaTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone[0] === '+' || zone[0] === '-') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** How a parsed timestamp was written. */
export const TimestampForm = {
  /** Exactly 'YYYY-MM-DDTHH:MM:SS.mmmZ': kept byte for byte. */
  canonical: 0,
  /** UTC ('Z', '+00:00') in another layout. */
  utc: 1,
  /** With a non-zero UTC offset. */
  offset: 2,
  /** No zone: read in the naive zone. */
  naive: 3,
} as const;
export type TimestampForm = (typeof TimestampForm)[keyof typeof TimestampForm];

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
/** Years 0000–9999: what the canonical form can write. */
const MIN_MS = utcMs(0, 1, 1, 0, 0, 0, 0);
const MAX_MS = Date.UTC(10_000, 0, 1);

/**
 * Parses the timestamp layouts sources write, by hand (no regex, no Date parsing, whose
 * reading of zone-less strings depends on the layout):
 * `YYYY-MM-DD`, then `T`, `t` or a space and `HH:MM[:SS[.fraction]]`, then optional
 * spaces and `Z`, `UTC`, `GMT` or an offset `±HH[:MM]`/`±HHMM`. Fractions past
 * milliseconds are truncated. A date alone is midnight, naive. Returns epoch ms or NaN;
 * `form` tells which kind it was.
 */
export class TimestampParser {
  /** Form of the last successful parse. */
  form: TimestampForm = TimestampForm.canonical;
  private readonly naiveZone: string | null;
  private readonly offsetCache = new Map<number, number>();
  private formatter: Intl.DateTimeFormat | undefined;

  /** @param naiveZone IANA zone for naive timestamps; 'UTC' (default) reads them as UTC. */
  constructor(naiveZone = 'UTC') {
    this.naiveZone = isUtcZone(naiveZone) ? null : naiveZone;
  }

  parse(raw: string): number {
    let s = raw;
    if (s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)) s = s.trim();
    const n = s.length;
    if (n < 10) return Number.NaN;
    const year = digits(s, 0, 4);
    if (year < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
    const month = digits(s, 5, 2);
    const day = digits(s, 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let millis = 0;
    let i = 10;
    if (n > 10) {
      const sep = s.charCodeAt(10);
      if (sep !== 84 && sep !== 116 && sep !== 32) return Number.NaN; // T t space
      hour = digits(s, 11, 2);
      if (hour < 0 || s.charCodeAt(13) !== 58) return Number.NaN;
      minute = digits(s, 14, 2);
      if (hour > 23 || minute < 0 || minute > 59) return Number.NaN;
      i = 16;
      if (s.charCodeAt(i) === 58) {
        second = digits(s, 17, 2);
        if (second < 0 || second > 59) return Number.NaN;
        i = 19;
        const dot = s.charCodeAt(i);
        if (dot === 46 || dot === 44) {
          i++;
          const start = i;
          let scale = 100;
          while (i < n) {
            const c = s.charCodeAt(i) - 48;
            if (c < 0 || c > 9) break;
            if (scale >= 1) millis += c * scale;
            scale /= 10;
            i++;
          }
          if (i === start) return Number.NaN;
        }
      }
    }
    while (i < n && s.charCodeAt(i) === 32) i++;
    const local = utcMs(year, month, day, hour, minute, second, millis);
    let ms: number;
    if (i === n) {
      this.form = TimestampForm.naive;
      ms = this.naiveZone === null ? local : this.fromZone(local);
    } else {
      const c = s.charCodeAt(i);
      if ((c === 90 || c === 122) && i === n - 1) {
        // Z / z
        this.form =
          c === 90 && i === 23 && raw.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46
            ? TimestampForm.canonical
            : TimestampForm.utc;
        ms = local;
      } else if (c === 43 || c === 45) {
        // + / -
        const oh = digits(s, i + 1, 2);
        if (oh < 0 || oh > 14) return Number.NaN;
        let j = i + 3;
        let om = 0;
        if (j < n) {
          if (s.charCodeAt(j) === 58) j++;
          om = digits(s, j, 2);
          if (om < 0 || om > 59) return Number.NaN;
          j += 2;
        }
        if (j !== n) return Number.NaN;
        const offset = (c === 45 ? -1 : 1) * (oh * 60 + om) * MS_PER_MINUTE;
        this.form = offset === 0 ? TimestampForm.utc : TimestampForm.offset;
        ms = local - offset;
      } else {
        const rest = s.slice(i).toUpperCase();
        if (rest !== 'UTC' && rest !== 'GMT') return Number.NaN;
        this.form = TimestampForm.utc;
        ms = local;
      }
    }
    return ms >= MIN_MS && ms < MAX_MS ? ms : Number.NaN;
  }

  // Wall time in the naive zone → UTC. Two rounds settle DST transitions; a wall time in
  // a spring-forward gap resolves with the offset before the gap.
  private fromZone(local: number): number {
    const o1 = this.offsetAt(local);
    let t = local - o1;
    const o2 = this.offsetAt(t);
    if (o2 !== o1) {
      const t2 = local - o2;
      if (this.offsetAt(t2) === o2) t = t2;
    }
    return t;
  }

  private offsetAt(utc: number): number {
    const hourKey = Math.floor(utc / MS_PER_HOUR);
    const cached = this.offsetCache.get(hourKey);
    if (cached !== undefined) return cached;
    this.formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.naiveZone ?? 'UTC',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const at = hourKey * MS_PER_HOUR;
    const parts: Record<string, number> = {};
    for (const p of this.formatter.formatToParts(at))
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = utcMs(
      parts.year ?? 1970,
      parts.month ?? 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
      0,
    );
    const offset = wall - at;
    if (this.offsetCache.size > 100_000) this.offsetCache.clear();
    this.offsetCache.set(hourKey, offset);
    return offset;
  }
}

function isUtcZone(zone: string): boolean {
  const z = zone.toUpperCase();
  return z === 'UTC' || z === 'ETC/UTC' || z === 'GMT' || z === 'ETC/GMT' || z === 'Z';
}

function digits(s: string, at: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = s.charCodeAt(at + k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  return (((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s) * 1000 + ms;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil):
 * plain arithmetic, several times faster than Date.UTC, and right for years 0–99 too.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats epoch ms as the canonical UTC timestamp 'YYYY-MM-DDTHH:MM:SS.mmmZ' (same as
 * Date.prototype.toISOString for years 0–9999, without allocating a Date).
 */
export function formatTimestamp(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rem = ms - days * 86_400_000;
  // civil_from_days
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rem / 3_600_000);
  rem -= hour * 3_600_000;
  const minute = Math.floor(rem / 60_000);
  rem -= minute * 60_000;
  const second = Math.floor(rem / 1000);
  const milli = rem - second * 1000;
  const yy = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  const mmm = milli >= 100 ? String(milli) : milli >= 10 ? `0${milli}` : `00${milli}`;
  return `${yy}-${PAD2[month]}-${PAD2[day]}T${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}.${mmm}Z`;
}

/** Parses a canonical or any accepted timestamp as UTC-naive; NaN when unparseable. For manifests and tests. */
export function parseTimestamp(s: string): number {
  return new TimestampParser('UTC').parse(s);
}

/** The first non-NaN of the times at indexes a, b, c (-1: absent). */
export function firstTime(ms: Float64Array, a: number, b: number, c: number): number {
  if (a >= 0 && !Number.isNaN(ms[a]!)) return ms[a]!;
  if (b >= 0 && !Number.isNaN(ms[b]!)) return ms[b]!;
  if (c >= 0) return ms[c]!;
  return Number.NaN;
}
