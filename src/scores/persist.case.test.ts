// The upsert contract, run on SQLite always and on PostgreSQL when LEADLIFT_TEST_PG_URL
// names a server (a fresh database per run of this file): insert, update, idempotent
// repeat, history, rollback, dry run, a connection broken mid-write, two concurrent writers.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import type { Dialect, Row, TargetAdapter } from '../db/adapter.js';
import { openTarget } from '../db/index.js';
import { isLeadliftError } from '../errors.js';
import { createScratchPg, PG_SKIP } from '../test-support/pg.js';
import { createScoresTables } from './create.js';
import { persistScores } from './persist.js';
import { rollbackScores } from './rollback.js';
import { writeTestRun } from './test-run.js';
import { STAGE_CHUNK_ROWS } from './write.js';

interface Db {
  readonly url: string;
  /** Ends every other connection's backend (PostgreSQL) — used to break a write. */
  terminateOthers?(): Promise<void>;
  drop(): Promise<void>;
}

interface Impl {
  readonly dialect: Dialect;
  readonly skip: string | undefined;
  create(cwd: string): Promise<Db>;
}

const IMPLS: readonly Impl[] = [
  {
    dialect: 'sqlite',
    skip: undefined,
    async create() {
      return { url: 'sqlite:scores.sqlite', drop: async () => {} };
    },
  },
  {
    dialect: 'postgres',
    skip: PG_SKIP,
    async create() {
      const db = await createScratchPg('leadlift_s');
      return {
        url: db.url,
        terminateOthers: () =>
          db.admin(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db.name}' AND pid <> pg_backend_pid()`,
          ),
        drop: db.drop,
      };
    },
  },
];

