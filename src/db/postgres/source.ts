// The PostgreSQL source: a session whose transactions default to read only, every stream
// inside its own BEGIN TRANSACTION READ ONLY, read through a cursor in batches.

import type { SourceFingerprint, SqlParams } from '../adapter.js';
import { assertDistinctColumns, queryFailed, readOnlyViolation, streamOpen, unreachable } from '../errors.js';
import { postgresHooks } from '../hooks.js';
import { OneStreamSource } from '../source-base.js';
import { namedParams, toPositional } from '../sql-guard.js';
import { type BatchSource, pickParams } from '../stream.js';
import { hostOf, type ServerUrl } from '../url.js';
import {
  connectPg,
  isWorded,
  leadliftTypes,
  loadPgCursor,
  type PgClient,
  type PgCursor,
  type PgCursorConstructor,
  type PgField,
  type PgModule,
  READ_ONLY_SQL_TRANSACTION,
  sqlState,
} from './driver.js';

/** Rows fetched from the cursor per round trip. */
const BATCH_ROWS = 2000;

/** Connects to `url` read-only. `db.unreachable` when the server can't be reached or refuses the login. */
export async function openPostgresSource(url: ServerUrl): Promise<PostgresSource> {
  const Cursor = await loadPgCursor();
  const { pg, client } = await connectPg(url, 'source');
  try {
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
  } catch (e) {
    await client.end().catch(() => {});
    throw unreachable(url.redacted, e, { role: 'source', secrets: [url.password] });
  }
  return new PostgresSource(pg, client, Cursor, url.password, {
    dialect: 'postgres',
    database: url.database,
    host: hostOf(url),
  });
}

/** A read-only PostgreSQL connection. One stream at a time. */
export class PostgresSource extends OneStreamSource {
  readonly hooks = postgresHooks;
  private closed = false;

  constructor(
    private readonly pg: PgModule,
    private readonly client: PgClient,
    private readonly Cursor: PgCursorConstructor,
    private readonly password: string | undefined,
    readonly fingerprint: SourceFingerprint,
  ) {
    super();
  }

  protected async open(
    sql: string,
    params: SqlParams,
    label: string | undefined,
    token: object,
  ): Promise<BatchSource> {
    if (this.active) throw streamOpen();
    const names = namedParams(sql, { dialect: 'postgres' });
    const values = pickParams(names, params, label);
    const text = toPositional(sql, names, { dialect: 'postgres' });
    const fail = (e: unknown) =>
      isWorded(e)
        ? e
        : sqlState(e) === READ_ONLY_SQL_TRANSACTION
          ? readOnlyViolation(sql, e, label)
          : queryFailed(sql, names.length, e, { label, secrets: [this.password] });
    this.active = token;
    let cursor: PgCursor | null = null;
    let finished = false;
    const close = async () => {
      if (finished) return;
      finished = true;
      try {
        await cursor?.close();
      } finally {
        await this.client.query('ROLLBACK').catch(() => {});
      }
    };
    this.closeActive = close;
    let first: { rows: unknown[][]; fields: readonly PgField[] };
    try {
      await this.client.query('BEGIN TRANSACTION READ ONLY');
      cursor = this.client.query(
        new this.Cursor(text, values, { rowMode: 'array', types: leadliftTypes(this.pg) }),
      );
      first = await read(cursor, BATCH_ROWS);
    } catch (e) {
      await close().catch(() => {});
      throw fail(e);
    }
    const columns = first.fields.map((f) => f.name);
    try {
      assertDistinctColumns(columns, label);
    } catch (e) {
      await close().catch(() => {});
      throw e;
    }
    let pending: unknown[][] | null = first.rows;
    return {
      columns,
      label,
      next: async (): Promise<unknown[][] | null> => {
        let rows = pending;
        pending = null;
        if (rows === null) {
          if (finished || cursor === null) return null;
          try {
            rows = (await read(cursor, BATCH_ROWS)).rows;
          } catch (e) {
            await close().catch(() => {});
            throw fail(e);
          }
        }
        if (rows.length === 0) return null;
        return rows;
      },
      close,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeActive?.().catch(() => {});
    await this.client.end().catch(() => {});
  }
}

function read(cursor: PgCursor, n: number): Promise<{ rows: unknown[][]; fields: readonly PgField[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(n, (err, rows, result) =>
      err ? reject(err) : resolve({ rows, fields: result?.fields ?? [] }),
    );
  });
}
