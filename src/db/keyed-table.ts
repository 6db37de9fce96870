// SQL for tables leadlift itself owns and writes (the score tables): CREATE … IF NOT
// EXISTS, a session staging table, a writers' lock and a keyed upsert from the staging
// table. The statements differ by dialect (ON CONFLICT vs MERGE, identity columns, temp
// tables), so they live here in db/, written once per dialect.

import type { RefType } from '../schema/reference.js';
import type { Dialect, DialectHooks, SqlValue } from './adapter.js';
import { TYPE_MAP } from './ddl.js';
import { hooksFor } from './hooks.js';

/** A column of an owned table: a reference type, or an auto-numbered `identity` primary key. */
export interface OwnedColumn {
  readonly name: string;
  readonly type: RefType | 'identity';
  readonly notNull?: boolean;
  readonly doc: string;
}

/** An owned table: `schema` may be empty (the connection's default schema). */
export interface OwnedTable {
  readonly schema: string;
  readonly name: string;
  readonly doc: string;
  readonly columns: readonly OwnedColumn[];
  /** Primary key columns (none when an `identity` column is the key). */
  readonly primaryKey?: readonly string[];
  readonly indexes?: readonly (readonly string[])[];
}

/** The physical, quoted name of `schema.name` (SQLite folds the schema into the name). */
export function ownedTableName(hooks: DialectHooks, schema: string, name: string): string {
  return hooks.tableName(schema, name);
}

/** `CAST(@name AS <type>)`: a typed constant parameter in any dialect (PostgreSQL can't infer it in a SELECT list). */
export function castParam(dialect: Dialect, param: string, type: RefType): string {
  return `CAST(@${param} AS ${TYPE_MAP[dialect][type]})`;
}

/** A plain identifier for object names derived from table names (indexes, constraints). */
const plain = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');

function columnSql(dialect: Dialect, hooks: DialectHooks, col: OwnedColumn): string {
  const q = hooks.quoteIdent(col.name);
  if (col.type === 'identity') {
    switch (dialect) {
      case 'sqlite':
        // An INTEGER PRIMARY KEY is the rowid: numbered in insert order.
        return `${q} INTEGER PRIMARY KEY`;
      case 'postgres':
        return `${q} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`;
      case 'mssql':
        return `${q} BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY`;
    }
  }
  const nullability = col.notNull ? ' NOT NULL' : dialect === 'mssql' ? ' NULL' : '';
  return `${q} ${TYPE_MAP[dialect][col.type]}${nullability}`;
}

/**
 * The statements that create `table` and its indexes when they don't exist yet (an
 * existing table is left as it is): schema (PostgreSQL, SQL Server other than dbo), table,
 * indexes.
 */
export function createOwnedTableSql(dialect: Dialect, table: OwnedTable): string[] {
  const hooks = hooksFor(dialect);
  const phys = ownedTableName(hooks, table.schema, table.name);
  const lines = table.columns.map((c) => columnSql(dialect, hooks, c));
  const tag = plain(table.schema ? `${table.schema}_${table.name}` : table.name);
  if (table.primaryKey && table.primaryKey.length > 0) {
    lines.push(
      `CONSTRAINT ${hooks.quoteIdent(`pk_${tag}`)} PRIMARY KEY (${table.primaryKey.map((c) => hooks.quoteIdent(c)).join(', ')})`,
    );
  }
  const body = `(\n${lines.map((l) => `  ${l}`).join(',\n')}\n)`;
  const out: string[] = [];
  const indexSql = (cols: readonly string[]) => {
    const name = `ix_${tag}_${cols.map(plain).join('_')}`;
    return { name, list: cols.map((c) => hooks.quoteIdent(c)).join(', ') };
  };
  switch (dialect) {
    case 'sqlite':
      out.push(`CREATE TABLE IF NOT EXISTS ${phys} ${body}`);
      for (const cols of table.indexes ?? []) {
        const ix = indexSql(cols);
        out.push(`CREATE INDEX IF NOT EXISTS ${hooks.quoteIdent(ix.name)} ON ${phys} (${ix.list})`);
      }
      break;
    case 'postgres':
      if (table.schema) out.push(`CREATE SCHEMA IF NOT EXISTS ${hooks.quoteIdent(table.schema)}`);
      out.push(`CREATE TABLE IF NOT EXISTS ${phys} ${body}`);
      for (const cols of table.indexes ?? []) {
        const ix = indexSql(cols);
        out.push(`CREATE INDEX IF NOT EXISTS ${hooks.quoteIdent(ix.name)} ON ${phys} (${ix.list})`);
      }
      break;
    case 'mssql': {
      if (table.schema && table.schema !== 'dbo') {
        out.push(
          `IF SCHEMA_ID(N'${table.schema}') IS NULL EXEC(N'CREATE SCHEMA ${hooks.quoteIdent(table.schema)}')`,
        );
      }
      const objectName = `N'${phys.replaceAll("'", "''")}'`;
      out.push(`IF OBJECT_ID(${objectName}, N'U') IS NULL CREATE TABLE ${phys} ${body}`);
      for (const cols of table.indexes ?? []) {
        const ix = indexSql(cols);
        out.push(
          `IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'${ix.name}' AND object_id = OBJECT_ID(${objectName})) CREATE INDEX ${hooks.quoteIdent(ix.name)} ON ${phys} (${ix.list})`,
        );
      }
      break;
    }
  }
  return out;
}

