// The dialect hooks: identifier quoting, physical table names, placeholders and batch
// limits. Everything else in db/ is written once against these.

import type { Dialect, DialectHooks } from './adapter.js';

const doubleQuote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const bracket = (name: string): string => `[${name.replaceAll(']', ']]')}]`;

const ansiSavepoints = {
  savepoint: (name: string) => `SAVEPOINT ${doubleQuote(name)}`,
  releaseSavepoint: (name: string) => `RELEASE SAVEPOINT ${doubleQuote(name)}`,
  rollbackToSavepoint: (name: string) => `ROLLBACK TO SAVEPOINT ${doubleQuote(name)}`,
};

/** SQLite: no schemas, so `education.campaigns` is the table "education_campaigns". */
export const sqliteHooks: DialectHooks = {
  dialect: 'sqlite',
  quoteIdent: doubleQuote,
  tableName: (schema, table) => doubleQuote(schema ? `${schema}_${table}` : table),
  placeholder: () => '?',
  // SQLITE_MAX_VARIABLE_NUMBER since 3.32.
  maxParams: 32766,
  maxRowsPerInsert: Number.POSITIVE_INFINITY,
  // With STAT4 (better-sqlite3 builds with it) the planner then knows how much of a table
  // a window covers, and scans instead of seeking an index when the window is most of it.
  updateStatistics: ['ANALYZE'],
  ...ansiSavepoints,
};

/** PostgreSQL: "schema"."table", $n placeholders. */
export const postgresHooks: DialectHooks = {
  dialect: 'postgres',
  quoteIdent: doubleQuote,
  tableName: (schema, table) =>
    schema ? `${doubleQuote(schema)}.${doubleQuote(table)}` : doubleQuote(table),
  placeholder: (index) => `$${index + 1}`,
  // The protocol counts parameters in 16 bits.
  maxParams: 65535,
  maxRowsPerInsert: Number.POSITIVE_INFINITY,
  updateStatistics: ['ANALYZE'],
  ...ansiSavepoints,
};

/** SQL Server: [schema].[table], @p0 placeholders, 1000 rows per VALUES. */
export const mssqlHooks: DialectHooks = {
  dialect: 'mssql',
  quoteIdent: bracket,
  tableName: (schema, table) => (schema ? `${bracket(schema)}.${bracket(table)}` : bracket(table)),
  placeholder: (index) => `@p${index}`,
  // 2100 per request, less the two that sp_executesql itself takes (@stmt, @params).
  maxParams: 2098,
  maxRowsPerInsert: 1000,
  updateStatistics: ['EXEC sp_updatestats'],
  savepoint: (name) => `SAVE TRANSACTION ${bracket(name)}`,
  // SQL Server has no RELEASE: a savepoint ends with its transaction.
  releaseSavepoint: () => null,
  rollbackToSavepoint: (name) => `ROLLBACK TRANSACTION ${bracket(name)}`,
};

const HOOKS: Readonly<Record<Dialect, DialectHooks>> = {
  sqlite: sqliteHooks,
  postgres: postgresHooks,
  mssql: mssqlHooks,
};

/** The hooks of `dialect`. */
export function hooksFor(dialect: Dialect): DialectHooks {
  return HOOKS[dialect];
}

/** The dialects leadlift supports, in the order help lists them. */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres', 'mssql'];
