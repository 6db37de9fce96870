import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkConfigSchema, type QualityReport, runChecks } from '../check/index.js';
import { captureIo } from '../cli/io.js';
import { runCli } from '../cli/run.js';
import { shippedPackDir } from '../db/index.js';
import { writeDemoSqlite } from '../demo/sqlite-file.js';
import { ENTITIES } from '../schema/entities.js';
import { openSnapshot } from '../snapshot/manifest.js';
import { PACKAGE_ROOT } from '../version.js';

/** The compiled CLI: `npm ci` builds it (prepare) before `npm test`; workers load only compiled code. */
const COMPILED_CLI = join(PACKAGE_ROOT, 'dist/cli/bin.js');
if (!existsSync(COMPILED_CLI))
  console.warn(`worker-thread extract test skipped: ${COMPILED_CLI} is not built (npm run build)`);

// One small demo DB shared by the tests of this file; each test extracts into its own folder.
let work: string;
let dbFile: string;
let window: { since: string; until: string };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leadlift-extract-'));
  dbFile = join(work, 'agent-cory.sqlite');
  const { truth } = await writeDemoSqlite(dbFile, { enrollments: 400, seed: 11 }, { cwd: work });
  window = { since: truth.window.start.slice(0, 10), until: truth.window.as_of.slice(0, 10) };
});