/** A session staging table: the name to insert into and the statements around its use. */
export interface StagingTable {
  /** The name to pass to `insertRows` (bare; the dialect resolves it to the session's temp table). */
  readonly insertName: string;
  /** Its quoted name in SQL text. */
  readonly sqlName: string;
  /** Drop any leftover, then create it. */
  readonly create: readonly string[];
  /** Drop it (also safe when it is gone). */
  readonly drop: readonly string[];
  /** Statistics for the planner once filled (PostgreSQL: temp tables have none until analyzed). */
  readonly analyze: readonly string[];
}

/**
 * A temporary table private to the connection, with `columns` (nullable, types as
 * given): SQLite `CREATE TEMP TABLE`, PostgreSQL `CREATE TEMPORARY TABLE … ON COMMIT
 * DROP`, SQL Server a `#name` table.
 */
export function stagingTable(
  dialect: Dialect,
  name: string,
  columns: readonly { readonly name: string; readonly type: RefType }[],
): StagingTable {
  const hooks = hooksFor(dialect);
  // A #temp table's text takes tempdb's collation unless told otherwise, and comparing it
  // with the database's text then fails with a collation conflict.
  const collate = (t: RefType) =>
    dialect === 'mssql' && (t === 'text' || t === 'longtext') ? ' COLLATE DATABASE_DEFAULT' : '';
  const cols = columns
    .map((c) => `${hooks.quoteIdent(c.name)} ${TYPE_MAP[dialect][c.type]}${collate(c.type)}`)
    .join(', ');
  switch (dialect) {
    case 'sqlite': {
      const q = hooks.quoteIdent(name);
      return {
        insertName: name,
        sqlName: `temp.${q}`,
        create: [`DROP TABLE IF EXISTS temp.${q}`, `CREATE TEMP TABLE ${q} (${cols})`],
        drop: [`DROP TABLE IF EXISTS temp.${q}`],
        analyze: [],
      };
    }
    case 'postgres': {
      const q = hooks.quoteIdent(name);
      return {
        insertName: name,
        sqlName: q,
        create: [`DROP TABLE IF EXISTS pg_temp.${q}`, `CREATE TEMPORARY TABLE ${q} (${cols}) ON COMMIT DROP`],
        drop: [`DROP TABLE IF EXISTS pg_temp.${q}`],
        analyze: [`ANALYZE ${q}`],
      };
    }
    case 'mssql': {
      const temp = `#${name}`;
      const q = hooks.quoteIdent(temp);
      const dropIf = `IF OBJECT_ID(N'tempdb..${temp}') IS NOT NULL DROP TABLE ${q}`;
      return {
        insertName: temp,
        sqlName: q,
        create: [dropIf, `CREATE TABLE ${q} (${cols})`],
        drop: [dropIf],
        // SQL Server creates statistics on #temp tables itself.
        analyze: [],
      };
    }
  }
}

/**
 * Statements that make concurrent leadlift writers of `table` take turns until their
 * transaction ends, without blocking readers: SQLite none (BEGIN IMMEDIATE already holds
 * the write lock), PostgreSQL `LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE`, SQL Server a
 * transaction-owned application lock on the table's name.
 */
