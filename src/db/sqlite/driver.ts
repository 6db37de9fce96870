// The part of better-sqlite3 leadlift calls, declared here so the driver is imported only
// when an sqlite: URL is used, plus its error classification.

import { importDriver } from '../stream.js';

/** A prepared better-sqlite3 statement. */
export interface SqliteStatement {
  /** True when the statement returns rows. */
  readonly reader: boolean;
  columns(): { readonly name: string }[];
  /** Rows as arrays instead of objects. */
  raw(toggle?: boolean): SqliteStatement;
  iterate(...params: unknown[]): IterableIterator<unknown[]>;
  all(...params: unknown[]): unknown[][];
  run(...params: unknown[]): { changes: number };
}

/** A better-sqlite3 connection. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): SqliteDatabase;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): SqliteDatabase;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/** better-sqlite3's default export. */
export type SqliteDatabaseConstructor = new (
  file: string,
  options?: { readonly?: boolean; fileMustExist?: boolean },
) => SqliteDatabase;

/** Loads better-sqlite3 (`db.driverMissing` when it isn't installed or built). */
export function loadSqliteDriver(): Promise<SqliteDatabaseConstructor> {
  return importDriver<SqliteDatabaseConstructor>('better-sqlite3', 'SQLite');
}

/** True when SQLite refused a write because the connection or file is read-only. */
export function isReadOnlyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_READONLY');
}

/** better-sqlite3 binds no booleans: 1/0 as SQLite stores them. */
export function bindValue(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v;
}
