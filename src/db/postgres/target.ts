// The PostgreSQL target: plain statements, multi-row INSERTs sized under the 65535
// parameter limit (server-side prepared by name, so repeated batches parse once), and
// transactions with savepoints.

import { createHash } from 'node:crypto';
import type { Row, SourceFingerprint, SqlParams, SqlValue, TargetAdapter } from '../adapter.js';
import { assertDistinctColumns, queryFailed } from '../errors.js';
import { postgresHooks } from '../hooks.js';
import { namedParams, toPositional } from '../sql-guard.js';
import { badRowWidth, insertSql, rowsPerInsert } from '../sql-text.js';
import { pickParams, rowFromArray } from '../stream.js';
import { runInTransaction, type TransactionState } from '../transaction.js';
import { hostOf, type ServerUrl } from '../url.js';
import { connectPg, isWorded, leadliftTypes, type PgClient, type PgModule } from './driver.js';

/** Rows per INSERT at most: keeps statement text moderate even for narrow tables. */
const INSERT_BATCH_ROWS = 1000;

/** Connects to `url` for writing. `db.unreachable` when the server can't be reached or refuses the login. */
export async function openPostgresTarget(url: ServerUrl): Promise<PostgresTarget> {
  const { pg, client } = await connectPg(url, 'target');
  return new PostgresTarget(pg, client, url.password, {
    dialect: 'postgres',
    database: url.database,
    host: hostOf(url),
  });
}

/** A writable PostgreSQL connection. */
export class PostgresTarget implements TargetAdapter {
  readonly hooks = postgresHooks;
  private readonly tx: TransactionState = { depth: 0 };
  private closed = false;

  constructor(
    private readonly pg: PgModule,
    private readonly client: PgClient,
    private readonly password: string | undefined,
    readonly fingerprint: SourceFingerprint,
  ) {}

  private async run(
    sql: string,
    values: readonly unknown[] = [],
    name?: string,
  ): Promise<{ rows: unknown[][]; fields: readonly { name: string }[] }> {
    try {
      return await this.client.query({
        text: sql,
        values,
        rowMode: 'array',
        types: leadliftTypes(this.pg),
        ...(name ? { name } : {}),
      });
    } catch (e) {
      throw queryFailed(sql, values.length, e, { secrets: [this.password] });
    }
  }

  async execute(statements: readonly string[]): Promise<void> {
    for (const sql of statements) await this.run(sql);
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
    const per = Math.min(INSERT_BATCH_ROWS, rowsPerInsert(this.hooks, nCols));
    for (let start = 0; start < rows.length; start += per) {
      const n = Math.min(per, rows.length - start);
      const sql = insertSql(this.hooks, table, columns, n);
      const values: SqlValue[] = new Array(n * nCols);
      let k = 0;
      for (let r = start; r < start + n; r++) {
        const row = rows[r]!;
        if (row.length !== nCols) throw badRowWidth(table, row.length, nCols);
        for (let c = 0; c < nCols; c++) values[k++] = row[c] ?? null;
      }
      await this.run(sql, values, `leadlift_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`);
    }
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return runInTransaction(
      this.tx,
      this.hooks,
      {
        begin: async () => void (await this.run('BEGIN')),
        commit: async () => void (await this.run('COMMIT')),
        rollback: async () => void (await this.run('ROLLBACK')),
        exec: async (sql) => void (await this.run(sql)),
      },
      fn,
    );
  }

  async query(sql: string, params: SqlParams = {}): Promise<Row[]> {
    const names = namedParams(sql, { dialect: 'postgres' });
    const values = pickParams(names, params);
    const text = toPositional(sql, names, { dialect: 'postgres' });
    let result: { rows: unknown[][]; fields: readonly { name: string }[] };
    try {
      result = await this.client.query({ text, values, rowMode: 'array', types: leadliftTypes(this.pg) });
    } catch (e) {
      if (isWorded(e)) throw e;
      throw queryFailed(sql, names.length, e, { secrets: [this.password] });
    }
    const columns = result.fields.map((f) => f.name);
    assertDistinctColumns(columns);
    return (result.rows ?? []).map((r) => rowFromArray(columns, r));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => {});
  }
}
