// The narrow database interface every stage uses. Three implementations (sqlite/,
// postgres/, mssql/) differ only in small dialect hooks; nothing outside db/ asks which
// dialect it talks to.

/** The SQL dialects leadlift talks to. */
export type Dialect = 'sqlite' | 'postgres' | 'mssql';

/**
 * A value as adapters return it: integers as numbers, or strings where the driver gives
 * 64-bit integers as strings (PostgreSQL and SQL Server BIGINT); text as strings;
 * timestamps as ISO-8601 strings (server dialects: UTC via `toISOString()`; SQLite: the
 * stored text); booleans as booleans (SQLite: 0/1). Binary values are refused.
 */
export type SqlValue = string | number | boolean | null;
/** One result row, keyed by column name. */
export type Row = Record<string, SqlValue>;

/** Named query parameters, written `@name` in query files in every dialect. */
export type SqlParams = Readonly<Record<string, SqlValue>>;

/** What identifies a source in manifests and audit logs: never credentials. */
export interface SourceFingerprint {
  readonly dialect: Dialect;
  /** Database name or SQLite file name (base name only). */
  readonly database: string;
  /** Host[:port]; absent for SQLite. */
  readonly host?: string;
}

/** Dialect hooks: the only place where SQL differs by dialect. */
export interface DialectHooks {
  readonly dialect: Dialect;
  /** Quotes one identifier: "x" / "x" / [x]. */
  quoteIdent(name: string): string;
  /**
   * The physical, quoted name of a reference table. SQLite has no schemas, so
   * `education.campaigns` becomes "education_campaigns" there.
   */
  tableName(schema: string, table: string): string;
  /** Bind placeholder of the 0-based parameter `index` in generated SQL: `?`, `$1`, `@p0`. */
  placeholder(index: number): string;
  /** Most bind parameters one statement may carry (SQLite 32766, PostgreSQL 65535, SQL Server 2100 less 2). */
  readonly maxParams: number;
  /** Most rows one INSERT … VALUES may carry (SQL Server 1000; the others are limited by parameters only). */
  readonly maxRowsPerInsert: number;
  /** Statement that opens savepoint `name` (a nested transaction). */
  savepoint(name: string): string;
  /** Statement that releases savepoint `name`; null where savepoints end with their transaction (SQL Server). */
  releaseSavepoint(name: string): string | null;
  /** Statement that undoes everything since savepoint `name`. */
  rollbackToSavepoint(name: string): string;
  /** Statements that refresh the planner's statistics after a bulk load (ANALYZE / sp_updatestats). */
  readonly updateStatistics: readonly string[];
}

/** Options of {@link SourceAdapter.stream}. */
export interface StreamOptions {
  /** Names the query in errors (e.g. the query file path). Default: "query". */
  readonly label?: string;
}

/** A read-only connection to a source database. */
export interface SourceAdapter {
  readonly hooks: DialectHooks;
  readonly fingerprint: SourceFingerprint;
  /**
   * Streams the rows of one SELECT/WITH statement, read-only in force (SQLite opened
   * read-only, PostgreSQL READ ONLY transaction, SQL Server ApplicationIntent=ReadOnly
   * plus a read-only transaction). The statement is checked first by `assertSelectOnly`.
   * `columns` resolves once the first row (or the empty result) arrives.
   */
  stream(sql: string, params: SqlParams, options?: StreamOptions): QueryStream;
  /**
   * Like {@link stream}, read-only and checked alike, but yields each row as an array of
   * values in result-column order (see {@link RowStream.columns}): no object per row, for
   * readers of many rows that map column names to indexes once.
   */
  streamRows(sql: string, params: SqlParams, options?: StreamOptions): RowStream;
  /** Closes the connection; an open stream is ended first. Safe to call twice. */
  close(): Promise<void>;
}

/** The rows of one statement, read once with `for await`; breaking out of the loop ends the statement. */
export interface QueryStream extends AsyncIterable<Row> {
  /** Column names in result order; available after the first row or the end of an empty result. */
  columns(): Promise<readonly string[]>;
}

/** The rows of one statement as value arrays in column order, read once with `for await`. */
export interface RowStream extends AsyncIterable<readonly SqlValue[]> {
  /** Column names in result order; available after the first row or the end of an empty result. */
  columns(): Promise<readonly string[]>;
  /**
   * The same rows in the driver's batches: one await per batch instead of one per row.
   * A stream is read once, either this way or row by row.
   */
  batches?(): AsyncIterable<readonly (readonly SqlValue[])[]>;
}

/** A connection that may write: used by demo-db and persist-scores, never by extract. */
export interface TargetAdapter {
  readonly hooks: DialectHooks;
  readonly fingerprint: SourceFingerprint;
  /** Runs DDL or other statements that return no rows, in order. */
  execute(statements: readonly string[]): Promise<void>;
  /**
   * Inserts rows in batches sized for the dialect's parameter limits. `table` is a
   * reference name `schema.table` (mapped through `hooks.tableName`, e.g.
   * `education.campaigns`) or a bare table name; `columns` are unquoted names. Without an
   * enclosing `transaction`, the whole call runs in one transaction of its own.
   */
  insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void>;
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws.
   * A nested call runs in a savepoint. One connection: don't run two at the same time.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs a query that returns rows (for tests and dry runs). `@name` parameters as in query files. */
  query(sql: string, params?: SqlParams): Promise<Row[]>;
  /** Closes the connection. Safe to call twice. */
  close(): Promise<void>;
}
