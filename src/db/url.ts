// Database URLs: parsing the three accepted forms into connection facts, and masking the
// password wherever a URL is shown.

import { isAbsolute, resolve } from 'node:path';
import { LeadliftError } from '../errors.js';
import type { Dialect } from './adapter.js';

/** Which configuration key a URL came from; decides the flag and variable an error names. */
export type UrlRole = 'source' | 'target';

/** A parsed `sqlite:` URL. */
export interface SqliteUrl {
  readonly dialect: 'sqlite';
  /** Absolute file path, or `:memory:`. */
  readonly file: string;
  readonly memory: boolean;
  /** The URL with any password masked. */
  readonly redacted: string;
}

/** A parsed server URL (`postgres://`, `postgresql://`, `mssql://`, `sqlserver://`). */
export interface ServerUrl {
  readonly dialect: 'postgres' | 'mssql';
  readonly host: string;
  /** Port; default 5432 (PostgreSQL) or 1433 (SQL Server). */
  readonly port: number;
  readonly database: string;
  readonly user?: string;
  /** The password, decoded. Never print it: use `redacted`. */
  readonly password?: string;
  /** Query parameters, decoded (PostgreSQL passes them to the driver; SQL Server's are validated). */
  readonly params: Readonly<Record<string, string>>;
  /** The original URL, for drivers that take a connection string. Never print it. */
  readonly url: string;
  /** The URL with the password masked. */
  readonly redacted: string;
}

/** A parsed database URL. */
export type DbUrl = SqliteUrl | ServerUrl;

/** The accepted URL forms, as shown in errors and help. */
export const URL_FORMS: readonly string[] = [
  'sqlite:relative/or/absolute/file.sqlite',
  'sqlite::memory:',
  'postgres://user:password@host:5432/database (or postgresql://)',
  'mssql://user:password@host:1433/database?encrypt=true&trustServerCertificate=false (or sqlserver://)',
];

/** SQL Server URL query parameters leadlift understands. */
export const MSSQL_URL_PARAMS: readonly string[] = [
  'encrypt',
  'trustServerCertificate',
  'instanceName',
  'connectTimeout',
  'requestTimeout',
];

const SECRET_PARAM = /([?&](?:password|pwd|passwd|sslpassword)=)[^&#]*/gi;

/**
 * Masks the password of `url` (`postgres://u:***@h/db`) and of `password=`-style query
 * parameters. Works on malformed URLs too, so errors can always show what was given.
 */
export function redactUrl(url: string): string {
  let out = url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(url);
  if (m) {
    // Up to the last "@": a password may hold an unencoded "@", "/" or "#"; masking too
    // much is better than showing part of a password.
    const rest = m[2]!;
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (at >= 0 && colon >= 0 && colon < at) out = `${m[1]}${rest.slice(0, colon)}:***${rest.slice(at)}`;
  }
  return out.replace(SECRET_PARAM, '$1***');
}

/** `--source-url` / LEADLIFT_SOURCE_URL, or both flags when the role is unknown. */
export function urlFix(role?: UrlRole): string {
  if (role === 'source') return 'set --source-url or LEADLIFT_SOURCE_URL (or sourceUrl in the config file)';
  if (role === 'target') return 'set --target-url or LEADLIFT_TARGET_URL (or targetUrl in the config file)';
  return 'set --source-url / LEADLIFT_SOURCE_URL or --target-url / LEADLIFT_TARGET_URL';
}

function badUrl(url: string, problem: string, role: UrlRole | undefined): LeadliftError {
  return new LeadliftError(
    'db.badUrl',
    `Database URL "${redactUrl(url)}" ${problem}. Accepted forms:\n  ${URL_FORMS.join('\n  ')}\nTo fix, ${urlFix(role)}.`,
    { details: { url: redactUrl(url), ...(role ? { role } : {}) } },
  );
}

/**
 * Parses a database URL. `sqlite:` paths are resolved against `cwd`. Throws `db.badUrl`
 * (exit code 2) for an unknown scheme or a malformed URL, naming the flag and environment
 * variable of `role` (default: both).
 */
export function parseDbUrl(url: string, cwd: string, role?: UrlRole): DbUrl {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) throw badUrl(url, 'has no scheme', role);
  if (scheme === 'sqlite') return parseSqlite(trimmed, cwd, role);
  const dialect: Dialect | undefined =
    scheme === 'postgres' || scheme === 'postgresql'
      ? 'postgres'
      : scheme === 'mssql' || scheme === 'sqlserver'
        ? 'mssql'
        : undefined;
  if (dialect === undefined) throw badUrl(url, `has an unknown scheme "${scheme}:"`, role);
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw badUrl(url, 'is malformed', role);
  }
  if (!trimmed.slice(scheme.length + 1).startsWith('//') || u.hostname === '') {
    throw badUrl(url, 'has no host', role);
  }
  const database = decode(u.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw badUrl(url, 'names no database (write it after the host: …@host:port/database)', role);
  }
  const port = u.port === '' ? (dialect === 'postgres' ? 5432 : 1433) : Number(u.port);
  const params: Record<string, string> = {};
  for (const [k, v] of u.searchParams) params[k] = v;
  if (dialect === 'mssql') {
    const unknown = Object.keys(params).filter((k) => !MSSQL_URL_PARAMS.includes(k));
    if (unknown.length > 0) {
      throw badUrl(
        url,
        `has unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (allowed: ${MSSQL_URL_PARAMS.join(', ')})`,
        role,
      );
    }
    for (const k of ['encrypt', 'trustServerCertificate']) {
      const v = params[k];
      if (v !== undefined && v !== 'true' && v !== 'false')
        throw badUrl(url, `has ${k}=${v}; use true or false`, role);
    }
    for (const k of ['connectTimeout', 'requestTimeout']) {
      const v = params[k];
      if (v !== undefined && !/^[0-9]+$/.test(v))
        throw badUrl(url, `has ${k}=${v}; use milliseconds (0: none)`, role);
    }
  }
  const user = decode(u.username);
  const password = decode(u.password);
  return {
    dialect,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    database,
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    params,
    url: trimmed,
    redacted: redactUrl(trimmed),
  };
}

function parseSqlite(url: string, cwd: string, role: UrlRole | undefined): SqliteUrl {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:') return { dialect: 'sqlite', file: ':memory:', memory: true, redacted: url };
  if (rest.startsWith('//')) {
    throw badUrl(url, 'uses "sqlite://"; write the path right after "sqlite:"', role);
  }
  if (rest === '') throw badUrl(url, 'names no file', role);
  const path = decode(rest);
  return {
    dialect: 'sqlite',
    file: isAbsolute(path) ? path : resolve(cwd, path),
    memory: false,
    redacted: url,
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Host[:port] of a parsed URL for fingerprints and messages: never the user or password. */
export function hostOf(u: ServerUrl): string {
  const host = u.host.includes(':') ? `[${u.host}]` : u.host;
  return `${host}:${u.port}`;
}
