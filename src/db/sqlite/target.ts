// The SQLite target: a writable file (created on request) for the demo database and local
// score tables. Bulk inserts reuse cached multi-row prepared statements inside one
// transaction, which is what makes a 20M-row demo load take minutes rather than hours.

import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { LeadliftError } from '../../errors.js';
import type { Row, SourceFingerprint, SqlParams, SqlValue, TargetAdapter } from '../adapter.js';
import { assertDistinctColumns, queryFailed, unreachable } from '../errors.js';
import { sqliteHooks } from '../hooks.js';
import { namedParams } from '../sql-guard.js';
import { badRowWidth, insertSql, rowsPerInsert } from '../sql-text.js';
import { pickParams, rowFromArray } from '../stream.js';
import { runInTransaction, type TransactionState } from '../transaction.js';
import type { SqliteUrl } from '../url.js';
import { bindValue, loadSqliteDriver, type SqliteDatabase, type SqliteStatement } from './driver.js';

/**
 * Rows per multi-row INSERT. Measured on 1M rows of 12 columns: 1 row/statement 4.7 s,
 * 32 rows 3.6 s, 128 rows 3.0 s, 1000 rows 3.2 s (the B-tree dominates past ~100). The
 * parameter limit (32766) lowers it for very wide tables.
 */
const INSERT_BATCH_ROWS = 128;
/** Prepared statements kept per connection. */
const STATEMENT_CACHE_SIZE = 64;

/** Options of {@link openSqliteTarget}. */
export interface SqliteTargetOptions {
  /**
   * Create the file (and its folder) when missing, and tune the connection for a bulk
   * load (synchronous=OFF: a crash mid-load can corrupt the file, fine for a demo
   * database that is rebuilt). Default false: the file must exist.
   */
  readonly create?: boolean;
}

/** Opens `url` for writing. `db.unreachable` when the file is missing (without `create`) or can't be opened. */
export async function openSqliteTarget(
  url: SqliteUrl,
  options: SqliteTargetOptions = {},
): Promise<SqliteTarget> {
  const fix = options.create
    ? 'check that the folder is writable; set --target-url or LEADLIFT_TARGET_URL'
    : 'check the path (relative paths are resolved from the current folder) or create the database first; set --target-url or LEADLIFT_TARGET_URL';
  if (!url.memory && !options.create && !existsSync(url.file)) {
    throw unreachable(url.redacted, new Error(`no such file ${url.file}`), { role: 'target', fix });
  }
  const Database = await loadSqliteDriver();
  let db: SqliteDatabase;
  try {
    if (!url.memory && options.create) mkdirSync(dirname(url.file), { recursive: true });
    db = new Database(url.file, { fileMustExist: !url.memory && !options.create });
    if (!url.memory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.create ? 'OFF' : 'NORMAL'}`);
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
  } catch (e) {
    throw unreachable(url.redacted, e, { role: 'target', fix });
  }
  return new SqliteTarget(db, { dialect: 'sqlite', database: url.memory ? ':memory:' : basename(url.file) });
}

/** A writable SQLite connection. */
export class SqliteTarget implements TargetAdapter {
  readonly hooks = sqliteHooks;
  private readonly tx: TransactionState = { depth: 0 };
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly db: SqliteDatabase,
    readonly fingerprint: SourceFingerprint,
  ) {}

  async execute(statements: readonly string[]): Promise<void> {
    for (const sql of statements) {
      try {
        this.db.exec(sql);
      } catch (e) {
        throw queryFailed(sql, 0, e);
      }
    }
  }

  async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    if (rows.length === 0) return;
    if (this.tx.depth === 0) {
      await this.transaction(async () => this.insertRowsNow(table, columns, rows));
    } else {
      this.insertRowsNow(table, columns, rows);
    }
  }

  private insertRowsNow(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): void {
    const nCols = columns.length;
    const per = Math.min(INSERT_BATCH_ROWS, rowsPerInsert(this.hooks, nCols));
    const nFull = Math.floor(rows.length / per);
    let r = 0;
    if (nFull > 0) {
      const stmt = this.prepared(table, columns, per);
      const buf: unknown[] = new Array(per * nCols);
      for (let b = 0; b < nFull; b++) {
        let k = 0;
        for (let i = 0; i < per; i++, r++) k = fill(buf, k, rows[r]!, nCols, table);
        this.run(stmt, buf, table, columns, per);
      }
    }
    if (r < rows.length) {
      const stmt = this.prepared(table, columns, 1);
      const buf: unknown[] = new Array(nCols);
      for (; r < rows.length; r++) {
        fill(buf, 0, rows[r]!, nCols, table);
        this.run(stmt, buf, table, columns, 1);
      }
    }
  }

  private run(
    stmt: SqliteStatement,
    values: unknown[],
    table: string,
    columns: readonly string[],
    nRows: number,
  ): void {
    try {
      stmt.run(values);
    } catch (e) {
      throw queryFailed(insertSql(this.hooks, table, columns, nRows), values.length, e);
    }
  }

  private prepared(table: string, columns: readonly string[], nRows: number): SqliteStatement {
    const key = `${table}\u0000${columns.join('\u0001')}\u0000${nRows}`;
    let stmt = this.statements.get(key);
    if (stmt) {
      // Refresh its place in the LRU order.
      this.statements.delete(key);
    } else {
      const sql = insertSql(this.hooks, table, columns, nRows);
      try {
        stmt = this.db.prepare(sql);
      } catch (e) {
        throw queryFailed(sql, nRows * columns.length, e);
      }
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(key, stmt);
    return stmt;
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return runInTransaction(
      this.tx,
      this.hooks,
      {
        begin: async () => void this.exec('BEGIN IMMEDIATE'),
        commit: async () => void this.exec('COMMIT'),
        rollback: async () => {
          if (this.db.inTransaction) this.exec('ROLLBACK');
        },
        exec: async (sql) => void this.exec(sql),
      },
      fn,
    );
  }

  private exec(sql: string): void {
    try {
      this.db.exec(sql);
    } catch (e) {
      throw queryFailed(sql, 0, e);
    }
  }

  async query(sql: string, params: SqlParams = {}): Promise<Row[]> {
    const names = namedParams(sql, { dialect: 'sqlite' });
    const values = pickParams(names, params);
    const bound: Record<string, unknown> = {};
    names.forEach((n, k) => {
      bound[n] = bindValue(values[k]);
    });
    const args = names.length > 0 ? [bound] : [];
    try {
      const stmt = this.db.prepare(sql);
      if (!stmt.reader) {
        stmt.run(...args);
        return [];
      }
      const columns = stmt.columns().map((c) => c.name);
      assertDistinctColumns(columns);
      return stmt
        .raw(true)
        .all(...args)
        .map((r) => rowFromArray(columns, r));
    } catch (e) {
      if (e instanceof LeadliftError) throw e;
      throw queryFailed(sql, names.length, e);
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

/** Copies one row into `buf` from offset `k` (booleans as 1/0) and returns the next offset. */
function fill(buf: unknown[], k: number, row: readonly SqlValue[], nCols: number, table: string): number {
  if (row.length !== nCols) throw badRowWidth(table, row.length, nCols);
  for (let c = 0; c < nCols; c++) {
    const v = row[c];
    buf[k++] = typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v;
  }
  return k;
}
