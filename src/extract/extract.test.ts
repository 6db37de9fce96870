import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedPackDir } from '../db/index.js';
import { type DemoDb, demoDb } from '../test-support/demo-db.js';
import { PACKAGE_ROOT } from '../version.js';
import {
  packContacts,
  packEnrollmentContacts,
  unpackContacts,
  unpackEnrollmentContacts,
  unpackEnrollmentNames,
  WorkGroup,
} from './extract.js';
import { packNameWords } from './pii.js';

describe('unpackEnrollmentNames', () => {
  const contacts = new Map([
    ['1\u000010', packNameWords('Maria', 'Lopez', 'Maria Lopez')],
    ['1\u000011', packNameWords(null, null, null)],
    ['2\u000010', packNameWords('Jo', null, null)],
  ]);
  const enrollmentContact = new Map([
    ['100', '1\u000010'],
    ['101', '2\u000010'],
    ['102', '1\u000011'],
    ['103', '9\u000099'],
  ]);

  it('when the packed maps are joined then every enrollment gets what the two lookups give', () => {
    const names = unpackEnrollmentNames(packContacts(contacts), packEnrollmentContacts(enrollmentContact));
    const words = unpackContacts(packContacts(contacts));
    const byContact = unpackEnrollmentContacts(packEnrollmentContacts(enrollmentContact));
    for (const id of ['100', '101', '102', '103', '104']) {
      const contact = byContact.get(id);
      expect(names.get(id)).toBe(contact === undefined ? undefined : words.get(contact));
    }
    expect(names.get('101')).toBe(packNameWords('Jo', null, null));
    // An enrollment whose contact is unknown is left out: its texts are withheld.
    expect(names.has('103')).toBe(false);
  });
});

describe('WorkGroup', () => {
  /**
   * A worker that runs until terminated; `fail` ends it with an error first. As a real
   * Worker, terminate() resolves before its work settles (that comes with the exit event).
   */
  function fakeWorker(name: string, log: string[]) {
    let end!: (e?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      end = (e) => (e === undefined ? resolve() : reject(e));
    });
    const worker = {
      async terminate() {
        log.push(`terminate ${name}`);
        setTimeout(() => end(new Error(`${name} stopped`)), 5);
      },
    };
    const settled = done.then(
      () => log.push(`${name} settled`),
      () => log.push(`${name} settled`),
    );
    return { worker, done, settled, fail: (e: Error) => end(e) };
  }

  it('when one worker fails then all() rejects with its error at once, while the others still run', async () => {
    const log: string[] = [];
    const group = new WorkGroup();
    const a = fakeWorker('a', log);
    const b = fakeWorker('b', log);
    for (const w of [a, b]) {
      group.track(w.worker);
      group.add(w.done);
    }
    const real = new Error('the real failure');
    setTimeout(() => b.fail(real), 1);
    await expect(group.all()).rejects.toBe(real);
    expect(group.signal.aborted).toBe(true);
    expect(group.signal.reason).toBe(real);
    // a still runs: it is stopped only by stop().
    expect(log).toEqual(['b settled']);
    await group.stop();
  });

  it('when the group is stopped then every worker is terminated and all work settles before stop resolves', async () => {
    const log: string[] = [];
    const group = new WorkGroup();
    const workers = ['a', 'b', 'c'].map((n) => fakeWorker(n, log));
    for (const w of workers) {
      group.track(w.worker);
      group.add(w.done);
    }
    workers[0]!.fail(new Error('first'));
    await expect(group.all()).rejects.toThrow('first');
    // What extract's catch does: stop every worker, then remove their folder.
    await group.stop();
    log.push('rm');
    // Every piece of work settled before the folder would be removed.
    const rmAt = log.indexOf('rm');
    for (const n of ['a', 'b', 'c']) expect(log.indexOf(`${n} settled`)).toBeLessThan(rmAt);
    expect(log.indexOf('a settled')).toBeGreaterThanOrEqual(0);
    expect(log.filter((l) => l.startsWith('terminate')).sort()).toEqual([
      'terminate a',
      'terminate b',
      'terminate c',
    ]);
    expect(log.filter((l) => l.endsWith('settled')).sort()).toEqual(['a settled', 'b settled', 'c settled']);
    // A later failure (a terminated worker's exit) does not replace the first.
    expect((group.signal.reason as Error).message).toBe('first');
  });
});

/** The compiled CLI: workers load only compiled code (`npm run build`). */
const COMPILED_CLI = join(PACKAGE_ROOT, 'dist/cli/bin.js');

describe.skipIf(!existsSync(COMPILED_CLI))('extractSnapshot with worker threads (compiled CLI)', () => {
  let db: DemoDb;
  beforeAll(async () => {
    db = await demoDb('leadlift-extract-workers-', 300, 5);
  });
  afterAll(() => db.cleanup());

  // messages run in a worker started after the contacts; outcomes in one started at once.
  it.each([
    ['messages', 'm."timestamp" AS message_ts', 'm."timestamp" AS message_time', 'message_ts'],
    ['outcomes', 'AS outcome_id', 'AS outcome_key', 'outcome_id'],
  ])(
    'when the %s worker fails then its error is reported and no folder is left',
    (entity, from, to, column) => {
      const { work, dbFile, window } = db;
      const packDir = join(work, `pack-${entity}`);
      mkdirSync(packDir);
      cpSync(shippedPackDir('sqlite'), packDir, { recursive: true });
      const file = join(packDir, `${entity}.sql`);
      const sql = readFileSync(file, 'utf8');
      expect(sql).toContain(from);
      writeFileSync(file, sql.replace(from, to));
      const out = join(work, 'runs', `snap-${entity}`);
      const flags = { since: window.since, until: window.until, 'query-dir': packDir, out };
      const args = Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, value]);
      const r = spawnSync(
        process.execPath,
        [COMPILED_CLI, 'extract', '--source-url', `sqlite:${dbFile}`, ...args, '--quiet'],
        { cwd: work, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('extract.missingColumns');
      expect(r.stderr).toContain(`"${column}"`);
      expect(r.stderr).not.toContain('stopped with code');
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(join(work, 'runs'))).toEqual([]);
    },
  );
});
