// The narrow database interface every stage uses. Three implementations (sqlite/,
// postgres/, mssql/) differ only in small dialect hooks; nothing outside db/ asks which
// dialect it talks to.

export type Dialect = 'sqlite' | 'postgres' | 'mssql';

/** A value as adapters return it: ids and text as strings, timestamps as ISO-8601 strings. */
export type SqlValue = string | number | boolean | null;
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
  stream(sql: string, params: SqlParams): QueryStream;
  close(): Promise<void>;
}

export interface QueryStream extends AsyncIterable<Row> {
  /** Column names in result order; available after the first row or the end of an empty result. */
  columns(): Promise<readonly string[]>;
}

/** A connection that may write: used by demo-db and persist-scores, never by extract. */
export interface TargetAdapter {
  readonly hooks: DialectHooks;
  readonly fingerprint: SourceFingerprint;
  /** Runs DDL or other statements that return no rows, in order. */
  execute(statements: readonly string[]): Promise<void>;
  /** Inserts rows in batches sized for the dialect's parameter limits. */
  insertRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs a query that returns rows (for tests and dry runs). */
  query(sql: string, params?: SqlParams): Promise<Row[]>;
  close(): Promise<void>;
}
