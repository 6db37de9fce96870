// The SQLite source: the file opened read-only (and query_only), statements streamed with
// better-sqlite3's iterator in batches.

import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { LeadliftError } from '../../errors.js';
import type { SourceFingerprint, SqlParams } from '../adapter.js';
import { assertDistinctColumns, queryFailed, readOnlyViolation, streamOpen, unreachable } from '../errors.js';
import { sqliteHooks } from '../hooks.js';
import { OneStreamSource } from '../source-base.js';
import { namedParams } from '../sql-guard.js';
import { type BatchSource, pickParams } from '../stream.js';
import type { SqliteUrl } from '../url.js';
import { bindValue, isReadOnlyError, loadSqliteDriver, type SqliteDatabase } from './driver.js';

/** Rows read from the iterator per batch. */
const BATCH_ROWS = 1000;

/** Opens `url` read-only. `db.unreachable` when the file is missing or not an SQLite database. */
export async function openSqliteSource(url: SqliteUrl): Promise<SqliteSource> {
  if (url.memory) {
    throw new LeadliftError(
      'db.badUrl',
      'sqlite::memory: cannot be a source: a new in-memory database is empty. Point --source-url (or LEADLIFT_SOURCE_URL) at an SQLite file.',
    );
  }
  const fix =
    'check the path (relative paths are resolved from the current folder) or build the demo database first; set --source-url or LEADLIFT_SOURCE_URL';
  if (!existsSync(url.file)) {
    throw unreachable(url.redacted, new Error(`no such file ${url.file}`), { role: 'source', fix });
  }
  const Database = await loadSqliteDriver();
  let db: SqliteDatabase;
  try {
    db = new Database(url.file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw unreachable(url.redacted, e, { role: 'source', fix });
  }
  try {
    // Belt and braces: query_only refuses writes even where a read-only open would not (e.g. ATTACH).
    db.pragma('query_only = ON');
    db.prepare('SELECT count(*) FROM sqlite_master').raw(true).all();
  } catch (e) {
    db.close();
    throw unreachable(url.redacted, e, {
      role: 'source',
      fix: `check that ${url.file} is an SQLite database; ${fix}`,
    });
  }
  return new SqliteSource(db, { dialect: 'sqlite', database: basename(url.file) });
}

/** A read-only SQLite connection. One stream at a time. */
export class SqliteSource extends OneStreamSource {
  readonly hooks = sqliteHooks;

  constructor(
    private readonly db: SqliteDatabase,
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
    const names = namedParams(sql, { dialect: 'sqlite' });
    const values = pickParams(names, params, label);
    const bound: Record<string, unknown> = {};
    names.forEach((n, k) => {
      bound[n] = bindValue(values[k]);
    });
    const args = names.length > 0 ? [bound] : [];
    const fail = (e: unknown) =>
      isReadOnlyError(e) ? readOnlyViolation(sql, e, label) : queryFailed(sql, names.length, e, { label });
    let iterator: IterableIterator<unknown[]> | null = null;
    let columns: string[] = [];
    try {
      const stmt = this.db.prepare(sql);
      if (!stmt.reader) {
        stmt.run(...args);
      } else {
        columns = stmt.columns().map((c) => c.name);
        assertDistinctColumns(columns, label);
        iterator = stmt.raw(true).iterate(...args);
      }
    } catch (e) {
      if (e instanceof LeadliftError) throw e;
      throw fail(e);
    }
    this.active = token;
    let done = iterator === null;
    const close = async () => {
      if (!done) {
        done = true;
        iterator?.return?.();
      }
    };
    this.closeActive = close;
    return {
      columns,
      label,
      next: async () => {
        if (done || iterator === null) return null;
        const batch: unknown[][] = [];
        try {
          while (batch.length < BATCH_ROWS) {
            const r = iterator.next();
            if (r.done) {
              done = true;
              break;
            }
            batch.push(r.value);
          }
        } catch (e) {
          await close();
          if (e instanceof LeadliftError) throw e;
          throw fail(e);
        }
        return batch.length > 0 ? batch : null;
      },
      close,
    };
  }

  async close(): Promise<void> {
    await this.closeActive?.();
    if (this.db.open) this.db.close();
  }
}
