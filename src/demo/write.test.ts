import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DialectHooks, Row, SqlParams, SqlValue, TargetAdapter } from '../db/adapter.js';
import { hooksFor, openTarget } from '../db/index.js';
import { isLeadliftError } from '../errors.js';
import type { Progress } from '../progress.js';
import { REFERENCE_TABLES } from '../schema/reference.js';
import { createScratchPg, PG_SKIP } from '../test-support/pg.js';
import {
  DEMO_MARKER,
  DEMO_MARKER_INCOMPLETE,
  dropDemoTables,
  inspectDemoTarget,
  writeDemoDb,
} from './write.js';

/** An in-memory TargetAdapter that records what it is asked to do. */
class FakeTarget implements TargetAdapter {
  readonly hooks: DialectHooks = hooksFor('sqlite');
  readonly fingerprint = { dialect: 'sqlite' as const, database: 'fake' };
  readonly statements: string[] = [];
  readonly rows = new Map<string, number>();
  readonly marker: SqlValue[][] = [];
  depth = 0;
  transactions = 0;
  insertsOutsideTransaction = 0;
  maxRowsPerCall = 0;

  async execute(statements: readonly string[]): Promise<void> {
    this.statements.push(...statements);
  }

  async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    if (this.depth === 0) this.insertsOutsideTransaction++;
    for (const r of rows)
      if (r.length !== columns.length) throw new Error(`row width ${r.length} for ${table}`);
    this.rows.set(table, (this.rows.get(table) ?? 0) + rows.length);
    this.maxRowsPerCall = Math.max(this.maxRowsPerCall, rows.length);
    if (table === 'dbo.leadlift_demo_info') this.marker.push(...rows.map((r) => [...r]));
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.depth++;
    this.transactions++;
    try {
      return await fn();
    } finally {
      this.depth--;
    }
  }

  async query(_sql: string, _params?: SqlParams): Promise<Row[]> {
    throw new Error('no such table');
  }

  async close(): Promise<void> {}
}

describe('writeDemoDb', () => {
  it('when writing to a target then it creates the schema first and inserts every row in transactions', async () => {
    const target = new FakeTarget();
    const ticks: number[] = [];
    const progress: Progress = { task: () => ({ tick: (n = 1) => void ticks.push(n), done: () => {} }) };
    const truth = await writeDemoDb(
      target,
      { enrollments: 3000, seed: 5, transactionEnrollments: 1000 },
      progress,
    );
    expect(target.statements.filter((s) => s.includes('CREATE TABLE')).length).toBe(
      REFERENCE_TABLES.length + 1,
    );
    expect(target.statements.some((s) => s.startsWith('CREATE INDEX'))).toBe(true);
    expect(target.statements.findIndex((s) => s.startsWith('CREATE INDEX'))).toBeGreaterThan(
      target.statements.findIndex((s) => s.includes('leadlift_demo_info')),
    );
    for (const [table, n] of Object.entries(truth.sizes)) expect(target.rows.get(table), table).toBe(n);
    expect(target.insertsOutsideTransaction).toBe(0);
    expect(target.transactions).toBeGreaterThanOrEqual(3);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(target.marker).toContainEqual(['generator', DEMO_MARKER_INCOMPLETE]);
    expect(target.marker).toContainEqual(['seed', '5']);
    expect(target.statements.at(-1)).toContain(`SET "value" = '${DEMO_MARKER}'`);
  });

  it('when the batches are small then no insert call carries the whole database', async () => {
    const target = new FakeTarget();
    const truth = await writeDemoDb(target, { enrollments: 4000, batchEnrollments: 100 });
    expect(target.maxRowsPerCall).toBeLessThan(truth.sizes['education.campaign_activities']! / 10);
  });
});

