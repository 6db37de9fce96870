// The database errors every adapter raises, worded once: they carry the redacted URL, the
// SQL text and the parameter count, never parameter values or credentials.

import { ExitCode, LeadliftError } from '../errors.js';
import type { UrlRole } from './url.js';
import { urlFix } from './url.js';

/** Longest SQL excerpt an error message carries. */
export const SQL_EXCERPT_CHARS = 300;

/** The driver's own message with any of `secrets` masked. */
export function driverMessage(cause: unknown, secrets: readonly (string | undefined)[] = []): string {
  let msg =
    cause instanceof AggregateError && cause.errors.length > 0
      ? cause.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')
      : cause instanceof Error
        ? cause.message || cause.name
        : String(cause);
  for (const s of secrets) if (s && s.length > 0) msg = msg.split(s).join('***');
  return msg;
}

/**
 * Masks quoted text in a driver message unless it appears in the SQL itself: a failed
 * cast quotes the offending value ('invalid input syntax for type integer: "…"'), which
 * can be PII, while quoted identifiers from the query are kept for the fix.
 */
export function scrubDataValues(message: string, sql: string): string {
  const lowerSql = sql.toLowerCase();
  return message.replace(/"([^"]*)"|'([^']*)'/g, (whole, dq: string | undefined, sq: string | undefined) => {
    const inner = (dq ?? sq ?? '').toLowerCase();
    // Servers fold unquoted names (PostgreSQL to lower case) and may qualify them.
    const parts = inner.split('.');
    return inner.length > 0 && parts.every((p) => lowerSql.includes(p)) ? whole : '"…"';
  });
}

/** First {@link SQL_EXCERPT_CHARS} characters of `sql`, whitespace collapsed. */
export function sqlExcerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > SQL_EXCERPT_CHARS ? `${flat.slice(0, SQL_EXCERPT_CHARS)}…` : flat;
}

/** `db.driverMissing`: the driver package can't be loaded; names the npm package to install. */
export function driverMissing(pkg: string, purpose: string, cause: unknown): LeadliftError {
  return new LeadliftError(
    'db.driverMissing',
    `The database driver "${pkg}" (${purpose}) could not be loaded: ${driverMessage(cause)}. Install it with \`npm install ${pkg}\` in the folder leadlift runs from (for better-sqlite3, \`npm rebuild better-sqlite3\` if it is installed but built for another Node version).`,
    { exitCode: ExitCode.database, details: { package: pkg }, cause },
  );
}

/** `db.unreachable` (exit 4): connecting failed; `fix` says what to check. */
export function unreachable(
  redactedUrl: string,
  cause: unknown,
  options: { role?: UrlRole | undefined; fix?: string; secrets?: readonly (string | undefined)[] } = {},
): LeadliftError {
  const fix =
    options.fix ??
    `check that the server is running and reachable, and the user, password and database name; ${urlFix(options.role)}`;
  return new LeadliftError(
    'db.unreachable',
    `Can't connect to ${redactedUrl}: ${driverMessage(cause, options.secrets)}. To fix, ${fix}.`,
    { exitCode: ExitCode.database, details: { url: redactedUrl }, cause },
  );
}

/** `db.queryFailed` (exit 4): the database rejected or failed a statement. */
export function queryFailed(
  sql: string,
  nParams: number,
  cause: unknown,
  options: { label?: string | undefined; secrets?: readonly (string | undefined)[] } = {},
): LeadliftError {
  const label = options.label ? ` (${options.label})` : '';
  return new LeadliftError(
    'db.queryFailed',
    `Query failed${label}: ${scrubDataValues(driverMessage(cause, options.secrets), sql)}.\nSQL (${nParams} parameter${nParams === 1 ? '' : 's'}): ${sqlExcerpt(sql)}\nTo fix, correct the query or the schema it reads; parameter values are not shown.`,
    {
      exitCode: ExitCode.database,
      details: { sql: sqlExcerpt(sql), params: nParams, ...(options.label ? { label: options.label } : {}) },
      cause,
    },
  );
}

/** `db.readOnlyViolation` (exit 4): a write reached a read-only source and the database refused it. */
export function readOnlyViolation(sql: string, cause: unknown, label?: string): LeadliftError {
  return new LeadliftError(
    'db.readOnlyViolation',
    `The source database refused a write${label ? ` in ${label}` : ''}: ${scrubDataValues(driverMessage(cause), sql)}. Sources are read-only: query files may only SELECT.\nSQL: ${sqlExcerpt(sql)}`,
    { exitCode: ExitCode.database, details: { sql: sqlExcerpt(sql), ...(label ? { label } : {}) }, cause },
  );
}

/** `db.unsupportedValue` (exit 4): a column returned a value leadlift can't keep (binary data). */
export function unsupportedValue(column: string, what: string, label?: string): LeadliftError {
  return new LeadliftError(
    'db.unsupportedValue',
    `Column "${column}"${label ? ` of ${label}` : ''} returned ${what}, which leadlift does not read. Select it as text (hex or base64) or leave it out of the query.`,
    { exitCode: ExitCode.database, details: { column, ...(label ? { label } : {}) } },
  );
}

/** `db.streamOpen` (exit 1, a bug): a second stream started on a connection whose stream is still open. */
export function streamOpen(): LeadliftError {
  return new LeadliftError(
    'db.streamOpen',
    'A source stream is still open on this connection; read it to the end (or break out of its loop) before starting the next one.',
    { exitCode: ExitCode.internal },
  );
}

/** `query.duplicateColumns` (exit 2): a query returns two columns with the same name. */
export function duplicateColumns(columns: readonly string[], label?: string): LeadliftError {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const c of columns) (seen.has(c) ? dups : seen).add(c);
  return new LeadliftError(
    'query.duplicateColumns',
    `${label ?? 'The query'} returns more than one column named ${[...dups].map((d) => `"${d}"`).join(', ')}; give each column a distinct alias (AS name).`,
    { details: { duplicates: [...dups], ...(label ? { label } : {}) } },
  );
}

/** Throws {@link duplicateColumns} when `columns` repeats a name. */
export function assertDistinctColumns(columns: readonly string[], label?: string): void {
  if (new Set(columns).size !== columns.length) throw duplicateColumns(columns, label);
}