for (const impl of IMPLS) {
  describe.skipIf(impl.skip !== undefined)(
    `persistScores on ${impl.dialect}${impl.skip ? ` (skipped: ${impl.skip})` : ''}`,
    () => {
      let cwd: string;
      let db: Db;
      let reader: TargetAdapter;
      const config = () => configSchema.parse({ targetUrl: db.url, auditLog: 'audit.jsonl' });
      const env = { LEADLIFT_ACTOR: 'test' };
      const at = (iso: string) => () => new Date(iso);
      const scoresTable = () => (impl.dialect === 'sqlite' ? '"dbo_lead_scores"' : '"dbo"."lead_scores"');
      const historyTable = () =>
        impl.dialect === 'sqlite' ? '"dbo_lead_scores_history"' : '"dbo"."lead_scores_history"';
      const rows = async (): Promise<Row[]> =>
        (await reader.query(`SELECT * FROM ${scoresTable()} ORDER BY org_id, enrollment_id`)).map((r) => ({
          ...r,
          org_id: Number(r.org_id),
          enrollment_id: Number(r.enrollment_id),
        }));
      const history = async (): Promise<Row[]> =>
        reader.query(`SELECT * FROM ${historyTable()} ORDER BY history_id`);
      const persist = (
        run: { predictionsCsv: string; metricsJson: string },
        extra: Record<string, unknown> = {},
      ) => persistScores({ config: config(), cwd, env, ...run, ...extra });

      beforeAll(async () => {
        cwd = mkdtempSync(join(tmpdir(), 'leadlift-scores-'));
        db = await impl.create(cwd);
        await createScoresTables({ config: config(), cwd, env, createFile: true });
        reader = await openTarget(db.url, { cwd });
      });
      afterAll(async () => {
        await reader?.close();
        await db?.drop();
        rmSync(cwd, { recursive: true, force: true });
      });

      it('when the tables are created twice then the second call changes nothing and succeeds', async () => {
        await createScoresTables({ config: config(), cwd, env });
        expect(await rows()).toEqual([]);
      });

      it('when a run is persisted then its test rows are inserted with its values and each is in the history', async () => {
        const a = writeTestRun(cwd, { runName: 'run-a', n: 40 });
        const r = await persist(a, { now: at('2026-03-02T00:00:00.000Z') });
        expect(r).toMatchObject({
          run: 'run-a',
          selected: 10,
          inserted: 10,
          updated: 0,
          unchanged: 0,
          dryRun: false,
        });
        expect(r.rowsBySplit).toEqual({ test: 10 });
        const t = await rows();
        expect(t.map((x) => Number(x.enrollment_id)).sort((p, q) => p - q)).toEqual(
          [...Array(10)].map((_, i) => 4 + 4 * i),
        );
        const row4 = t.find((x) => x.enrollment_id === 4)!;
        expect(row4).toMatchObject({
          org_id: 2,
          label_col: 'booked_call_within_7d',
          split: 'test',
          run_name: 'run-a',
          rank: 4,
          decile: 4,
        });
        expect(Number(row4.score)).toBe(((3 * 7919) % 1000) / 1000);
        expect(row4.reasons).toBe('note = "say hi" \\ back ✓ (+0.2)');
        expect(String(row4.model_version)).toMatch(/^sha256:[0-9a-f]{16}$/);
        expect(new Date(String(row4.created_at_utc)).toISOString()).toBe('2026-03-02T00:00:00.000Z');
        const h = await history();
        expect(h.length).toBe(10);
        expect(new Set(h.map((x) => x.action))).toEqual(new Set(['upsert']));
        expect(h.every((x) => x.previous_run_name === null && Number(x.forced) === 0)).toBe(true);
      });

      it('when the same call runs again then nothing changes, not even updated_at_utc or the history', async () => {
        const before = await rows();
        const hBefore = (await history()).length;
        const a = writeTestRun(cwd, { runName: 'run-a', n: 40 });
        const r = await persist(a, { now: at('2026-03-03T00:00:00.000Z') });
        expect(r).toMatchObject({ inserted: 0, updated: 0, unchanged: 10 });
        expect(await rows()).toEqual(before);
        expect((await history()).length).toBe(hBefore);
      });

      it('when a later run overlaps then changed keys are updated, new keys inserted, created_at_utc kept', async () => {
        // Ids 21..60: keys 24..40 overlap run-a's test keys; scores differ.
        const b = writeTestRun(cwd, {
          runName: 'run-b',
          n: 40,
          firstId: 21,
          score: (k) => ((k * 31) % 97) / 97,
        });
        const dry = await persist(b, { dryRun: true });
        const before = await rows();
        expect(await rows()).toEqual(before);
        const r = await persist(b, { now: at('2026-03-04T00:00:00.000Z') });
        expect({ inserted: r.inserted, updated: r.updated }).toEqual({
          inserted: dry.inserted,
          updated: dry.updated,
        });
        // run-b test rows: k%4==3 → ids 24, 28, …, 60 (10 keys); run-a had 4, 8, …, 40.
        expect(r).toMatchObject({ selected: 10, inserted: 5, updated: 5, unchanged: 0 });
        const t = await rows();
        expect(t.length).toBe(15);
        const k28 = t.find((x) => x.enrollment_id === 28)!;
        expect(k28.run_name).toBe('run-b');
        expect(new Date(String(k28.created_at_utc)).toISOString()).toBe('2026-03-02T00:00:00.000Z');
        expect(new Date(String(k28.updated_at_utc)).toISOString()).toBe('2026-03-04T00:00:00.000Z');
        expect(t.find((x) => x.enrollment_id === 8)!.run_name).toBe('run-a');
        const h = (await history()).filter((x) => x.run_name === 'run-b');
        expect(h.length).toBe(10);
        expect(h.filter((x) => x.previous_run_name === 'run-a').length).toBe(5);
      });

      it('when rolled back to the earlier run then its keys get its values back and later-only keys stay', async () => {
        const dry = await rollbackScores({ config: config(), cwd, env, toRun: 'run-a', dryRun: true });
        expect(dry).toMatchObject({ keys: 10, inserted: 0, updated: 5, unchanged: 5 });
        const r = await rollbackScores({
          config: config(),
          cwd,
          env,
          toRun: 'run-a',
          now: at('2026-03-05T00:00:00.000Z'),
        });
        expect(r).toMatchObject({ keys: 10, inserted: 0, updated: 5, unchanged: 5 });
        const t = await rows();
        expect(t.length).toBe(15);
        expect(t.filter((x) => x.run_name === 'run-a').length).toBe(10);
        expect(
          t
            .filter((x) => x.run_name === 'run-b')
            .map((x) => x.enrollment_id)
            .sort(),
        ).toEqual([44, 48, 52, 56, 60]);
        const rb = (await history()).filter((x) => x.action === 'rollback');
        expect(rb.length).toBe(5);
        expect(rb.every((x) => x.run_name === 'run-a' && x.previous_run_name === 'run-b')).toBe(true);
        await expect(
          rollbackScores({ config: config(), cwd, env, toRun: 'no-such-run' }),
        ).rejects.toMatchObject({
          code: 'scores.unknownRun',
        });
      });

      it('when --split all then train, validation and test rows are all written and counted per split', async () => {
        const c = writeTestRun(cwd, {
          runName: 'run-c',
          n: 8,
          firstId: 1000,
          labelCol: 'qualified_within_14d',
        });
        const r = await persist(c, { split: 'all' });
        expect(r.rowsBySplit).toEqual({ train: 4, validation: 2, test: 2 });
        expect(r).toMatchObject({ selected: 8, inserted: 8 });
        const t = await persist(c, { split: 'train', dryRun: true });
        expect(t).toMatchObject({ selected: 6, inserted: 0, updated: 0, unchanged: 6 });
      });

      it('when the connection breaks after the first staging batch then both tables are unchanged', async () => {
        const before = await rows();
        const hBefore = await history();
        const big = writeTestRun(cwd, { runName: 'run-big', n: 4 * 3 * STAGE_CHUNK_ROWS, firstId: 100_000 });
        let batches = 0;
        const wrapTarget = (t: TargetAdapter): TargetAdapter => {
          const insertRows = t.insertRows.bind(t);
          const query = t.query.bind(t);
          // After the first staging batch (multi-row INSERT or column arrays), break the write.
          const afterBatch = async () => {
            if (++batches === 1) {
              if (db.terminateOthers) await db.terminateOthers();
              else throw new Error('injected fault after the first batch');
            }
          };
          return Object.assign(Object.create(Object.getPrototypeOf(t)), t, {
            insertRows: async (...args: Parameters<TargetAdapter['insertRows']>) => {
              await insertRows(...args);
              await afterBatch();
            },
            query: async (...args: Parameters<TargetAdapter['query']>) => {
              const rows = await query(...args);
              if (/^INSERT INTO \S*leadlift_scores_stage/.test(args[0])) await afterBatch();
              return rows;
            },
          });
        };
        const err = await persist(big, { wrapTarget }).catch((e: unknown) => e);
        expect(batches).toBeGreaterThanOrEqual(1);
        expect(err).toBeInstanceOf(Error);
        if (impl.dialect === 'postgres') {
          await reader.close();
          reader = await openTarget(db.url, { cwd });
        }
        expect(await rows()).toEqual(before);
        expect(await history()).toEqual(hBefore);
      });

      it('when two writers persist overlapping keys at once then the table matches one of them with no duplicate key', async () => {
        const x = writeTestRun(cwd, { runName: 'run-x', n: 4000, firstId: 500_000, score: () => 0.25 });
        const y = writeTestRun(cwd, { runName: 'run-y', n: 4000, firstId: 500_000, score: () => 0.75 });
        const results = await Promise.allSettled([persist(x), persist(y)]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        expect(ok.length).toBeGreaterThanOrEqual(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(isLeadliftError(r.reason)).toBe(true);
        }
        const t = (await rows()).filter((r) => Number(r.enrollment_id) >= 500_000);
        expect(t.length).toBe(1000);
        expect(new Set(t.map((r) => `${r.org_id}|${r.enrollment_id}`)).size).toBe(1000);
        const runs = new Set(t.map((r) => r.run_name));
        expect(runs.size).toBe(1);
        const winner = [...runs][0];
        expect(t.every((r) => Number(r.score) === (winner === 'run-x' ? 0.25 : 0.75))).toBe(true);
        // The history's latest entry per key is the winner's.
        const h = (await history()).filter((r) => Number(r.enrollment_id) >= 500_000);
        const latest = new Map<string, unknown>();
        for (const e of h) latest.set(`${e.org_id}|${e.enrollment_id}`, e.run_name);
        expect(new Set(latest.values())).toEqual(new Set([winner]));
      });

      it('when a second writer starts while the first holds the lock then it waits (and commits last) or fails as busy, exit 5', async () => {
        const p = writeTestRun(cwd, { runName: 'run-p', n: 400, firstId: 700_000, score: () => 0.125 });
        const q = writeTestRun(cwd, { runName: 'run-q', n: 400, firstId: 700_000, score: () => 0.875 });
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let locked!: () => void;
        const holding = new Promise<void>((r) => {
          locked = r;
        });
        // Writer P stops right after taking the writers' lock (before counting) until released.
        const pauseAfterLock = (t: TargetAdapter): TargetAdapter => {
          const query = t.query.bind(t);
          return Object.assign(Object.create(Object.getPrototypeOf(t)), t, {
            query: async (...args: Parameters<TargetAdapter['query']>) => {
              if (args[0].startsWith('SELECT COALESCE(SUM(')) {
                locked();
                await gate;
              }
              return query(...args);
            },
          });
        };
        const order: string[] = [];
        const pp = persist(p, { wrapTarget: pauseAfterLock }).then((r) => {
          order.push('p');
          return r;
        });
        await holding;
        const pq = persist(q).then(
          (r) => {
            order.push('q');
            return r;
          },
          (e: unknown) => {
            order.push('q failed');
            throw e;
          },
        );
        await new Promise((r) => setTimeout(r, 300));
        release();
        const [rp, rq] = await Promise.allSettled([pp, pq]);
        expect(rp.status).toBe('fulfilled');
        const t = (await rows()).filter((r) => Number(r.enrollment_id) >= 700_000);
        expect(t.length).toBe(100);
        expect(new Set(t.map((r) => `${r.org_id}|${r.enrollment_id}`)).size).toBe(100);
        if (rq.status === 'rejected') {
          expect(rq.reason).toMatchObject({ code: 'scores.busy', exitCode: 5 });
          expect(t.every((r) => r.run_name === 'run-p' && Number(r.score) === 0.125)).toBe(true);
        } else {
          // Q waited for P's lock, so it committed last and its values stand. (The order in
          // which the two promises settle is not the commit order: P still appends its audit
          // line after committing, which can take longer than Q's whole write.)
          expect(order).toContain('q');
          expect(t.every((r) => r.run_name === 'run-q' && Number(r.score) === 0.875)).toBe(true);
        }
      });
    },
  );
}
