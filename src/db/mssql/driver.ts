// The part of the mssql package (tedious underneath) leadlift calls, declared here so it
// loads only for mssql:// URLs; plus the connection config and error classification.
// Kept thin: no SQL Server can run in CI, so the logic here is what tests can't reach.

import { importDriver } from '../stream.js';
import type { ServerUrl, UrlRole } from '../url.js';

/** A result column as mssql describes it. */
export interface MssqlColumn {
  readonly name: string;
}

/** A buffered result in array row mode. */
export interface MssqlResult {
  readonly recordset?: unknown[][];
  /** Per result set, its columns (array row mode only). */
  readonly columns?: readonly (readonly MssqlColumn[])[];
}

/** A request: one statement, its inputs, and in stream mode its events. */
export interface MssqlRequest {
  stream: boolean;
  arrayRowMode: boolean;
  input(name: string, value: unknown): MssqlRequest;
  /** Callback form: in stream mode the outcome arrives as events. */
  query(sql: string, callback: (err?: Error) => void): unknown;
  query(sql: string): Promise<MssqlResult>;
  /** Runs `sql` as a plain batch (no sp_executesql), for DDL. */
  batch(sql: string): Promise<MssqlResult>;
  pause(): boolean;
  resume(): boolean;
  cancel(): boolean;
  on(event: 'recordset', listener: (columns: readonly MssqlColumn[]) => void): MssqlRequest;
  on(event: 'row', listener: (row: unknown[]) => void): MssqlRequest;
  on(event: 'error', listener: (err: Error) => void): MssqlRequest;
  on(event: 'done', listener: () => void): MssqlRequest;
}

/** A transaction bound to one pooled connection. */
export interface MssqlTransaction {
  begin(isolationLevel?: number): Promise<unknown>;
  commit(): Promise<unknown>;
  rollback(): Promise<unknown>;
}

/** A connection pool. */
export interface MssqlPool {
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** The mssql module. */
export interface MssqlModule {
  readonly ConnectionPool: new (config: Record<string, unknown>) => MssqlPool;
  readonly Transaction: new (parent: MssqlPool) => MssqlTransaction;
  readonly Request: new (parent: MssqlPool | MssqlTransaction) => MssqlRequest;
  readonly ISOLATION_LEVEL: { readonly READ_COMMITTED: number };
}

/** Loads mssql. */
export function loadMssql(): Promise<MssqlModule> {
  return importDriver<MssqlModule>('mssql', 'SQL Server');
}

/**
 * The mssql config of `url`. Defaults: encrypt=true, trustServerCertificate=false,
 * connectTimeout 15000 ms, requestTimeout 0 (none: an extraction can run long). Sources
 * connect with ApplicationIntent=ReadOnly (routed to a readable secondary where there is
 * one); one connection per adapter.
 */
export function mssqlConfig(url: ServerUrl, role: UrlRole): Record<string, unknown> {
  const p = url.params;
  return {
    server: url.host,
    port: url.port,
    database: url.database,
    ...(url.user !== undefined ? { user: url.user } : {}),
    ...(url.password !== undefined ? { password: url.password } : {}),
    pool: { max: 1, min: 0 },
    connectionTimeout: Number(p.connectTimeout ?? 15_000),
    requestTimeout: Number(p.requestTimeout ?? 0),
    options: {
      encrypt: p.encrypt !== 'false',
      trustServerCertificate: p.trustServerCertificate === 'true',
      readOnlyIntent: role === 'source',
      appName: 'leadlift',
      useUTC: true,
      ...(p.instanceName ? { instanceName: p.instanceName } : {}),
    },
  };
}

/** SQL Server error 3906: "Failed to update database … because the database is read-only". */
export const READ_ONLY_DATABASE = 3906;

/** The SQL Server error number of a request error, if any. */
export function errorNumber(e: unknown): number | undefined {
  const direct = (e as { number?: unknown } | null)?.number;
  if (typeof direct === 'number') return direct;
  const inner = (e as { originalError?: { info?: { number?: unknown } } } | null)?.originalError?.info
    ?.number;
  return typeof inner === 'number' ? inner : undefined;
}
