// Tests of database URL parsing and password masking.

import { describe, expect, it } from 'vitest';
import { isLeadliftError, type LeadliftError } from '../errors.js';
import { parseDbUrl, redactUrl } from './url.js';

function badUrl(url: string, role?: 'source' | 'target'): LeadliftError {
  try {
    parseDbUrl(url, '/work', role);
  } catch (e) {
    if (isLeadliftError(e, 'db.badUrl')) return e;
    throw e;
  }
  throw new Error(`accepted ${url}`);
}

describe('parseDbUrl', () => {
  it('when a sqlite path is relative then it is resolved against cwd', () => {
    expect(parseDbUrl('sqlite:tmp/demo/a.sqlite', '/work')).toMatchObject({
      dialect: 'sqlite',
      file: '/work/tmp/demo/a.sqlite',
    });
    expect(parseDbUrl('sqlite:/data/a.sqlite', '/work')).toMatchObject({
      file: '/data/a.sqlite',
      memory: false,
    });
  });

  it('when the sqlite URL is :memory: then it is an in-memory database', () => {
    expect(parseDbUrl('sqlite::memory:', '/work')).toMatchObject({
      dialect: 'sqlite',
      file: ':memory:',
      memory: true,
    });
  });

  it('when a postgres URL has user, password, port and database then each is parsed and the password decoded', () => {
    const u = parseDbUrl('postgresql://ana:p%40ss@db.example:6543/cory?sslmode=require', '/work');
    expect(u).toMatchObject({
      dialect: 'postgres',
      host: 'db.example',
      port: 6543,
      database: 'cory',
      user: 'ana',
      password: 'p@ss',
      params: { sslmode: 'require' },
    });
    expect(u.redacted).toBe('postgresql://ana:***@db.example:6543/cory?sslmode=require');
  });

  it('when an mssql or sqlserver URL has no port then 1433 is used and its options are parsed', () => {
    const u = parseDbUrl('sqlserver://sa:x@sql1/Cory?encrypt=true&trustServerCertificate=true', '/work');
    expect(u).toMatchObject({ dialect: 'mssql', host: 'sql1', port: 1433, database: 'Cory' });
    expect(u.dialect === 'mssql' && u.params).toEqual({ encrypt: 'true', trustServerCertificate: 'true' });
  });

  it('when the scheme is unknown then db.badUrl (exit 2) shows the redacted URL, the accepted forms and the flag', () => {
    const e = badUrl('mysql://root:hunter2@h/db', 'source');
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('hunter2');
    expect(e.message).toContain('mysql://root:***@h/db');
    expect(e.message).toContain('sqlite:');
    expect(e.message).toContain('postgres://');
    expect(e.message).toContain('mssql://');
    expect(e.message).toContain('--source-url');
    expect(e.message).toContain('LEADLIFT_SOURCE_URL');
  });

  it('when the role is target then the fix names --target-url and LEADLIFT_TARGET_URL', () => {
    const e = badUrl('nonsense', 'target');
    expect(e.message).toContain('--target-url');
    expect(e.message).toContain('LEADLIFT_TARGET_URL');
  });

  it.each([
    ['no scheme', 'localhost/db'],
    ['no host', 'postgres:///db'],
    ['no database', 'postgres://u:secret@host:5432'],
    ['a bad port', 'postgres://u:secret@host:99999/db'],
    ['sqlite://', 'sqlite://x.db'],
    ['an empty sqlite path', 'sqlite:'],
    ['an unknown mssql option', 'mssql://u:secret@h/db?encript=true'],
    ['a non-boolean mssql flag', 'mssql://u:secret@h/db?encrypt=yes'],
  ])('when the URL has %s then it is refused without showing the password', (_what, url) => {
    const e = badUrl(url);
    expect(e.message).not.toContain('secret');
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://u:pw@h/db', 'postgres://u:***@h/db'],
    ['mssql://u:p@ss/word#x@h:1433/db', 'mssql://u:***@h:1433/db'],
    ['postgres://h/db?password=pw&x=1', 'postgres://h/db?password=***&x=1'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['sqlite:tmp/x.sqlite', 'sqlite:tmp/x.sqlite'],
  ])('when given %s then it shows %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});
