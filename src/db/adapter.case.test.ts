// The adapter contract, run for every implementation: SQLite on a temp file always;
// PostgreSQL when LEADLIFT_TEST_PG_URL names a server (a fresh database per run of this
// file); SQL Server when LEADLIFT_TEST_MSSQL_URL does (none runs in CI: its T-SQL is
// checked by parsing in mssql/tsql.test.ts).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLeadliftError, type LeadliftError } from '../errors.js';
import { ENTITIES, type EntityName } from '../schema/entities.js';
import { REFERENCE_TABLES } from '../schema/reference.js';
import { createScratchPg, PG_SKIP, withDatabase } from '../test-support/pg.js';
import type {
  Dialect,
  QueryStream,
  Row,
  SourceAdapter,
  SqlParams,
  SqlValue,
  TargetAdapter,
} from './adapter.js';
import {
  ddlFor,
  hooksFor,
  loadQueryPack,
  openSource,
  openTarget,
  parseDbUrl,
  shippedPackDir,
} from './index.js';

interface Database {
  /** URL of the database the suite may fill and drop. */
  readonly url: string;
  readonly cwd: string;
  drop(): Promise<void>;
}

interface Implementation {
  readonly dialect: Dialect;
  /** Why the implementation is skipped here; undefined when it runs. */
  readonly skip: string | undefined;
  create(): Promise<Database>;
  /** A URL that can't connect, with the password "s3cret-pw". */
  readonly unreachableUrl: string;
  /** SELECT returning one binary value named b. */
  readonly binarySql: string;
  /** How a stored true comes back. */
  readonly trueValue: SqlValue;
}

const MSSQL_URL = process.env.LEADLIFT_TEST_MSSQL_URL;
const scratchName = () => `leadlift_t_${randomBytes(6).toString('hex')}`;

const IMPLEMENTATIONS: readonly Implementation[] = [
  {
    dialect: 'sqlite',
    skip: undefined,
    async create() {
      const cwd = mkdtempSync(join(tmpdir(), 'leadlift-db-'));
      return {
        url: 'sqlite:data/agent-cory.sqlite',
        cwd,
        drop: async () => rmSync(cwd, { recursive: true, force: true }),
      };
    },
    unreachableUrl: 'sqlite:does/not/exist.sqlite',
    binarySql: "SELECT x'00ff' AS b",
    trueValue: 1,
  },
  {
    dialect: 'postgres',
    skip: PG_SKIP,
    async create() {
      const db = await createScratchPg('leadlift_t');
      return { url: db.url, cwd: tmpdir(), drop: db.drop };
    },
    unreachableUrl: 'postgres://leadlift:s3cret-pw@127.0.0.1:1/nothing',
    binarySql: "SELECT '\\x00ff'::bytea AS b",
    trueValue: true,
  },
  {
    dialect: 'mssql',
    skip: MSSQL_URL
      ? undefined
      : 'LEADLIFT_TEST_MSSQL_URL is not set; the T-SQL is checked by parsing in mssql/tsql.test.ts',
    async create() {
      // Not exercised in CI (no SQL Server there): kept so a developer with a server can run the contract.
      const admin = MSSQL_URL!;
      const name = scratchName();
      const target = await openTarget(admin, { cwd: tmpdir() });
      await target.execute([`CREATE DATABASE [${name}]`]);
      await target.close();
      return {
        url: withDatabase(admin, name),
        cwd: tmpdir(),
        drop: async () => {
          const t = await openTarget(admin, { cwd: tmpdir() });
          await t.execute([
            `ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE`,
            `DROP DATABASE [${name}]`,
          ]);
          await t.close();
        },
      };
    },
    unreachableUrl: 'mssql://leadlift:s3cret-pw@127.0.0.1:1/nothing?connectTimeout=2000',
    binarySql: 'SELECT CAST(0x00FF AS VARBINARY(2)) AS b',
    trueValue: true,
  },
];

