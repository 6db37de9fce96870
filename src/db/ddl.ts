// The reference schema's DDL, generated per dialect from REFERENCE_TABLES so the three
// committed schema files (schema/agent-cory.*.sql) can't drift apart.

import { REFERENCE_TABLES, type RefColumn, type RefTable, type RefType } from '../schema/reference.js';
import type { Dialect, DialectHooks } from './adapter.js';
import { hooksFor } from './hooks.js';

/**
 * Column types per dialect. SQLite timestamps are TEXT because sources store them as
 * written (see docs/schema.md); the server dialects use their zone-aware types.
 */
export const TYPE_MAP: Readonly<Record<Dialect, Readonly<Record<RefType, string>>>> = {
  sqlite: {
    id: 'INTEGER',
    int: 'INTEGER',
    bigint: 'INTEGER',
    float: 'REAL',
    bool: 'INTEGER',
    text: 'TEXT',
    longtext: 'TEXT',
    timestamp: 'TEXT',
  },
  postgres: {
    id: 'bigint',
    int: 'integer',
    bigint: 'bigint',
    float: 'double precision',
    bool: 'boolean',
    text: 'text',
    longtext: 'text',
    timestamp: 'timestamptz',
  },
  mssql: {
    id: 'BIGINT',
    int: 'INT',
    bigint: 'BIGINT',
    float: 'FLOAT',
    bool: 'BIT',
    text: 'NVARCHAR(400)',
    longtext: 'NVARCHAR(MAX)',
    timestamp: 'DATETIMEOFFSET(3)',
  },
};

/** Schemas the reference tables live in, in first-use order. */
function schemasOf(tables: readonly RefTable[]): string[] {
  return [...new Set(tables.map((t) => t.schema))];
}

function schemaStatements(dialect: Dialect, hooks: DialectHooks, schemas: readonly string[]): string[] {
  switch (dialect) {
    case 'sqlite':
      return [];
    case 'postgres':
      return schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${hooks.quoteIdent(s)}`);
    case 'mssql':
      // CREATE SCHEMA must start a batch; EXEC gives it one. dbo always exists.
      return schemas
        .filter((s) => s !== 'dbo')
        .map((s) => `IF SCHEMA_ID(N'${s}') IS NULL EXEC(N'CREATE SCHEMA ${hooks.quoteIdent(s)}')`);
  }
}

function columnLine(dialect: Dialect, hooks: DialectHooks, col: RefColumn): string {
  const type = TYPE_MAP[dialect][col.type];
  // SQL Server's default nullability depends on session settings: say it.
  const nullability = col.notNull ? ' NOT NULL' : dialect === 'mssql' ? ' NULL' : '';
  return `${hooks.quoteIdent(col.name)} ${type}${nullability}`;
}

function createTable(dialect: Dialect, hooks: DialectHooks, table: RefTable): string {
  const lines = table.columns.map((col) => ({
    text: columnLine(dialect, hooks, col),
    comment: col.extension ? 'extension' : undefined,
  }));
  const pk = table.columns.filter((col) => col.primaryKey).map((col) => hooks.quoteIdent(col.name));
  if (pk.length > 0) {
    lines.push({
      text: `CONSTRAINT ${hooks.quoteIdent(`pk_${table.schema}_${table.name}`)} PRIMARY KEY (${pk.join(', ')})`,
      comment: undefined,
    });
  }
  const body = lines
    .map((l, k) => `  ${l.text}${k < lines.length - 1 ? ',' : ''}${l.comment ? ` -- ${l.comment}` : ''}`)
    .join('\n');
  const head = table.extension ? '-- extension table\n' : '';
  return `${head}CREATE TABLE ${hooks.tableName(table.schema, table.name)} (\n${body}\n)`;
}

function createIndexes(hooks: DialectHooks, table: RefTable): string[] {
  return (table.indexes ?? []).map((cols) => {
    const name = hooks.quoteIdent(`ix_${table.schema}_${table.name}_${cols.join('_')}`);
    const list = cols.map((c) => hooks.quoteIdent(c)).join(', ');
    return `CREATE INDEX ${name} ON ${hooks.tableName(table.schema, table.name)} (${list})`;
  });
}

/** Options of {@link ddlFor}. */
export interface DdlOptions {
  /**
   * Which statements: `all` (default) schemas, tables and indexes; `tables` schemas and
   * tables only; `indexes` the indexes only. A bulk load is faster with `tables` first and
   * `indexes` after the rows are in.
   */
  readonly part?: 'all' | 'tables' | 'indexes';
  /** The tables to create. Default: REFERENCE_TABLES. */
  readonly tables?: readonly RefTable[];
}

/**
 * The statements that create the reference schema in `dialect`, in order: schemas (where
 * the dialect has them), then each table with its primary key, then its indexes. Tables
 * are created without IF NOT EXISTS: applying them to a database that already has them
 * fails rather than leaving an older shape in place.
 */
export function ddlFor(dialect: Dialect, options: DdlOptions = {}): string[] {
  const hooks = hooksFor(dialect);
  const tables = options.tables ?? REFERENCE_TABLES;
  const part = options.part ?? 'all';
  const out = part === 'indexes' ? [] : schemaStatements(dialect, hooks, schemasOf(tables));
  for (const t of tables) {
    if (part !== 'indexes') out.push(createTable(dialect, hooks, t));
    if (part !== 'tables') out.push(...createIndexes(hooks, t));
  }
  return out;
}

/** Repository path of the committed DDL file of `dialect`, relative to the package root. */
export function ddlFilePath(dialect: Dialect): string {
  return `schema/agent-cory.${dialect}.sql`;
}

/** The text of schema/agent-cory.<dialect>.sql: a header, then every {@link ddlFor} statement ending in `;`. */
export function ddlFileText(dialect: Dialect): string {
  const header = [
    `-- leadlift reference schema of the Agent Cory DB, ${dialect} dialect.`,
    '-- Generated from src/schema/reference.ts by src/db/ddl.ts: do not edit by hand. Regenerate with',
    `--   leadlift schema --dialect ${dialect} --print > ${ddlFilePath(dialect)}`,
    '-- (or LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/db/generated-files.test.ts).',
    '-- Columns and tables marked "extension" are leadlift additions; docs/schema.md says why each exists.',
  ].join('\n');
  return `${header}\n\n${ddlFor(dialect)
    .map((s) => `${s};`)
    .join('\n\n')}\n`;
}
