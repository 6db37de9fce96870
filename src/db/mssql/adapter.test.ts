// The SQL Server adapters' own logic (backpressure, always-rollback, error mapping,
// batching), driven through a scripted stand-in for the mssql package since no server
// runs here. What the stand-in can't show (tedious on the wire) is left to a real server
// through LEADLIFT_TEST_MSSQL_URL in adapter.case.test.ts.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isLeadliftError, type LeadliftError } from '../../errors.js';
import type { Row } from '../adapter.js';
import { parseDbUrl, type ServerUrl } from '../url.js';
import { type MssqlModule, mssqlConfig } from './driver.js';
import { openMssqlSource } from './source.js';
import { openMssqlTarget } from './target.js';

interface Script {
  columns?: string[];
  rows?: unknown[][];
  /** Emit this error (after the rows) instead of finishing normally. */
  error?: Error;
  /** Emit a second result set. */
  secondRecordset?: boolean;
}

/** A scripted mssql module that records what the adapter did. */
function fakeMssql(
  respond: (sql: string) => Script = () => ({ columns: ['a'], rows: [[1]] }),
  connectError?: Error,
) {
  const log = {
    configs: [] as Record<string, unknown>[],
    begins: [] as (number | undefined)[],
    commits: 0,
    rollbacks: 0,
    inputs: [] as Map<string, unknown>[],
    queries: [] as string[],
    batches: [] as string[],
    pauses: 0,
    resumes: 0,
    cancels: 0,
    /** Most rows emitted but not yet read by the adapter's consumer, as seen by the test. */
    emitted: 0,
  };

  class Request extends EventEmitter {
    stream = false;
    arrayRowMode = false;
    private readonly inputs = new Map<string, unknown>();
    private paused = false;
    private canceled = false;
    private pending: (() => void) | null = null;
    constructor(readonly parent: unknown) {
      super();
      log.inputs.push(this.inputs);
    }
    input(name: string, value: unknown) {
      this.inputs.set(name, value);
      return this;
    }
    pause() {
      log.pauses++;
      this.paused = true;
      return true;
    }
    resume() {
      log.resumes++;
      this.paused = false;
      const p = this.pending;
      this.pending = null;
      p?.();
      return true;
    }
    cancel() {
      log.cancels++;
      this.canceled = true;
      this.resume();
      return true;
    }
    async batch(sql: string) {
      log.batches.push(sql);
      return {};
    }
    // biome-ignore lint/suspicious/noExplicitAny: overloaded like the real method
    query(sql: string, cb?: (err?: Error) => void): any {
      log.queries.push(sql);
      const script = respond(sql);
      if (!this.stream) {
        if (script.error) return Promise.reject(script.error);
        return Promise.resolve({
          recordset: script.rows ?? [],
          columns: [(script.columns ?? []).map((name) => ({ name }))],
        });
      }
      const waitIfPaused = () =>
        new Promise<void>((resolve) => {
          if (!this.paused) resolve();
          else this.pending = resolve;
        });
      (async () => {
        await new Promise((r) => setImmediate(r));
        if (script.columns)
          this.emit(
            'recordset',
            script.columns.map((name) => ({ name })),
          );
        for (const row of script.rows ?? []) {
          await waitIfPaused();
          if (this.canceled) break;
          log.emitted++;
          this.emit('row', row);
          if (log.emitted % 50 === 0) await new Promise((r) => setImmediate(r));
        }
        if (script.secondRecordset && !this.canceled) this.emit('recordset', [{ name: 'x' }]);
        if (this.canceled) this.emit('error', Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
        else if (script.error) this.emit('error', script.error);
        this.emit('done', {});
        cb?.();
      })();
      return this;
    }
  }
  class Transaction {
    async begin(level?: number) {
      log.begins.push(level);
    }
    async commit() {
      log.commits++;
    }
    async rollback() {
      log.rollbacks++;
    }
  }
  class ConnectionPool {
    constructor(config: Record<string, unknown>) {
      log.configs.push(config);
    }
    async connect() {
      if (connectError) throw connectError;
    }
    async close() {}
    on() {}
  }
  const module = {
    ConnectionPool,
    Transaction,
    Request,
    ISOLATION_LEVEL: { READ_COMMITTED: 2 },
  } as unknown as MssqlModule;
  return { module, log };
}

const URL_TEXT = 'mssql://reader:pa55-word@sql.example:1433/Cory?encrypt=true';
const url = parseDbUrl(URL_TEXT, '/') as ServerUrl;

async function caught(p: Promise<unknown>): Promise<LeadliftError> {
  try {
    await p;
  } catch (e) {
    if (isLeadliftError(e)) return e;
    throw e;
  }
  throw new Error('expected a LeadliftError');
}

describe('mssqlConfig', () => {
  it('when built for a source then it asks for ApplicationIntent=ReadOnly, encryption and no request timeout', () => {
    const c = mssqlConfig(url, 'source') as {
      options: Record<string, unknown>;
      requestTimeout: number;
      server: string;
    };
    expect(c.server).toBe('sql.example');
    expect(c.options).toMatchObject({
      readOnlyIntent: true,
      encrypt: true,
      trustServerCertificate: false,
      useUTC: true,
    });
    expect(c.requestTimeout).toBe(0);
  });

  it('when built for a target then the read-only intent is off', () => {
    expect(
      (mssqlConfig(url, 'target') as { options: { readOnlyIntent: boolean } }).options.readOnlyIntent,
    ).toBe(false);
  });
});

describe('MssqlSource', () => {
  it('when a stream is read to the end then rows arrive in order and the transaction is rolled back, never committed', async () => {
    const { module, log } = fakeMssql(() => ({
      columns: ['id', 'at'],
      rows: [
        [1, new Date('2024-03-01T00:00:00Z')],
        ['9007199254740993', null],
      ],
    }));
    const source = await openMssqlSource(url, module);
    const stream = source.stream('SELECT id, at FROM t WHERE at >= @since AND at < @until', {
      since: 'a',
      until: 'b',
      extra: 'c',
    });
    const rows: Row[] = [];
    for await (const r of stream) rows.push(r);
    expect(rows).toEqual([
      { id: 1, at: '2024-03-01T00:00:00.000Z' },
      { id: '9007199254740993', at: null },
    ]);
    expect(await stream.columns()).toEqual(['id', 'at']);
    expect(log.begins).toEqual([2]);
    expect(log.rollbacks).toBe(1);
    expect(log.commits).toBe(0);
    expect([...log.inputs[0]!.keys()]).toEqual(['since', 'until']);
    await source.close();
  });

  it('when the reader is slower than the server then the request is paused and resumed and every row arrives', async () => {
    const n = 10_000;
    const { module, log } = fakeMssql(() => ({
      columns: ['i'],
      rows: Array.from({ length: n }, (_, i) => [i]),
    }));
    const source = await openMssqlSource(url, module);
    let read = 0;
    let maxAhead = 0;
    for await (const r of source.stream('SELECT i FROM t', {})) {
      expect(r.i).toBe(read);
      read++;
      maxAhead = Math.max(maxAhead, log.emitted - read);
      if (read % 100 === 0) await new Promise((res) => setTimeout(res, 0));
    }
    expect(read).toBe(n);
    expect(log.pauses).toBeGreaterThan(0);
    expect(log.resumes).toBeGreaterThan(0);
    // Rows held stay bounded (the batch being read plus one buffering, each up to the
    // 2000-row high-water mark) instead of growing with the result.
    expect(maxAhead).toBeLessThan(2 * 2000 + 100);
    await source.close();
  });

  it('when the reader stops early then the request is cancelled and the transaction rolled back', async () => {
    const { module, log } = fakeMssql(() => ({
      columns: ['i'],
      rows: Array.from({ length: 5000 }, (_, i) => [i]),
    }));
    const source = await openMssqlSource(url, module);
    for await (const r of source.stream('SELECT i FROM t', {})) if (r.i === 10) break;
    expect(log.cancels).toBe(1);
    expect(log.rollbacks).toBe(1);
    await source.close();
  });

  it('when SQL Server refuses a write as read-only (error 3906) then db.readOnlyViolation is raised', async () => {
    const refused = Object.assign(
      new Error('Failed to update database "Cory" because the database is read-only.'),
      { number: 3906 },
    );
    const { module, log } = fakeMssql(() => ({ error: refused }));
    const source = await openMssqlSource(url, module);
    const internal = source as unknown as { unguardedStream(sql: string, p: object): AsyncIterable<Row> };
    const e = await caught(
      (async () => {
        for await (const _ of internal.unguardedStream('INSERT INTO t VALUES (1)', {})) {
        }
      })(),
    );
    expect(e.code).toBe('db.readOnlyViolation');
    expect(log.rollbacks).toBe(1);
    await source.close();
  });

  it('when the query fails then db.queryFailed carries the SQL and parameter count, not values or the password', async () => {
    const { module } = fakeMssql(() => ({
      error: Object.assign(new Error("Invalid object name 'nope'. pa55-word"), { number: 208 }),
    }));
    const source = await openMssqlSource(url, module);
    const e = await caught(
      source.stream('SELECT a FROM nope WHERE a = @since', { since: 'secret-value' }).columns(),
    );
    expect(e.code).toBe('db.queryFailed');
    expect(e.message).toContain('nope');
    expect(e.message).toContain('1 parameter');
    expect(e.message).not.toContain('secret-value');
    expect(e.message).not.toContain('pa55-word');
    await source.close();
  });

  it('when a batch returns a second result set then it is refused as not one SELECT', async () => {
    const { module } = fakeMssql(() => ({ columns: ['a'], rows: [[1]], secondRecordset: true }));
    const source = await openMssqlSource(url, module);
    const e = await caught(
      (async () => {
        for await (const _ of source.stream('SELECT 1 AS a SELECT 2 AS x', {})) {
        }
      })(),
    );
    expect(e.code).toBe('query.notSelect');
    await source.close();
  });

  it('when the server refuses the connection then db.unreachable shows the redacted URL only', async () => {
    const { module } = fakeMssql(undefined, new Error('Login failed for user reader (password pa55-word)'));
    const e = await caught(openMssqlSource(url, module));
    expect(e.code).toBe('db.unreachable');
    expect(e.message).toContain('mssql://reader:***@sql.example:1433/Cory');
    expect(e.message).not.toContain('pa55-word');
  });
});

describe('MssqlTarget', () => {
  it('when 2500 rows of 3 columns are inserted then they go in 4 INSERTs of at most 699 rows in one committed transaction', async () => {
    const { module, log } = fakeMssql(() => ({}));
    const target = await openMssqlTarget(url, module);
    const rows = Array.from({ length: 2500 }, (_, i) => [i, `n${i}`, i % 2 === 0]);
    await target.insertRows('education.campaigns', ['id', 'name', 'flag'], rows);
    expect(log.queries).toHaveLength(4);
    expect(
      log.queries.every((q) =>
        q.startsWith('INSERT INTO [education].[campaigns] ([id], [name], [flag]) VALUES'),
      ),
    ).toBe(true);
    expect(log.inputs.map((m) => m.size)).toEqual([699 * 3, 699 * 3, 699 * 3, (2500 - 3 * 699) * 3]);
    expect(log.inputs[0]!.get('p4')).toBe('n1');
    expect(log.begins).toHaveLength(1);
    expect(log.commits).toBe(1);
    await target.close();
  });

  it('when a nested transaction throws then a savepoint is rolled back and the outer transaction commits', async () => {
    const { module, log } = fakeMssql(() => ({}));
    const target = await openMssqlTarget(url, module);
    await target.transaction(async () => {
      await target
        .transaction(async () => {
          throw new Error('inner');
        })
        .catch(() => {});
    });
    expect(log.batches).toEqual(['SAVE TRANSACTION [leadlift_sp_1]', 'ROLLBACK TRANSACTION [leadlift_sp_1]']);
    expect(log.commits).toBe(1);
    await target.close();
  });

  it('when DDL is executed then each statement runs as a plain batch', async () => {
    const { module, log } = fakeMssql(() => ({}));
    const target = await openMssqlTarget(url, module);
    await target.execute(['CREATE TABLE a (x INT)', 'CREATE INDEX i ON a (x)']);
    expect(log.batches).toEqual(['CREATE TABLE a (x INT)', 'CREATE INDEX i ON a (x)']);
    await target.close();
  });
});