for (const impl of IMPLEMENTATIONS) {
  if (impl.skip) console.warn(`adapter contract on ${impl.dialect} skipped: ${impl.skip}`);
}

async function collect(stream: QueryStream): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of stream) rows.push(row);
  return rows;
}

async function caught(p: Promise<unknown> | (() => unknown)): Promise<LeadliftError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isLeadliftError(e)) return e;
    throw e;
  }
  throw new Error('expected a LeadliftError');
}

/** Inserts objects (all with the same keys) into a reference table. */
async function insert(
  target: TargetAdapter,
  table: string,
  objects: readonly Record<string, SqlValue>[],
): Promise<void> {
  const columns = Object.keys(objects[0]!);
  await target.insertRows(
    table,
    columns,
    objects.map((o) => columns.map((c) => o[c] ?? null)),
  );
}

const ids = (rows: readonly Row[], column: string) => rows.map((r) => String(r[column]));

const SINCE = '2024-03-01T00:00:00.000Z';
const UNTIL = '2024-04-01T00:00:00.000Z';
const WINDOW: SqlParams = { since: SINCE, until: UNTIL };

/** A few rows in every reference table, around the window [SINCE, UNTIL). */
async function insertFixture(t: TargetAdapter): Promise<void> {
  await t.transaction(async () => {
    await insert(t, 'education.prompt_templates', [
      {
        id: 10,
        org_id: 1,
        name: 'intro',
        channel: 'sms',
        purpose: 'first_touch',
        template_text: 'Hi {first_name}',
      },
      {
        id: 11,
        org_id: 1,
        name: 'variant b',
        channel: 'sms',
        purpose: 'first_touch',
        template_text: 'Hello there',
      },
    ]);
    await insert(t, 'education.campaigns', [
      {
        id: 100,
        org_id: 1,
        name: 'Spring',
        campaign_type: 'nurture',
        created_at: '2024-01-01T00:00:00.000Z',
      },
    ]);
    await insert(t, 'education.campaign_steps', [
      {
        id: 1000,
        campaign_id: 100,
        order_id: 1,
        channel: 'sms',
        prompt_template_id: 10,
        is_decision_point: true,
      },
      {
        id: 1001,
        campaign_id: 100,
        order_id: 2,
        channel: 'voice',
        prompt_template_id: null,
        is_decision_point: false,
      },
    ]);
    await insert(t, 'education.campaign_step_variants', [
      {
        id: 500,
        org_id: 1,
        step_id: 1000,
        variant_key: 'B',
        is_control: true,
        allocation_weight: 0.5,
        prompt_template_id: 11,
      },
    ]);
    await insert(t, 'education.contacts', [
      // 1: created before the window, enrolled in it → extracted.
      {
        id: 1,
        org_id: 1,
        first_name: 'Ann',
        email: 'ann@example.com',
        ghl_contact_id: 'ghl-1',
        created_at: '2024-01-10T00:00:00.000Z',
      },
      // 2: created in the window, not enrolled → extracted.
      {
        id: 2,
        org_id: 1,
        first_name: 'Bo',
        email: 'bo@example.com',
        ghl_contact_id: 'ghl-2',
        created_at: '2024-03-10T00:00:00.000Z',
      },
      // 3: created and enrolled before the window → not extracted.
      {
        id: 3,
        org_id: 1,
        first_name: 'Cy',
        email: null,
        ghl_contact_id: 'ghl-3',
        created_at: '2024-01-01T00:00:00.000Z',
      },
      // 4: created exactly at @until → not extracted (half-open window).
      { id: 4, org_id: 1, first_name: 'Di', email: null, ghl_contact_id: 'ghl-4', created_at: UNTIL },
    ]);
    await insert(t, 'education.campaign_enrollments', [
      {
        id: 201,
        org_id: 1,
        contact_id: 1,
        campaign_id: 100,
        status: 'active',
        created_at: '2024-03-05T00:00:00.000Z',
      },
      {
        id: 203,
        org_id: 1,
        contact_id: 3,
        campaign_id: 100,
        status: 'completed',
        created_at: '2024-02-01T00:00:00.000Z',
      },
    ]);
    await insert(t, 'education.campaign_activities', [
      {
        id: 301,
        org_id: 1,
        enrollment_id: 201,
        campaign_id: 100,
        step_id: 1000,
        attempt_no: 1,
        channel: 'sms',
        variant_id: 500,
        created_at: '2024-03-05T01:00:00.000Z',
      },
      {
        id: 302,
        org_id: 1,
        enrollment_id: 203,
        campaign_id: 100,
        step_id: 1000,
        attempt_no: 1,
        channel: 'sms',
        variant_id: null,
        created_at: '2024-02-01T01:00:00.000Z',
      },
    ]);
    await insert(t, 'dbo.Education_Cory_Communication_Log', [
      {
        message_id: 'm1',
        ghl_contact_id: 'ghl-1',
        direction: 'inbound',
        channel: 'sms',
        body: 'yes please',
        timestamp: '2024-03-05T02:00:00.000Z',
        created_at: '2024-03-05T02:00:01.000Z',
      },
      // No contact has this CRM id: not extracted (inner join).
      {
        message_id: 'm2',
        ghl_contact_id: 'ghl-unknown',
        direction: 'inbound',
        channel: 'sms',
        body: 'who?',
        timestamp: '2024-03-05T03:00:00.000Z',
        created_at: '2024-03-05T03:00:00.000Z',
      },
      {
        message_id: 'm3',
        ghl_contact_id: 'ghl-1',
        direction: 'outbound',
        channel: 'sms',
        body: 'later',
        timestamp: '2024-04-02T00:00:00.000Z',
        created_at: '2024-04-02T00:00:00.000Z',
      },
    ]);
    await insert(t, 'education.booking_appointments', [
      {
        appointment_id: 401,
        org_id: 1,
        contact_id: 1,
        ghl_contact_id: 'ghl-1',
        enrollment_id: 201,
        status: 'booked',
        requested_at: '2024-03-06T00:00:00.000Z',
        scheduled_at: '2024-03-08T15:00:00.000Z',
        created_at: '2024-03-06T00:00:00.000Z',
      },
      {
        appointment_id: 402,
        org_id: 1,
        contact_id: 3,
        ghl_contact_id: 'ghl-3',
        enrollment_id: 203,
        status: 'booked',
        requested_at: '2024-02-02T00:00:00.000Z',
        scheduled_at: null,
        created_at: '2024-02-02T00:00:00.000Z',
      },
    ]);
    await insert(t, 'education.lead_outcome_events', [
      {
        id: 501,
        org_id: 1,
        contact_id: 1,
        enrollment_id: 201,
        event_type: 'converted',
        occurred_at: '2024-03-07T00:00:00.000Z',
        created_at: '2024-03-07T00:00:05.000Z',
        amount: 1200.5,
        source: 'crm',
      },
    ]);
  });
}