function addDays(ymd: string, days: number): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function extract(args: string[], env: Record<string, string> = {}) {
  const io = captureIo({ cwd: work, env });
  const code = await runCli(['extract', '--source-url', `sqlite:${dbFile}`, '--quiet', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/**
 * Extract checks the rows as it writes them; the findings and volumes of its quality.json
 * must equal those of the checks run on the snapshot's files at the same time.
 */
async function expectQualityAsFromFiles(dir: string): Promise<QualityReport> {
  const written = JSON.parse(readFileSync(join(dir, 'quality.json'), 'utf8')) as QualityReport;
  const fromFiles = await runChecks(await openSnapshot(dir), checkConfigSchema.parse({}), {
    now: new Date(written.checked_at_utc),
  });
  // Every entity's checks came from its rows as they were written: none was left for
  // runChecks to read again from its file (which would hide lost row checks).
  expect(written.checked_as_written).toEqual(ENTITIES.map((d) => d.name));
  expect(fromFiles.checked_as_written).toEqual([]);
  expect(written.findings).toEqual(fromFiles.findings);
  expect(written.volume).toEqual(fromFiles.volume);
  expect(written.ok).toBe(fromFiles.ok);
  return written;
}

function allText(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('extract (command)', () => {
  it.each([
    ['the whole history', () => [window.since, window.until]],
    ['a window in the middle of the history', () => [addDays(window.since, 60), addDays(window.since, 90)]],
  ])(
    'when %s is extracted then no PII value of the source appears anywhere in the snapshot',
    async (label, bounds) => {
      const [since, until] = bounds();
      const out = join(work, `snap-pii-${label.length}`);
      const r = await extract(['--since', since!, '--until', until!, '--out', out]);
      expect(r.err).not.toContain('check.');
      expect(r.code).toBe(0);
      const text = allText(out).toLowerCase();
      const db = new Database(dbFile, { readonly: true });
      const contacts = db
        .prepare(
          'SELECT id, first_name, last_name, full_name, email, phone, ghl_contact_id FROM education_contacts',
        )
        .all() as Record<string, string | number | null>[];
      const log = db
        .prepare('SELECT sender, recipient FROM dbo_Education_Cory_Communication_Log')
        .all() as Record<string, string | null>[];
      db.close();
      expect(contacts.length).toBeGreaterThan(100);

      const leaked: string[] = [];
      const mustNotAppear = new Set<string>();
      for (const c of contacts) {
        for (const v of [c.email, c.full_name, c.ghl_contact_id])
          if (v && String(v).length >= 5) mustNotAppear.add(String(v));
        if (c.phone) {
          mustNotAppear.add(String(c.phone));
          const digits = String(c.phone).replace(/\D/g, '');
          if (digits.length >= 7) mustNotAppear.add(digits);
        }
      }
      for (const m of log)
        for (const v of [m.sender, m.recipient]) if (v && v.length >= 5) mustNotAppear.add(v);
      for (const v of mustNotAppear)
        if (text.includes(v.toLowerCase())) leaked.push(v.replace(/./g, '*').slice(0, 8));
      expect(leaked, `${leaked.length} PII values found in the snapshot`).toEqual([]);

      // First and last names are ordinary words too ("Grace", "Long"), so they are searched in
      // the text that belongs to their own contact.
      const names = new Map(
        contacts.map((c) => [String(c.id), [c.first_name, c.last_name].filter(Boolean).map(String)]),
      );
      const enrollmentContact = new Map<string, string>();
      for (const line of readFileSync(join(out, 'enrollments.jsonl'), 'utf8').trim().split('\n').slice(1)) {
        const row = JSON.parse(line) as string[];
        enrollmentContact.set(row[1]!, row[2]!);
      }
      let checked = 0;
      let unknownContact = 0;
      const own = (contactId: string | undefined, texts: unknown[]) => {
        if (contactId === undefined) unknownContact++;
        for (const name of names.get(contactId ?? '') ?? []) {
          const word = new RegExp(`(^|[^\\p{L}])${name}([^\\p{L}]|$)`, 'iu');
          for (const t of texts) {
            if (typeof t !== 'string') continue;
            checked++;
            if (word.test(t)) leaked.push(`${contactId}:${name.length}`);
          }
        }
      };
      const activities = readFileSync(join(out, 'activities.jsonl'), 'utf8').trim().split('\n');
      const aCols = JSON.parse(activities[0]!) as string[];
      for (const line of activities.slice(1)) {
        const row = JSON.parse(line) as unknown[];
        own(enrollmentContact.get(String(row[aCols.indexOf('enrollment_id')])), [
          row[aCols.indexOf('generated_message')],
          row[aCols.indexOf('prompt_used')],
        ]);
      }
      const messages = readFileSync(join(out, 'messages.jsonl'), 'utf8').trim().split('\n');
      const mCols = JSON.parse(messages[0]!) as string[];
      for (const line of messages.slice(1)) {
        const row = JSON.parse(line) as unknown[];
        own(String(row[mCols.indexOf('contact_id')]), [
          row[mCols.indexOf('body')],
          row[mCols.indexOf('subject')],
        ]);
      }
      expect(checked).toBeGreaterThan(200);
      expect(unknownContact, 'activities whose enrollment is not in the snapshot').toBe(0);
      expect(leaked, `${leaked.length} names found in their own contact's text`).toEqual([]);
      expect(text).toContain('[first_name]');
    },
  );

  it('when extract succeeds then the manifest records counts, hashes, window, source and pack', async () => {
    const out = join(work, 'snap-manifest');
    expect((await extract(['--since', window.since, '--until', window.until, '--out', out])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.source).toEqual({ dialect: 'sqlite', database: 'agent-cory.sqlite' });
    expect(manifest.query_pack).toBe('agent-cory-sqlite');
    expect(manifest.window.since).toBe(`${window.since}T00:00:00.000Z`);
    expect(manifest.pii).toMatchObject({ hash: 'hmac-sha256', demo_key: true });
    expect(manifest.entities.enrollments.rows).toBeGreaterThan(300);
    expect(manifest.entities.activities.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.entities.contacts.columns.map((c: { name: string }) => c.name)).not.toContain('email');
    const quality = await expectQualityAsFromFiles(out);
    expect(quality.findings.map((f) => f.check)).toContain('check.duplicateKey');
  });

  it('when the same window is extracted twice then the entity files are identical', async () => {
    const a = join(work, 'snap-a');
    const b = join(work, 'snap-b');
    await extract(['--since', window.since, '--until', window.until, '--out', a]);
    await extract(['--since', window.since, '--until', window.until, '--out', b]);
    const ma = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    const mb = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8'));
    for (const e of Object.keys(ma.entities)) expect(mb.entities[e].sha256).toBe(ma.entities[e].sha256);
  });

  it.skipIf(!existsSync(COMPILED_CLI))(
    'when the compiled CLI extracts and cleans in worker threads then the files equal a one-thread run',
    async () => {
      const one = join(work, 'snap-one-thread');
      const two = join(work, 'snap-worker');
      expect((await extract(['--since', window.since, '--until', window.until, '--out', one])).code).toBe(0);
      const r = spawnSync(
        process.execPath,
        [
          COMPILED_CLI,
          'extract',
          '--source-url',
          `sqlite:${dbFile}`,
          '--since',
          window.since,
          '--until',
          window.until,
          '--out',
          two,
          '--quiet',
        ],
        { cwd: work, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const a = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
      const b = JSON.parse(readFileSync(join(two, 'manifest.json'), 'utf8'));
      for (const e of Object.keys(a.entities)) expect(b.entities[e].sha256, e).toBe(a.entities[e].sha256);
      // The worker threads checked their rows as they wrote them too.
      await expectQualityAsFromFiles(two);

      // Clean: the compiled CLI cleans activities, messages and outcomes at once in worker
      // threads; the sources here clean them one after the other in this thread.
      const cleanOne = join(work, 'clean-one-thread');
      const cleanWorkers = join(work, 'clean-workers');
      const io = captureIo({ cwd: work, env: {} });
      expect(await runCli(['clean', one, '--out', cleanOne, '--quiet'], io), io.err()).toBe(0);
      const c = spawnSync(process.execPath, [COMPILED_CLI, 'clean', one, '--out', cleanWorkers, '--quiet'], {
        cwd: work,
        encoding: 'utf8',
      });
      expect(c.status, c.stderr).toBe(0);
      const files = readdirSync(cleanOne).filter((f) => f.endsWith('.jsonl') || f === 'clean.json');
      expect(files.length).toBeGreaterThanOrEqual(9);
      for (const f of files) {
        expect(readFileSync(join(cleanWorkers, f), 'utf8'), f).toBe(readFileSync(join(cleanOne, f), 'utf8'));
      }
    },
  );

  it('when the window holds no rows then it succeeds with an empty snapshot and says so', async () => {
    const out = join(work, 'snap-empty');
    const r = await extract([
      '--since',
      '2001-01-01',
      '--until',
      '2001-02-01',
      '--lookback-days',
      '0',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No enrollments in this window');
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).entities.enrollments.rows).toBe(0);
  });

  it('when --days-back is given with --since then cli.conflictingFlags and exit 2', async () => {
    const r = await extract(['--days-back', '7', '--since', '2026-01-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cli.conflictingFlags');
  });

  it('when --pii-key-env names a variable then its key hashes the PII', async () => {
    const out = join(work, 'snap-keyenv');
    const r = await extract(
      ['--since', window.since, '--until', window.until, '--pii-key-env', 'MY_KEY', '--out', out],
      {
        MY_KEY: 'my-own-key-of-good-length',
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).pii.demo_key).toBe(false);
  });

  it('when since is not before until then window.empty and exit 2', async () => {
    const r = await extract(['--since', '2026-02-01', '--until', '2026-01-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('window.empty');
  });

  it('when the URL is malformed then db.badUrl and exit 2 without the password', async () => {
    const io = captureIo({ cwd: work });
    const code = await runCli(
      [
        'extract',
        '--source-url',
        'postgres://u:s3cret@:bad:port/db',
        '--since',
        '2026-01-01',
        '--until',
        '2026-02-01',
      ],
      io,
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('db.badUrl');
    expect(io.err()).not.toContain('s3cret');
  });

  it('when the database is unreachable then db.unreachable and exit 4 without the password', async () => {
    const io = captureIo({ cwd: work });
    const code = await runCli(
      [
        'extract',
        '--source-url',
        'postgres://u:s3cret@127.0.0.1:1/db',
        '--since',
        '2026-01-01',
        '--until',
        '2026-02-01',
      ],
      io,
    );
    expect(code).toBe(4);
    expect(io.err()).toContain('db.unreachable');
    expect(io.err()).not.toContain('s3cret');
  });

  describe('with a broken query pack', () => {
    function pack(name: string, edit: (dir: string) => void): string {
      const dir = join(work, `pack-${name}`);
      mkdirSync(dir, { recursive: true });
      cpSync(shippedPackDir('sqlite'), dir, { recursive: true });
      edit(dir);
      return dir;
    }

    async function extractWith(dir: string, out: string) {
      return extract(['--since', window.since, '--until', window.until, '--query-dir', dir, '--out', out]);
    }

    it('when a query file is missing then query.missingFile names it and nothing is written', async () => {
      const dir = pack('missing', (d) => rmSync(join(d, 'outcomes.sql')));
      const out = join(work, 'snap-missing');
      const r = await extractWith(dir, out);
      expect(r.code).toBe(2);
      expect(r.err).toContain('query.missingFile');
      expect(r.err).toContain('outcomes.sql');
      expect(existsSync(out)).toBe(false);
    });

    it('when a query writes then query.notSelect names the keyword and line', async () => {
      const dir = pack('writes', (d) =>
        writeFileSync(join(d, 'campaigns.sql'), 'SELECT 1 AS x;\nDELETE FROM education_campaigns'),
      );
      const r = await extractWith(dir, join(work, 'snap-writes'));
      expect(r.code).toBe(2);
      expect(r.err).toContain('query.notSelect');
      expect(r.err).toMatch(/DELETE/);
      expect(r.err).toMatch(/line 2/);
    });

    it('when a query misses columns then extract.missingColumns lists them and no folder is left', async () => {
      const dir = pack('columns', (d) => {
        const sql = readFileSync(join(d, 'enrollments.sql'), 'utf8');
        writeFileSync(join(d, 'enrollments.sql'), sql.replace(/\bstatus\b/i, 'status AS state'));
      });
      const out = join(work, 'snap-columns');
      const r = await extractWith(dir, out);
      expect(r.code).toBe(2);
      expect(r.err).toContain('extract.missingColumns');
      expect(r.err).toContain('"status"');
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(work).filter((f) => f.includes('partial'))).toEqual([]);
    });
  });

  it('when the source is not demo data and no PII key is set then pii.keyMissing and exit 2', async () => {
    const copy = join(work, 'real.sqlite');
    cpSync(dbFile, copy);
    const db = new Database(copy);
    db.exec('DROP TABLE dbo_leadlift_demo_info');
    db.close();
    const io = captureIo({ cwd: work });
    const args = [
      'extract',
      '--source-url',
      `sqlite:${copy}`,
      '--since',
      window.since,
      '--until',
      window.until,
    ];
    expect(await runCli([...args, '--out', join(work, 'snap-nokey')], io)).toBe(2);
    expect(io.err()).toContain('pii.keyMissing');
    const withKey = captureIo({ cwd: work, env: { LEADLIFT_PII_KEY: 'a-test-key-that-is-long-enough' } });
    expect(await runCli([...args, '--quiet', '--out', join(work, 'snap-key')], withKey)).toBe(0);
    const manifest = JSON.parse(readFileSync(join(work, 'snap-key', 'manifest.json'), 'utf8'));
    expect(manifest.pii.demo_key).toBe(false);
  });
});