export function writersLockSql(dialect: Dialect, physicalName: string): string[] {
  switch (dialect) {
    case 'sqlite':
      return [];
    case 'postgres':
      return [`LOCK TABLE ${physicalName} IN SHARE ROW EXCLUSIVE MODE`];
    case 'mssql': {
      // sp_getapplock reports a timeout by its return value, not an error: raise one (51000).
      const name = physicalName.replaceAll("'", "''");
      return [
        `DECLARE @leadlift_lock INT; ` +
          `EXEC @leadlift_lock = sp_getapplock @Resource = N'leadlift:${name}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000; ` +
          `IF @leadlift_lock < 0 THROW 51000, N'Another leadlift writer holds the lock on ${name}.', 1;`,
      ];
    }
  }
}

/** What a keyed upsert from a staging table writes. */
export interface UpsertSpec {
  /** Physical (quoted) target table name. */
  readonly target: string;
  /** Physical (quoted) staging table name. */
  readonly stage: string;
  /** Key columns: one row per key in both tables. */
  readonly keyColumns: readonly string[];
  /** Columns copied from the staging table (insert and update). */
  readonly valueColumns: readonly string[];
  /** Value columns whose difference makes a row "changed"; unchanged rows are left alone. */
  readonly compareColumns: readonly string[];
  /** Set on insert only, from `nowSql`. */
  readonly createdColumn: string;
  /** Set on insert and on a real change, from `nowSql`. */
  readonly updatedColumn: string;
  /** SQL expression of the write time (e.g. a {@link castParam}). */
  readonly nowSql: string;
}

/**
 * One statement that inserts the staging rows whose key is new and updates the rows
 * whose compared columns differ, leaving equal rows untouched (so a repeat writes
 * nothing). SQLite and PostgreSQL: `INSERT … SELECT … ON CONFLICT (key) DO UPDATE … WHERE`;
 * SQL Server: `MERGE … WITH (HOLDLOCK)` from the staging table. Compared columns must be
 * NOT NULL (plain `<>`).
 */
export function upsertFromStageSql(dialect: Dialect, spec: UpsertSpec): string {
  const q = hooksFor(dialect).quoteIdent;
  const allCols = [...spec.keyColumns, ...spec.valueColumns];
  if (dialect === 'mssql') {
    const on = spec.keyColumns.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ');
    const differs = spec.compareColumns.map((c) => `t.${q(c)} <> s.${q(c)}`).join(' OR ');
    const set = [
      ...spec.valueColumns.map((c) => `${q(c)} = s.${q(c)}`),
      `${q(spec.updatedColumn)} = ${spec.nowSql}`,
    ].join(', ');
    const insertCols = [...allCols, spec.createdColumn, spec.updatedColumn].map(q).join(', ');
    const insertVals = [...allCols.map((c) => `s.${q(c)}`), spec.nowSql, spec.nowSql].join(', ');
    return (
      `MERGE INTO ${spec.target} WITH (HOLDLOCK) AS t USING ${spec.stage} AS s ON ${on} ` +
      `WHEN MATCHED AND (${differs}) THEN UPDATE SET ${set} ` +
      `WHEN NOT MATCHED BY TARGET THEN INSERT (${insertCols}) VALUES (${insertVals});`
    );
  }
  const insertCols = [...allCols, spec.createdColumn, spec.updatedColumn].map(q).join(', ');
  const selectCols = [...allCols.map((c) => `s.${q(c)}`), spec.nowSql, spec.nowSql].join(', ');
  const set = [
    ...spec.valueColumns.map((c) => `${q(c)} = excluded.${q(c)}`),
    `${q(spec.updatedColumn)} = excluded.${q(spec.updatedColumn)}`,
  ].join(', ');
  const differs = spec.compareColumns.map((c) => `t.${q(c)} <> excluded.${q(c)}`).join(' OR ');
  // Only new or changed rows reach ON CONFLICT: an unchanged row would cost a speculative
  // insert for nothing. The WHERE also keeps SQLite from reading ON CONFLICT as a join
  // constraint. The DO UPDATE … WHERE repeats the test for rows changed meanwhile.
  const on = spec.keyColumns.map((c) => `c.${q(c)} = s.${q(c)}`).join(' AND ');
  const changed = spec.compareColumns.map((c) => `c.${q(c)} <> s.${q(c)}`).join(' OR ');
  return (
    `INSERT INTO ${spec.target} AS t (${insertCols}) SELECT ${selectCols} FROM ${spec.stage} AS s ` +
    `LEFT JOIN ${spec.target} AS c ON ${on} WHERE c.${q(spec.keyColumns[0]!)} IS NULL OR ${changed} ` +
    `ON CONFLICT (${spec.keyColumns.map(q).join(', ')}) DO UPDATE SET ${set} WHERE ${differs}`
  );
}

