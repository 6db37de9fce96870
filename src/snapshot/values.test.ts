import { describe, expect, it } from 'vitest';
import { entityDef } from '../schema/entities.js';
import {
  Effect,
  foldCategorical,
  formatTimestamp,
  isIanaTimeZone,
  parseTimestamp,
  snapshotColumnSpecs,
  TimestampForm,
  TimestampParser,
  ValueReader,
} from './values.js';

const utc = (s: string) => Date.parse(s);

describe('TimestampParser', () => {
  const p = new TimestampParser();

  it.each([
    ['2026-03-04T15:22:10.000Z', '2026-03-04T15:22:10.000Z', TimestampForm.canonical],
    ['2026-03-04T15:22:10Z', '2026-03-04T15:22:10.000Z', TimestampForm.utc],
    ['2026-03-04T15:22:10+00:00', '2026-03-04T15:22:10.000Z', TimestampForm.utc],
    ['2026-03-04T10:22:10-05:00', '2026-03-04T15:22:10.000Z', TimestampForm.offset],
    ['2026-03-04 20:52:10 +0530', '2026-03-04T15:22:10.000Z', TimestampForm.offset],
    ['2026-03-04 10:22:10.1234567 -05:00', '2026-03-04T15:22:10.123Z', TimestampForm.offset],
    ['2026-03-04T17:22:10+02', '2026-03-04T15:22:10.000Z', TimestampForm.offset],
    ['2026-03-04 15:22:10', '2026-03-04T15:22:10.000Z', TimestampForm.naive],
    ['2026-03-04T15:22:10', '2026-03-04T15:22:10.000Z', TimestampForm.naive],
    ['2026-03-04 15:22', '2026-03-04T15:22:00.000Z', TimestampForm.naive],
    ['2026-03-04', '2026-03-04T00:00:00.000Z', TimestampForm.naive],
    ['  2026-03-04T15:22:10.5Z ', '2026-03-04T15:22:10.500Z', TimestampForm.utc],
    ['2026-03-04 15:22:10 UTC', '2026-03-04T15:22:10.000Z', TimestampForm.utc],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z', TimestampForm.utc],
  ])('when %j is parsed then it is %s', (input, expected, form) => {
    expect(p.parse(input)).toBe(utc(expected));
    expect(p.form).toBe(form);
  });

  it.each([
    '',
    'garbage',
    'N/A',
    '0000-00-00 00:00:00',
    '2026-02-30 10:00:00',
    '2025-02-29',
    '2026-13-01',
    '2026-03-04T25:00:00Z',
    '2026-03-04T10:60:00Z',
    '2026-03-04T10:00:00+15:00',
    '2026-03-04T10:00:00 PST',
    '2026/03/04 10:00:00',
    '03/04/2026',
    '2026-03-04T10:00:00.Z',
  ])('when %j is parsed then it is NaN', (input) => {
    expect(p.parse(input)).toBeNaN();
  });

  it('when the naive zone is America/New_York then winter and summer wall times get -05:00 and -04:00', () => {
    const ny = new TimestampParser('America/New_York');
    expect(ny.parse('2026-01-15 09:00:00')).toBe(utc('2026-01-15T14:00:00Z'));
    expect(ny.parse('2026-07-15 09:00:00')).toBe(utc('2026-07-15T13:00:00Z'));
    // Offsets given explicitly are not affected by the naive zone.
    expect(ny.parse('2026-07-15T09:00:00Z')).toBe(utc('2026-07-15T09:00:00Z'));
  });

  it('when a naive time falls in the spring-forward gap then it resolves with the offset before the gap', () => {
    const ny = new TimestampParser('America/New_York');
    // 2026-03-08 02:30 does not exist in New York; read as 02:30 EST = 07:30Z.
    expect(ny.parse('2026-03-08 02:30:00')).toBe(utc('2026-03-08T07:30:00Z'));
  });

  it('when the year is below 100 then Date.UTC’s 1900 mapping is avoided', () => {
    expect(new Date(parseTimestamp('0001-01-01T00:00:00Z')).toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });
});

describe('ValueReader', () => {
  const r = new ValueReader();

  it('when categoricals are read then they are trimmed and lower-cased, and placeholders become null', () => {
    expect(r.read('categorical', ' SMS ')).toBe('sms');
    expect(r.effect).toBe(Effect.folded);
    expect(r.read('categorical', 'sms')).toBe('sms');
    expect(r.effect).toBe(Effect.none);
    for (const p of ['Select', '', '  ', 'N/A', 'na', 'NULL', 'None', 'unknown', '-']) {
      expect(r.read('categorical', p)).toBeNull();
      expect(r.effect).toBe(Effect.placeholder);
    }
    expect(r.read('categorical', 3)).toBe('3');
    expect(r.effect).toBe(Effect.coerced);
  });

  it('when numbers are read then numeric strings are coerced and others are invalid', () => {
    expect(r.read('number', ' 12.5 ')).toBe(12.5);
    expect(r.effect).toBe(Effect.coerced);
    expect(r.read('number', -3)).toBe(-3);
    expect(r.effect).toBe(Effect.none);
    expect(r.read('integer', '2.5')).toBeNull();
    expect(r.effect).toBe(Effect.invalid);
    expect(r.read('integer', 'abc')).toBeNull();
    expect(r.effect).toBe(Effect.invalid);
    expect(r.read('number', 'null')).toBeNull();
    expect(r.effect).toBe(Effect.placeholder);
    expect(r.read('number', true)).toBeNull();
    expect(r.effect).toBe(Effect.invalid);
  });

  it('when booleans are read then 1/0 and yes/no forms are coerced', () => {
    expect(r.read('boolean', true)).toBe(true);
    expect(r.read('boolean', 1)).toBe(true);
    expect(r.read('boolean', 'Yes')).toBe(true);
    expect(r.read('boolean', 'f')).toBe(false);
    expect(r.effect).toBe(Effect.coerced);
    expect(r.read('boolean', 'maybe')).toBeNull();
    expect(r.effect).toBe(Effect.invalid);
  });

  it('when ids are read then numbers become strings and blanks become null, other text is kept', () => {
    expect(r.read('id', 42)).toBe('42');
    expect(r.effect).toBe(Effect.coerced);
    expect(r.read('id', '  ')).toBeNull();
    expect(r.effect).toBe(Effect.placeholder);
    expect(r.read('id', 'null')).toBe('null');
    expect(r.read('text', '  Hello ')).toBe('  Hello ');
  });

  it('when timestamps are read then they are rewritten in canonical UTC and ms is set', () => {
    const canonical = '2026-03-04T15:22:10.000Z';
    expect(r.read('timestamp', canonical)).toBe(canonical);
    expect(r.effect).toBe(Effect.none);
    expect(r.ms).toBe(utc(canonical));
    expect(r.read('timestamp', '2026-03-04T10:22:10-05:00')).toBe(canonical);
    expect(r.effect).toBe(Effect.timestampOffset);
    expect(r.read('timestamp', '2026-03-04 15:22:10')).toBe(canonical);
    expect(r.effect).toBe(Effect.timestampNaive);
    expect(r.read('timestamp', 'soon')).toBeNull();
    expect(r.effect).toBe(Effect.timestampUnparseable);
    expect(r.ms).toBeNaN();
    expect(r.read('timestamp', 'N/A')).toBeNull();
    expect(r.effect).toBe(Effect.placeholder);
    expect(r.read('timestamp', 1767225600000)).toBeNull();
    expect(r.effect).toBe(Effect.timestampUnparseable);
  });

  it('when time zones are read then IANA names are kept and others become null', () => {
    expect(r.read('timezone', 'America/New_York')).toBe('America/New_York');
    expect(r.read('timezone', ' Europe/Paris ')).toBe('Europe/Paris');
    expect(r.read('timezone', 'Mars/Olympus')).toBeNull();
    expect(r.effect).toBe(Effect.timezoneInvalid);
    expect(r.read('timezone', '+05:00')).toBeNull();
    expect(r.read('timezone', 'unknown')).toBeNull();
    expect(r.effect).toBe(Effect.placeholder);
  });

  it('when the value is null then it stays null with no effect', () => {
    for (const kind of ['id', 'categorical', 'timestamp', 'number', 'boolean', 'timezone', 'text'] as const) {
      expect(r.read(kind, null)).toBeNull();
      expect(r.effect).toBe(Effect.none);
    }
  });
});

describe('foldCategorical', () => {
  it('when the value has upper case, padding or non-ASCII then it is trimmed and lower-cased', () => {
    expect(foldCategorical(' Voice\t')).toBe('voice');
    expect(foldCategorical('ÉCOLE')).toBe('école');
    expect(foldCategorical('sms')).toBe('sms');
  });
});

describe('isIanaTimeZone', () => {
  it('when given names, aliases, offsets and garbage then only names and aliases pass', () => {
    expect(isIanaTimeZone('America/Chicago')).toBe(true);
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(isIanaTimeZone('+05:00')).toBe(false);
    expect(isIanaTimeZone('GMT+5')).toBe(false);
    expect(isIanaTimeZone('')).toBe(false);
  });
});

describe('snapshotColumnSpecs', () => {
  it('when the entity is contacts then hashed columns are strings, derived facts are appended and timezone is its own kind', () => {
    const specs = snapshotColumnSpecs(entityDef('contacts'));
    const by = Object.fromEntries(specs.map((s) => [s.name, s]));
    expect(by.email_hash?.kind).toBe('string');
    expect(by.first_name).toBeUndefined();
    expect(by.timezone?.kind).toBe('timezone');
    expect(by.lead_source?.kind).toBe('categorical');
    expect(by.is_test_hint?.kind).toBe('boolean');
    expect(by.email_domain_type?.kind).toBe('categorical');
    expect(specs.at(-1)?.name).toBe('is_test_hint');
  });

  it('when a column has allowed values then it is categorical and carries them', () => {
    const channel = snapshotColumnSpecs(entityDef('activities')).find((s) => s.name === 'channel');
    expect(channel?.kind).toBe('categorical');
    expect(channel?.allowed).toEqual(['sms', 'email', 'voice']);
  });
});

describe('formatTimestamp', () => {
  it('when given instants from year 0 to 9999 then it writes exactly what toISOString writes', () => {
    const start = new Date(0).setUTCFullYear(0, 0, 1);
    const end = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    const samples = [
      start,
      end,
      0,
      -1,
      Date.UTC(2024, 1, 29, 12),
      Date.UTC(2000, 2, 1),
      Date.UTC(1900, 1, 28, 23, 59, 59, 1),
    ];
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      samples.push(start + Math.floor((x / 2 ** 32) * (end - start)));
    }
    for (const ms of samples) expect(formatTimestamp(ms)).toBe(new Date(ms).toISOString());
  });
});
