// The part of pg and pg-cursor leadlift calls, declared here so the drivers load only for
// postgres:// URLs, plus connection setup and error classification shared by source and
// target.

import { LeadliftError } from '../../errors.js';
import { unreachable } from '../errors.js';
import { importDriver } from '../stream.js';
import type { ServerUrl, UrlRole } from '../url.js';

/** A column of a result. */
export interface PgField {
  readonly name: string;
}

/** A query result in array row mode. */
export interface PgResult {
  readonly rows: unknown[][];
  readonly fields: readonly PgField[];
}

/** Type parsers for one query: text of a value of type `oid` → JS value. */
export interface PgTypes {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

/** A query config in array row mode; `name` makes the server keep the parsed statement. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values?: readonly unknown[];
  readonly name?: string;
  readonly rowMode: 'array';
  readonly types: PgTypes;
}

/** A pg-cursor cursor. */
export interface PgCursor {
  read(
    rows: number,
    cb: (err: Error | undefined, rows: unknown[][], result: { fields: readonly PgField[] }) => void,
  ): void;
  close(): Promise<void>;
}

/** A pg client. */
export interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  query(config: PgQueryConfig): Promise<PgResult>;
  query<C extends PgCursor>(cursor: C): C;
  end(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

/** The pg module's default export. */
export interface PgModule {
  readonly Client: new (config: Record<string, unknown>) => PgClient;
  readonly types: PgTypes;
}

/** pg-cursor's default export. */
export type PgCursorConstructor = new (
  text: string,
  values: readonly unknown[],
  config: { rowMode: 'array'; types: PgTypes },
) => PgCursor;

/** Loads pg. */
export function loadPg(): Promise<PgModule> {
  return importDriver<PgModule>('pg', 'PostgreSQL');
}

/** Loads pg-cursor, which streams a result in batches instead of buffering it whole. */
export function loadPgCursor(): Promise<PgCursorConstructor> {
  return importDriver<PgCursorConstructor>('pg-cursor', 'PostgreSQL streaming');
}

const TIMESTAMP_OID = 1114;
const DATE_OID = 1082;

/**
 * pg's parsers with two changes: `timestamp without time zone` is read as UTC (pg reads it
 * in the process's local zone), and `date` stays 'YYYY-MM-DD' text (pg makes a local
 * midnight Date). Everything else as pg does: int8 and numeric as strings, timestamptz
 * as Date (then ISO text, see normalizeValue).
 */
export function leadliftTypes(pg: PgModule): PgTypes {
  const utcTimestamp = (s: string): unknown => {
    const d = new Date(`${s.replace(' ', 'T')}Z`);
    return Number.isNaN(d.getTime()) ? s : d.toISOString();
  };
  return {
    getTypeParser(oid, format) {
      if (format === undefined || format === 'text') {
        if (oid === TIMESTAMP_OID) return utcTimestamp;
        if (oid === DATE_OID) return (s) => s;
      }
      return pg.types.getTypeParser(oid, format);
    },
  };
}

/** SQLSTATE of a PostgreSQL error, if any. */
export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLSTATE 25006: a write in a read-only transaction. */
export const READ_ONLY_SQL_TRANSACTION = '25006';

/** Connects a client for `url`, turning every failure into `db.unreachable` without the password. */
export async function connectPg(url: ServerUrl, role: UrlRole): Promise<{ pg: PgModule; client: PgClient }> {
  const pg = await loadPg();
  const config: Record<string, unknown> = {
    connectionString: url.url,
    application_name: 'leadlift',
    types: leadliftTypes(pg),
  };
  if (url.params.connect_timeout === undefined) config.connectionTimeoutMillis = 15_000;
  let client: PgClient;
  try {
    client = new pg.Client(config);
  } catch (e) {
    throw unreachable(url.redacted, e, { role, secrets: [url.password] });
  }
  // A connection lost while idle is reported on the next query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw unreachable(url.redacted, e, { role, secrets: [url.password] });
  }
  return { pg, client };
}

/** True for a LeadliftError (already worded) rather than a driver error. */
export function isWorded(e: unknown): e is LeadliftError {
  return e instanceof LeadliftError;
}