/**
 * Counts, for the staging rows: `inserted` (key not in the target) and `updated` (key in
 * the target with a compared column that differs). One SELECT returning both.
 */
export function stageDiffCountSql(
  dialect: Dialect,
  spec: Pick<UpsertSpec, 'target' | 'stage' | 'keyColumns' | 'compareColumns'>,
): string {
  const q = hooksFor(dialect).quoteIdent;
  const on = spec.keyColumns.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ');
  const differs = spec.compareColumns.map((c) => `t.${q(c)} <> s.${q(c)}`).join(' OR ');
  const k0 = q(spec.keyColumns[0]!);
  return (
    `SELECT COALESCE(SUM(CASE WHEN t.${k0} IS NULL THEN 1 ELSE 0 END), 0) AS inserted, ` +
    `COALESCE(SUM(CASE WHEN t.${k0} IS NOT NULL AND (${differs}) THEN 1 ELSE 0 END), 0) AS updated ` +
    `FROM ${spec.stage} AS s LEFT JOIN ${spec.target} AS t ON ${on}`
  );
}

/** The join condition "staging row is new or differs" used to pick rows for the history. */
export function changedRowsSql(
  dialect: Dialect,
  spec: Pick<UpsertSpec, 'target' | 'stage' | 'keyColumns' | 'compareColumns'>,
): { readonly from: string; readonly where: string } {
  const q = hooksFor(dialect).quoteIdent;
  const on = spec.keyColumns.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ');
  const differs = spec.compareColumns.map((c) => `t.${q(c)} <> s.${q(c)}`).join(' OR ');
  return {
    from: `${spec.stage} AS s LEFT JOIN ${spec.target} AS t ON ${on}`,
    where: `t.${q(spec.keyColumns[0]!)} IS NULL OR ${differs}`,
  };
}

/** A PostgreSQL array literal of `values` (`{1,2,NULL}`, text elements quoted and escaped). */
export function pgArrayLiteral(values: readonly SqlValue[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'number') parts[i] = String(v);
    else if (typeof v === 'boolean') parts[i] = v ? 't' : 'f';
    else parts[i] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `{${parts.join(',')}}`;
}

/** A faster way to fill a staging table than multi-row INSERTs, where the dialect has one. */
export interface ColumnArrayInsert {
  /** The statement; parameters `@c0 … @c<n-1>`, one array per column. */
  readonly sql: string;
  /** Rows per statement. */
  readonly rowsPerStatement: number;
  /** The parameters of one statement for `rows`. */
  params(rows: readonly (readonly SqlValue[])[]): Record<string, SqlValue>;
}

/**
 * PostgreSQL: `INSERT … SELECT * FROM unnest(CAST(@c0 AS bigint[]), …)`, one array
 * literal per column, so 20,000 rows are one statement and parse once (about 5× the
 * speed of multi-row INSERTs on 100k rows). Other dialects: null (use insertRows).
 */
export function columnArrayInsert(
  dialect: Dialect,
  tableSqlName: string,
  columns: readonly { readonly name: string; readonly type: RefType }[],
): ColumnArrayInsert | null {
  if (dialect !== 'postgres') return null;
  const q = hooksFor(dialect).quoteIdent;
  const arrays = columns.map((c, k) => `CAST(@c${k} AS ${TYPE_MAP.postgres[c.type]}[])`).join(', ');
  return {
    sql: `INSERT INTO ${tableSqlName} (${columns.map((c) => q(c.name)).join(', ')}) SELECT * FROM unnest(${arrays})`,
    rowsPerStatement: 20_000,
    params(rows) {
      const out: Record<string, SqlValue> = {};
      for (let k = 0; k < columns.length; k++) out[`c${k}`] = pgArrayLiteral(rows.map((r) => r[k] ?? null));
      return out;
    },
  };
}
