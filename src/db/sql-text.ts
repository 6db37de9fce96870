// SQL text generation shared by the target adapters: pure functions of the dialect hooks,
// so the T-SQL can be checked without a server.

import { LeadliftError } from '../errors.js';
import type { DialectHooks } from './adapter.js';

/**
 * The physical, quoted name of `table`: a reference name `schema.table` goes through
 * `hooks.tableName` (SQLite: "schema_table"); a bare name is quoted as it is.
 */
export function physicalTable(hooks: DialectHooks, table: string): string {
  const dot = table.indexOf('.');
  return dot < 0 ? hooks.quoteIdent(table) : hooks.tableName(table.slice(0, dot), table.slice(dot + 1));
}

/** Rows per INSERT statement for `nColumns` columns: the most the dialect's parameter and row limits allow. */
export function rowsPerInsert(hooks: DialectHooks, nColumns: number): number {
  if (nColumns < 1)
    throw new LeadliftError('db.badInsert', 'insertRows needs at least one column.', { exitCode: 1 });
  if (nColumns > hooks.maxParams) {
    throw new LeadliftError(
      'db.badInsert',
      `insertRows got ${nColumns} columns; ${hooks.dialect} allows at most ${hooks.maxParams} parameters per statement.`,
      { exitCode: 1 },
    );
  }
  return Math.max(1, Math.min(hooks.maxRowsPerInsert, Math.floor(hooks.maxParams / nColumns)));
}

/**
 * `INSERT INTO <table> (<columns>) VALUES (…), (…)` for `nRows` rows, with the dialect's
 * placeholders numbered row by row (`?`, `$1`, `@p0`). `table` as in {@link physicalTable}.
 */
export function insertSql(
  hooks: DialectHooks,
  table: string,
  columns: readonly string[],
  nRows: number,
): string {
  const nCols = columns.length;
  const tuples: string[] = new Array(nRows);
  let p = 0;
  for (let r = 0; r < nRows; r++) {
    const ph: string[] = new Array(nCols);
    for (let c = 0; c < nCols; c++) ph[c] = hooks.placeholder(p++);
    tuples[r] = `(${ph.join(', ')})`;
  }
  const cols = columns.map((c) => hooks.quoteIdent(c)).join(', ');
  return `INSERT INTO ${physicalTable(hooks, table)} (${cols}) VALUES ${tuples.join(', ')}`;
}

/** `db.badInsert` (exit 1, a caller's bug): a row of `got` values for `want` columns. */
export function badRowWidth(table: string, got: number, want: number): LeadliftError {
  return new LeadliftError(
    'db.badInsert',
    `insertRows into ${table} got a row of ${got} values for ${want} columns.`,
    {
      exitCode: 1,
    },
  );
}
