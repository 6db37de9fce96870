// The SQL Server source: ApplicationIntent=ReadOnly, each stream in a READ COMMITTED
// transaction that is always rolled back, rows streamed with pause/resume backpressure.

import { LeadliftError } from '../../errors.js';
import type { SourceFingerprint, SqlParams } from '../adapter.js';
import { assertDistinctColumns, queryFailed, readOnlyViolation, streamOpen, unreachable } from '../errors.js';
import { mssqlHooks } from '../hooks.js';
import { OneStreamSource } from '../source-base.js';
import { namedParams } from '../sql-guard.js';
import { type BatchSource, pickParams } from '../stream.js';
import { hostOf, type ServerUrl } from '../url.js';
import {
  errorNumber,
  loadMssql,
  type MssqlModule,
  type MssqlPool,
  type MssqlRequest,
  mssqlConfig,
  READ_ONLY_DATABASE,
} from './driver.js';

/** Rows buffered before the request is paused; it resumes when the reader drains them. */
const HIGH_WATER_ROWS = 2000;

/**
 * Connects to `url` read-only. `driver` replaces the mssql package (tests). Throws
 * `db.unreachable` when the server can't be reached or refuses the login.
 */
export async function openMssqlSource(url: ServerUrl, driver?: MssqlModule): Promise<MssqlSource> {
  const sql = driver ?? (await loadMssql());
  const pool = new sql.ConnectionPool(mssqlConfig(url, 'source'));
  pool.on('error', () => {});
  try {
    await pool.connect();
  } catch (e) {
    await pool.close().catch(() => {});
    throw unreachable(url.redacted, e, { role: 'source', secrets: [url.password] });
  }
  return new MssqlSource(sql, pool, url.password, {
    dialect: 'mssql',
    database: url.database,
    host: hostOf(url),
  });
}

/** A read-only SQL Server connection. One stream at a time. */
export class MssqlSource extends OneStreamSource {
  readonly hooks = mssqlHooks;
  private closed = false;

  constructor(
    private readonly sql: MssqlModule,
    private readonly pool: MssqlPool,
    private readonly password: string | undefined,
    readonly fingerprint: SourceFingerprint,
  ) {
    super();
  }

  protected async open(
    text: string,
    params: SqlParams,
    label: string | undefined,
    token: object,
  ): Promise<BatchSource> {
    if (this.active) throw streamOpen();
    const names = namedParams(text, { dialect: 'mssql' });
    const values = pickParams(names, params, label);
    const fail = (e: unknown) =>
      e instanceof LeadliftError
        ? e
        : errorNumber(e) === READ_ONLY_DATABASE
          ? readOnlyViolation(text, e, label)
          : queryFailed(text, names.length, e, { label, secrets: [this.password] });
    this.active = token;

    const tx = new this.sql.Transaction(this.pool);
    try {
      await tx.begin(this.sql.ISOLATION_LEVEL.READ_COMMITTED);
    } catch (e) {
      throw fail(e);
    }
    const req: MssqlRequest = new this.sql.Request(tx);
    req.stream = true;
    req.arrayRowMode = true;
    names.forEach((n, k) => {
      req.input(n, values[k]);
    });

    const queue: unknown[][] = [];
    let columns: string[] | undefined;
    let recordsets = 0;
    let error: unknown;
    let done = false;
    let paused = false;
    let wake: (() => void) | null = null;
    const signal = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const changed = () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      });

    req.on('recordset', (cols) => {
      recordsets++;
      if (recordsets === 1) {
        columns = cols.map((c) => c.name);
      } else if (error === undefined) {
        error = new LeadliftError(
          'query.notSelect',
          `${label ?? 'The query'} returned more than one result set; query files must be exactly one SELECT statement.`,
          { details: { ...(label ? { label } : {}) } },
        );
        req.cancel();
      }
      signal();
    });
    req.on('row', (row) => {
      if (recordsets > 1) return;
      queue.push(row);
      if (!paused && queue.length >= HIGH_WATER_ROWS) {
        paused = true;
        req.pause();
      }
      signal();
    });
    req.on('error', (e) => {
      error ??= e;
      signal();
    });
    req.on('done', () => {
      done = true;
      signal();
    });

    let finished = false;
    const close = async () => {
      if (finished) return;
      finished = true;
      if (!done) {
        if (paused) req.resume();
        req.cancel();
        while (!done) await changed();
      }
      // Always rolled back: nothing a source stream does may persist.
      await tx.rollback().catch(() => {});
    };
    this.closeActive = close;
    req.query(text, () => {});

    while (columns === undefined && !done && error === undefined) await changed();
    if (error !== undefined) {
      await close().catch(() => {});
      throw fail(error);
    }
    const cols = columns ?? [];
    try {
      assertDistinctColumns(cols, label);
    } catch (e) {
      await close().catch(() => {});
      throw e;
    }
    return {
      columns: cols,
      label,
      next: async (): Promise<unknown[][] | null> => {
        while (queue.length === 0 && !done && error === undefined) await changed();
        if (error !== undefined) {
          await close().catch(() => {});
          throw fail(error);
        }
        if (queue.length === 0) return null;
        const batch = queue.splice(0, queue.length);
        if (paused) {
          paused = false;
          req.resume();
        }
        return batch;
      },
      close,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeActive?.().catch(() => {});
    await this.pool.close().catch(() => {});
  }
}