/** What each shipped pack file must return from the fixture, by key column. */
const EXPECTED_KEYS: Record<EntityName, { column: string; values: string[] }> = {
  contacts: { column: 'contact_id', values: ['1', '2'] },
  campaigns: { column: 'campaign_id', values: ['100'] },
  campaign_steps: { column: 'step_id', values: ['1000', '1001'] },
  step_variants: { column: 'variant_id', values: ['500'] },
  enrollments: { column: 'enrollment_id', values: ['201'] },
  activities: { column: 'activity_id', values: ['301'] },
  messages: { column: 'message_id', values: ['m1'] },
  outcomes: { column: 'outcome_id', values: ['booking:401', 'event:501'] },
};

for (const impl of IMPLEMENTATIONS) {
  const suite = impl.skip ? describe.skip : describe;
  suite(`adapters on ${impl.dialect}${impl.skip ? ` (skipped: ${impl.skip})` : ''}`, () => {
    let db: Database;
    let target: TargetAdapter;
    let source: SourceAdapter;
    const hooks = hooksFor(impl.dialect);
    const table = (qualified: string) => {
      const [schema, name] = qualified.split('.') as [string, string];
      return hooks.tableName(schema, name);
    };
    const count = async (qualified: string) =>
      Number((await target.query(`SELECT count(*) AS n FROM ${table(qualified)}`))[0]!.n);

    beforeAll(async () => {
      db = await impl.create();
      target = await openTarget(db.url, { cwd: db.cwd, create: true });
      await target.transaction(() => target.execute(ddlFor(impl.dialect)));
      source = await openSource(db.url, { cwd: db.cwd });
    });

    afterAll(async () => {
      await source?.close();
      await target?.close();
      await db?.drop();
    });

    describe('ddlFor', () => {
      it('when the DDL is applied in one transaction then every reference table exists and is empty', async () => {
        for (const t of REFERENCE_TABLES) expect(await count(`${t.schema}.${t.name}`)).toBe(0);
      });

      it('when the DDL is applied a second time then db.queryFailed is raised and nothing changes', async () => {
        const e = await caught(target.transaction(() => target.execute(ddlFor(impl.dialect))));
        expect(e.code).toBe('db.queryFailed');
        expect(e.exitCode).toBe(4);
      });
    });

    describe('fingerprint', () => {
      it('when a source is opened then its fingerprint names dialect and database but no credentials', () => {
        const u = parseDbUrl(db.url, db.cwd);
        expect(source.fingerprint.dialect).toBe(impl.dialect);
        if (u.dialect === 'sqlite') {
          expect(source.fingerprint).toEqual({ dialect: 'sqlite', database: 'agent-cory.sqlite' });
        } else {
          expect(source.fingerprint).toEqual({
            dialect: impl.dialect,
            database: u.database,
            host: `${u.host}:${u.port}`,
          });
          if (u.password) expect(JSON.stringify(source.fingerprint)).not.toContain(u.password);
        }
      });
    });

    describe('insertRows', () => {
      it('when rows are inserted then a parameterized stream returns them with normalized values', async () => {
        await target.execute([
          `CREATE TABLE ${hooks.quoteIdent('rt')} (${hooks.quoteIdent('id')} ${impl.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT'}, ${hooks.quoteIdent('name')} ${impl.dialect === 'mssql' ? 'NVARCHAR(100)' : 'TEXT'}, ${hooks.quoteIdent('at')} ${impl.dialect === 'sqlite' ? 'TEXT' : impl.dialect === 'postgres' ? 'timestamptz' : 'DATETIMEOFFSET(3)'}, ${hooks.quoteIdent('score')} FLOAT)`,
        ]);
        await target.insertRows(
          'rt',
          ['id', 'name', 'at', 'score'],
          [
            [1, "O'Brien; DROP TABLE x", '2024-03-01T10:00:00.000Z', 0.25],
            [2, null, '2024-03-02T10:00:00.123Z', null],
            [3, 'ü ✓', null, -1e-9],
          ],
        );
        const stream = source.stream('SELECT id, name, at, score FROM rt WHERE id >= @min ORDER BY id', {
          min: 2,
        });
        const rows = await collect(stream);
        expect(await stream.columns()).toEqual(['id', 'name', 'at', 'score']);
        expect(rows.map((r) => ({ ...r, id: String(r.id) }))).toEqual([
          { id: '2', name: null, at: '2024-03-02T10:00:00.123Z', score: null },
          { id: '3', name: 'ü ✓', at: null, score: -1e-9 },
        ]);
      });

      it('when rows are read as arrays then they match the rows read as objects, in column order', async () => {
        await target.execute([
          `CREATE TABLE ${hooks.quoteIdent('ra')} (${hooks.quoteIdent('id')} ${impl.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT'}, ${hooks.quoteIdent('name')} ${impl.dialect === 'mssql' ? 'NVARCHAR(100)' : 'TEXT'}, ${hooks.quoteIdent('at')} ${impl.dialect === 'sqlite' ? 'TEXT' : impl.dialect === 'postgres' ? 'timestamptz' : 'DATETIMEOFFSET(3)'}, ${hooks.quoteIdent('score')} FLOAT)`,
        ]);
        await target.insertRows(
          'ra',
          ['id', 'name', 'at', 'score'],
          [
            [1, 'a', '2024-03-01T10:00:00.000Z', 0.25],
            [2, null, '2024-03-02T10:00:00.123Z', null],
          ],
        );
        const sql = 'SELECT score, id, at, name FROM ra WHERE id >= @min ORDER BY id';
        const objects = await collect(source.stream(sql, { min: 1 }));
        const stream = source.streamRows(sql, { min: 1 });
        const arrays: (readonly unknown[])[] = [];
        for await (const r of stream) arrays.push(r);
        const columns = await stream.columns();
        expect(columns).toEqual(['score', 'id', 'at', 'name']);
        expect(arrays).toEqual(objects.map((o) => columns.map((c) => o[c])));
        const e = await caught(
          (async () => {
            for await (const _ of source.streamRows(impl.binarySql, {})) {
            }
          })(),
        );
        expect(e.code).toBe('db.unsupportedValue');
      });

      it('when more rows than one batch holds are inserted then all of them arrive', async () => {
        await target.execute([`CREATE TABLE ${hooks.quoteIdent('big')} (a INTEGER, b INTEGER, c INTEGER)`]);
        const n = 25_000;
        const rows = Array.from({ length: n }, (_, i) => [i, i * 2, i % 7]);
        await target.insertRows('big', ['a', 'b', 'c'], rows);
        const [r] = await target.query('SELECT count(*) AS n, sum(b) AS s FROM big');
        expect(Number(r!.n)).toBe(n);
        expect(Number(r!.s)).toBe(n * (n - 1));
      });

      it('when booleans are inserted then they come back as the dialect stores them', async () => {
        const rows = await collect(
          source.stream(
            `SELECT is_control FROM ${table('education.campaign_step_variants')} WHERE id = @id`,
            { id: -1 },
          ),
        );
        expect(rows).toEqual([]);
        await insert(target, 'education.campaign_step_variants', [{ id: -1, is_control: true }]);
        const back = await collect(
          source.stream(
            `SELECT is_control FROM ${table('education.campaign_step_variants')} WHERE id = @id`,
            { id: -1 },
          ),
        );
        expect(back).toEqual([{ is_control: impl.trueValue }]);
        await target.execute([`DELETE FROM ${table('education.campaign_step_variants')} WHERE id = -1`]);
      });
    });

    describe('stream', () => {
      it('when rows sit on both window edges then the half-open window keeps @since and drops @until', async () => {
        await target.execute([
          `CREATE TABLE ${hooks.quoteIdent('win')} (id INTEGER, created_at ${impl.dialect === 'sqlite' ? 'TEXT' : impl.dialect === 'postgres' ? 'timestamptz' : 'DATETIMEOFFSET(3)'})`,
        ]);
        await target.insertRows(
          'win',
          ['id', 'created_at'],
          [
            [1, '2024-02-29T23:59:59.999Z'],
            [2, SINCE],
            [3, '2024-03-31T23:59:59.999Z'],
            [4, UNTIL],
          ],
        );
        const rows = await collect(
          source.stream(
            'SELECT id FROM win WHERE created_at >= @since AND created_at < @until ORDER BY id',
            WINDOW,
          ),
        );
        expect(ids(rows, 'id')).toEqual(['2', '3']);
      });

      it('when the result is empty then columns() gives the columns and no row arrives', async () => {
        const stream = source.stream(
          `SELECT id, org_id, status FROM ${table('education.campaign_enrollments')} WHERE id < 0`,
          {},
        );
        expect(await stream.columns()).toEqual(['id', 'org_id', 'status']);
        expect(await collect(stream)).toEqual([]);
      });

      it('when the SQL uses a parameter not given then query.missingParam names it and not the given values', async () => {
        const e = await caught(
          collect(source.stream('SELECT 1 AS a WHERE @since < @until', { since: 'secret-since' })),
        );
        expect(e.code).toBe('query.missingParam');
        expect(e.message).toContain('@until');
        expect(e.message).not.toContain('secret-since');
      });

      it('when the query fails then db.queryFailed carries the SQL and the parameter count but no values', async () => {
        const e = await caught(
          collect(
            source.stream(
              'SELECT * FROM no_such_table WHERE a = @since',
              { since: 'secret-value' },
              { label: 'pack/x.sql' },
            ),
          ),
        );
        expect(e.code).toBe('db.queryFailed');
        expect(e.exitCode).toBe(4);
        expect(e.message).toContain('no_such_table');
        expect(e.message).toContain('1 parameter');
        expect(e.message).toContain('pack/x.sql');
        expect(e.message).not.toContain('secret-value');
      });

      it('when columns() of a failing query rejects without iteration then the next stream still runs', async () => {
        const e = await caught(source.stream('SELECT * FROM no_such_table', {}).columns());
        expect(e.code).toBe('db.queryFailed');
        expect(await collect(source.stream('SELECT 1 AS x', {}))).toHaveLength(1);
      });

      it('when a column holds binary data then db.unsupportedValue names the column', async () => {
        const e = await caught(collect(source.stream(impl.binarySql, {})));
        expect(e.code).toBe('db.unsupportedValue');
        expect(e.message).toContain('"b"');
      });

      it('when two columns share a name then query.duplicateColumns is raised', async () => {
        const e = await caught(collect(source.stream('SELECT 1 AS a, 2 AS a', {})));
        expect(e.code).toBe('query.duplicateColumns');
      });

      it('when a second stream starts while one is open then db.streamOpen is raised, and it works after the first ends', async () => {
        const first = source.stream('SELECT a FROM big ORDER BY a', {});
        const it1 = first[Symbol.asyncIterator]();
        expect((await it1.next()).done).toBe(false);
        const e = await caught(source.stream('SELECT 1 AS x', {}).columns());
        expect(e.code).toBe('db.streamOpen');
        await it1.return?.();
        expect(await collect(source.stream('SELECT 1 AS x', {}))).toHaveLength(1);
      });

      it('when the reader breaks out early then the next stream runs', async () => {
        let seen = 0;
        for await (const _ of source.stream('SELECT a FROM big ORDER BY a', {})) {
          if (++seen === 3) break;
        }
        expect(seen).toBe(3);
        const rows = await collect(source.stream('SELECT count(*) AS n FROM big', {}));
        expect(Number(rows[0]!.n)).toBe(25_000);
      });
    });

    describe('transaction', () => {
      it('when the function throws then its writes are rolled back and the error is rethrown', async () => {
        const before = await count('education.campaigns');
        await expect(
          target.transaction(async () => {
            await insert(target, 'education.campaigns', [{ id: 9001, org_id: 9, name: 'rolled back' }]);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await count('education.campaigns')).toBe(before);
      });

      it('when a nested transaction throws and the outer one catches it then only the inner writes are undone', async () => {
        const before = await count('education.campaigns');
        await target.transaction(async () => {
          await insert(target, 'education.campaigns', [{ id: 9002, org_id: 9, name: 'kept' }]);
          await target
            .transaction(async () => {
              await insert(target, 'education.campaigns', [{ id: 9003, org_id: 9, name: 'undone' }]);
              throw new Error('inner');
            })
            .catch(() => {});
        });
        expect(await count('education.campaigns')).toBe(before + 1);
        await target.execute([`DELETE FROM ${table('education.campaigns')} WHERE id = 9002`]);
      });
    });

    describe('SourceAdapter read-only', () => {
      it('when a write is sent through stream then the guard refuses it before the database sees it', async () => {
        const e = await caught(() =>
          source.stream(`INSERT INTO ${table('education.campaigns')} (id) VALUES (-5)`, {}),
        );
        expect(e.code).toBe('query.notSelect');
      });

      it('when a write bypasses the guard then the database itself refuses it (db.readOnlyViolation)', async () => {
        const internal = source as unknown as {
          unguardedStream(sql: string, params: SqlParams): QueryStream;
        };
        const before = await count('education.campaigns');
        const e = await caught(
          collect(
            internal.unguardedStream(
              `INSERT INTO ${table('education.campaigns')} (id, org_id) VALUES (@id, 1)`,
              { id: -5 },
            ),
          ),
        );
        expect(e.code).toBe('db.readOnlyViolation');
        expect(e.exitCode).toBe(4);
        expect(await count('education.campaigns')).toBe(before);
      });
    });

    describe('openSource', () => {
      it('when the server or file is unreachable then db.unreachable (exit 4) shows no password', async () => {
        const e = await caught(openSource(impl.unreachableUrl, { cwd: db.cwd }));
        expect(e.code).toBe('db.unreachable');
        expect(e.exitCode).toBe(4);
        expect(e.message).not.toContain('s3cret-pw');
        expect(e.message).toMatch(/--source-url|LEADLIFT_SOURCE_URL/);
      });
    });

    describe('shipped query pack', () => {
      beforeAll(async () => {
        await insertFixture(target);
      });

      for (const entity of ENTITIES) {
        it(`when ${entity.name}.sql runs on the reference schema then it returns exactly the canonical columns and the windowed rows`, async () => {
          const pack = loadQueryPack(shippedPackDir(impl.dialect), {}, { dialect: impl.dialect });
          const file = pack.files[entity.name];
          const stream = source.stream(file.sql, WINDOW, { label: file.path });
          const rows = await collect(stream);
          expect(await stream.columns()).toEqual(entity.columns.map((c) => c.name));
          const expected = EXPECTED_KEYS[entity.name];
          expect(ids(rows, expected.column)).toEqual(expected.values);
        });
      }

      it('when the packs join prompt text, org and outcome fields then the values are the fixture’s', async () => {
        const pack = loadQueryPack(shippedPackDir(impl.dialect), {}, { dialect: impl.dialect });
        const run = (e: EntityName) => collect(source.stream(pack.files[e].sql, WINDOW));
        const steps = await run('campaign_steps');
        expect(steps.map((s) => [String(s.org_id), s.prompt_text])).toEqual([
          ['1', 'Hi {first_name}'],
          ['1', null],
        ]);
        expect(steps[0]!.is_decision_point).toBe(impl.trueValue);
        const variants = await run('step_variants');
        expect(variants[0]!.prompt_text).toBe('Hello there');
        const messages = await run('messages');
        expect(messages[0]).toMatchObject({ message_ts: '2024-03-05T02:00:00.000Z', body: 'yes please' });
        expect(String(messages[0]!.contact_id)).toBe('1');
        const outcomes = await run('outcomes');
        expect(outcomes.map((o) => [o.outcome_type, o.occurred_at, o.recorded_at, o.amount])).toEqual([
          ['call_booked', '2024-03-06T00:00:00.000Z', '2024-03-06T00:00:00.000Z', null],
          ['converted', '2024-03-07T00:00:00.000Z', '2024-03-07T00:00:05.000Z', 1200.5],
        ]);
        expect(String(outcomes[0]!.enrollment_id)).toBe('201');
        const contacts = await run('contacts');
        expect(contacts[0]).toMatchObject({
          first_name: 'Ann',
          email: 'ann@example.com',
          ghl_contact_id: 'ghl-1',
        });
      });
    });
  });
}
