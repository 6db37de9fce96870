// The SQL Server target: DDL as plain batches, INSERTs of at most 1000 rows and 2098
// parameters, transactions with SAVE TRANSACTION savepoints.

import { LeadliftError } from '../../errors.js';
import type { Row, SourceFingerprint, SqlParams, SqlValue, TargetAdapter } from '../adapter.js';
import { assertDistinctColumns, queryFailed, unreachable } from '../errors.js';
import { mssqlHooks } from '../hooks.js';
import { namedParams } from '../sql-guard.js';
import { badRowWidth, insertSql, rowsPerInsert } from '../sql-text.js';
import { pickParams, rowFromArray } from '../stream.js';
import { runInTransaction, type TransactionState } from '../transaction.js';
import { hostOf, type ServerUrl } from '../url.js';
import { loadMssql, type MssqlModule, type MssqlPool, type MssqlTransaction, mssqlConfig } from './driver.js';

/** Connects to `url` for writing; `driver` replaces the mssql package (tests). */
export async function openMssqlTarget(url: ServerUrl, driver?: MssqlModule): Promise<MssqlTarget> {
  const sql = driver ?? (await loadMssql());
  const pool = new sql.ConnectionPool(mssqlConfig(url, 'target'));
  pool.on('error', () => {});
  try {
    await pool.connect();
  } catch (e) {
    await pool.close().catch(() => {});
    throw unreachable(url.redacted, e, { role: 'target', secrets: [url.password] });
  }
  return new MssqlTarget(sql, pool, url.password, {
    dialect: 'mssql',
    database: url.database,
    host: hostOf(url),
  });
}

/** A writable SQL Server connection. */
export class MssqlTarget implements TargetAdapter {
  readonly hooks = mssqlHooks;
  private readonly tx: TransactionState = { depth: 0 };
  private current: MssqlTransaction | null = null;
  private closed = false;

  constructor(
    private readonly sql: MssqlModule,
    private readonly pool: MssqlPool,
    private readonly password: string | undefined,
    readonly fingerprint: SourceFingerprint,
  ) {}

  private request() {
    return new this.sql.Request(this.current ?? this.pool);
  }

  private async batch(text: string): Promise<void> {
    try {
      await this.request().batch(text);
    } catch (e) {
      throw queryFailed(text, 0, e, { secrets: [this.password] });
    }
  }

  async execute(statements: readonly string[]): Promise<void> {
    for (const s of statements) await this.batch(s);
  }

  async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    if (rows.length === 0) return;
    if (this.tx.depth === 0) {
      await this.transaction(() => this.insertRowsNow(table, columns, rows));
    } else {
      await this.insertRowsNow(table, columns, rows);
    }
  }

  private async insertRowsNow(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    const nCols = columns.length;
    const per = rowsPerInsert(this.hooks, nCols);
    for (let start = 0; start < rows.length; start += per) {
      const n = Math.min(per, rows.length - start);
      const text = insertSql(this.hooks, table, columns, n);
      const req = this.request();
      let p = 0;
      for (let r = start; r < start + n; r++) {
        const row = rows[r]!;
        if (row.length !== nCols) throw badRowWidth(table, row.length, nCols);
        for (let c = 0; c < nCols; c++) req.input(`p${p++}`, row[c] ?? null);
      }
      try {
        await req.query(text);
      } catch (e) {
        throw queryFailed(text, p, e, { secrets: [this.password] });
      }
    }
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return runInTransaction(
      this.tx,
      this.hooks,
      {
        begin: async () => {
          const t = new this.sql.Transaction(this.pool);
          try {
            await t.begin();
          } catch (e) {
            throw queryFailed('BEGIN TRANSACTION', 0, e, { secrets: [this.password] });
          }
          this.current = t;
        },
        commit: async () => {
          const t = this.current;
          this.current = null;
          try {
            await t?.commit();
          } catch (e) {
            throw queryFailed('COMMIT TRANSACTION', 0, e, { secrets: [this.password] });
          }
        },
        rollback: async () => {
          const t = this.current;
          this.current = null;
          await t?.rollback();
        },
        exec: (text) => this.batch(text),
      },
      fn,
    );
  }

  async query(text: string, params: SqlParams = {}): Promise<Row[]> {
    const names = namedParams(text, { dialect: 'mssql' });
    const values = pickParams(names, params);
    const req = this.request();
    req.arrayRowMode = true;
    names.forEach((n, k) => {
      req.input(n, values[k]);
    });
    let result: Awaited<ReturnType<typeof req.batch>>;
    try {
      result = await req.query(text);
    } catch (e) {
      if (e instanceof LeadliftError) throw e;
      throw queryFailed(text, names.length, e, { secrets: [this.password] });
    }
    const columns = (result.columns?.[0] ?? []).map((c) => c.name);
    assertDistinctColumns(columns);
    return (result.recordset ?? []).map((r) => rowFromArray(columns, r));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.current) await this.current.rollback().catch(() => {});
    await this.pool.close().catch(() => {});
  }
}