describe('writeDemoDb (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when written into a SQLite file then the tables hold the truth sizes and the marker', async () => {
    const target = await openTarget('sqlite:demo.sqlite', { cwd: dir, create: true });
    try {
      const truth = await writeDemoDb(target, { enrollments: 1500, seed: 11 });
      for (const t of REFERENCE_TABLES) {
        const rows = await target.query(
          `SELECT COUNT(*) AS n FROM ${target.hooks.tableName(t.schema, t.name)}`,
        );
        expect(Number(rows[0]!.n), t.name).toBe(truth.sizes[`${t.schema}.${t.name}`]);
      }
      const marker = await target.query(
        `SELECT value FROM ${target.hooks.tableName('dbo', 'leadlift_demo_info')} WHERE name = 'generator'`,
      );
      expect(marker[0]!.value).toBe(DEMO_MARKER);
      const decision = await target.query(
        `SELECT COUNT(*) AS n FROM ${target.hooks.tableName('education', 'campaign_steps')} WHERE is_decision_point = 1`,
      );
      expect(Number(decision[0]!.n)).toBeGreaterThan(0);
      expect(await inspectDemoTarget(target)).toMatchObject({ isDemo: true });
    } finally {
      await target.close();
    }
  });

  it('when the tables exist without the demo marker then dropDemoTables refuses', async () => {
    const target = await openTarget('sqlite:real.sqlite', { cwd: dir, create: true });
    try {
      await target.execute([`CREATE TABLE ${target.hooks.tableName('education', 'contacts')} (id INTEGER)`]);
      let err: unknown;
      try {
        await dropDemoTables(target, 'real.sqlite');
      } catch (e) {
        err = e;
      }
      expect(isLeadliftError(err, 'demo.notDemoDb')).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('when a load failed halfway then the tables are marked incomplete and --force may drop them', async () => {
    const target = await openTarget('sqlite:halfway.sqlite', { cwd: dir, create: true });
    try {
      let calls = 0;
      const failing = Object.create(target) as typeof target;
      failing.insertRows = async (table, columns, rows) => {
        if (++calls > 20) throw new Error('connection lost');
        return target.insertRows(table, columns, rows);
      };
      await expect(writeDemoDb(failing, { enrollments: 3000 })).rejects.toThrow('connection lost');
      expect(await inspectDemoTarget(target)).toMatchObject({ isDemo: true });
      const marker = await target.query(
        `SELECT value FROM ${target.hooks.tableName('dbo', 'leadlift_demo_info')} WHERE name = 'generator'`,
      );
      expect(marker[0]!.value).toBe(DEMO_MARKER_INCOMPLETE);
      await dropDemoTables(target, 'halfway.sqlite');
      expect((await inspectDemoTarget(target)).tables).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('when a demo database is dropped then it can be written again', async () => {
    const target = await openTarget('sqlite:again.sqlite', { cwd: dir, create: true });
    try {
      await writeDemoDb(target, { enrollments: 200 });
      await dropDemoTables(target, 'again.sqlite');
      expect((await inspectDemoTarget(target)).tables).toEqual([]);
      const truth = await writeDemoDb(target, { enrollments: 200 });
      expect(truth.sizes['education.campaign_enrollments']).toBe(200);
    } finally {
      await target.close();
    }
  });
});

describe.skipIf(PG_SKIP !== undefined)(
  `writeDemoDb (PostgreSQL${PG_SKIP ? `; skipped: ${PG_SKIP}` : ''})`,
  () => {
    it('when written into PostgreSQL then every timestamp form is accepted by timestamptz', async () => {
      const db = await createScratchPg('leadlift_demo');
      try {
        const target = await openTarget(db.url, { cwd: tmpdir() });
        try {
          const truth = await writeDemoDb(target, { enrollments: 400, seed: 3 });
          const rows = await target.query(
            `SELECT COUNT(*) AS n, MIN("timestamp") AS lo FROM "dbo"."Education_Cory_Communication_Log"`,
          );
          expect(Number(rows[0]!.n)).toBe(truth.sizes['dbo.Education_Cory_Communication_Log']);
          // Z, offset and naive-UTC forms all land on the instant the row's created_at follows by seconds.
          const off = await target.query(
            `SELECT COUNT(*) AS n FROM "dbo"."Education_Cory_Communication_Log" WHERE created_at - "timestamp" NOT BETWEEN interval '0' AND interval '5 minutes'`,
          );
          expect(Number(off[0]!.n)).toBe(0);
        } finally {
          await target.close();
        }
      } finally {
        await db.drop();
      }
    });
  },
);
