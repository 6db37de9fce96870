// The database layer's public surface: open a read-only source or a writable target by
// URL, the dialect hooks, the reference DDL, the SQL guard and query packs.

import type { SourceAdapter, TargetAdapter } from './adapter.js';
import { openMssqlSource } from './mssql/source.js';
import { openMssqlTarget } from './mssql/target.js';
import { openPostgresSource } from './postgres/source.js';
import { openPostgresTarget } from './postgres/target.js';
import { openSqliteSource } from './sqlite/source.js';
import { openSqliteTarget } from './sqlite/target.js';
import { parseDbUrl } from './url.js';

export type {
  Dialect,
  DialectHooks,
  QueryStream,
  Row,
  SourceAdapter,
  SourceFingerprint,
  SqlParams,
  SqlValue,
  StreamOptions,
  TargetAdapter,
} from './adapter.js';
export { type DdlOptions, ddlFilePath, ddlFileText, ddlFor, TYPE_MAP } from './ddl.js';
export { DIALECTS, hooksFor } from './hooks.js';
export {
  type LoadQueryPackOptions,
  loadQueryPack,
  type QueryFile,
  type QueryPack,
  queryFileName,
  shippedPackDir,
} from './query-pack.js';
export { schemaDocText } from './schema-doc.js';
export {
  assertSelectOnly,
  FORBIDDEN_KEYWORDS,
  namedParams,
  type SqlGuardOptions,
  toPositional,
} from './sql-guard.js';
export { insertSql, physicalTable, rowsPerInsert } from './sql-text.js';
export { type DbUrl, parseDbUrl, redactUrl, type ServerUrl, type SqliteUrl, URL_FORMS } from './url.js';

/** Options of {@link openSource}. */
export interface OpenSourceOptions {
  /** Folder that relative `sqlite:` paths are resolved from. */
  readonly cwd: string;
}

/** Options of {@link openTarget}. */
export interface OpenTargetOptions {
  /** Folder that relative `sqlite:` paths are resolved from. */
  readonly cwd: string;
  /** SQLite only: create the file (and its folder) when missing, tuned for a bulk load. Default false. */
  readonly create?: boolean;
}

/**
 * Opens a read-only source: SQLite opened read-only, PostgreSQL in read-only
 * transactions, SQL Server with ApplicationIntent=ReadOnly and rolled-back transactions.
 * Throws `db.badUrl` (exit 2), `db.driverMissing` or `db.unreachable` (exit 4).
 */
export async function openSource(url: string, options: OpenSourceOptions): Promise<SourceAdapter> {
  const u = parseDbUrl(url, options.cwd, 'source');
  switch (u.dialect) {
    case 'sqlite':
      return openSqliteSource(u);
    case 'postgres':
      return openPostgresSource(u);
    case 'mssql':
      return openMssqlSource(u);
  }
}

/**
 * Opens a writable target (demo database, score tables). Throws `db.badUrl` (exit 2),
 * `db.driverMissing` or `db.unreachable` (exit 4).
 */
export async function openTarget(url: string, options: OpenTargetOptions): Promise<TargetAdapter> {
  const u = parseDbUrl(url, options.cwd, 'target');
  switch (u.dialect) {
    case 'sqlite':
      return openSqliteTarget(u, { create: options.create === true });
    case 'postgres':
      return openPostgresTarget(u);
    case 'mssql':
      return openMssqlTarget(u);
  }
}
