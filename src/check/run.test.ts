import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { ENTITIES, type EntityName, entityDef, snapshotColumns } from '../schema/entities.js';
import { openRows } from '../snapshot/rows.js';
import { transferables } from '../snapshot/shards.js';
import { sampleRows } from '../test-support/rows.js';
import { type TestRows, tempDir, writeTestSnapshot } from '../test-support/snapshot.js';
import { type CheckConfig, checkConfigSchema } from './config.js';
import { formatQualityTable, type QualityReport, writeQualityReport } from './report.js';
import { type CheckShardResult, qualityError, RowChecker, rowCheckSetup, runChecks } from './run.js';
import { findPreviousSnapshot } from './volume.js';

const NOW = new Date('2026-03-01T07:00:00.000Z');
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

async function check(
  rows: TestRows,
  config: Partial<CheckConfig> = {},
  name = 'snap',
): Promise<QualityReport> {
  const snapshot = await writeTestSnapshot(join(dir, name), rows);
  return runChecks(snapshot, checkConfigSchema.parse(config), { now: NOW });
}

const only = (r: QualityReport, check: string) => r.findings.filter((f) => f.check === check);

describe('runChecks', () => {
  it('when the sample data is checked then there are no findings and the report is ok', async () => {
    const r = await check(sampleRows());
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.volume.activities.rows).toBe(3);
    expect(r.volume.activities.by_day['2026-01-06']).toBe(2);
    expect(r.volume.campaigns).toEqual({ rows: 1, by_day: {} });
  });

  it('when every entity is empty then the report is ok with one emptyEntity warning per entity', async () => {
    const r = await check({});
    expect(r.ok).toBe(true);
    expect(r.findings.map((f) => f.check)).toEqual(Array(8).fill('check.emptyEntity'));
    expect(r.findings.every((f) => f.severity === 'warn')).toBe(true);
  });

  describe('check.requiredMissing', () => {
    it('when 1 of 2 enrollments lacks created_at then it is an error with share 0.5 and the key as example', async () => {
      const rows = sampleRows();
      rows.enrollments[0]!.created_at = null;
      const r = await check(rows);
      const [f] = only(r, 'check.requiredMissing');
      expect(f).toMatchObject({
        severity: 'error',
        entity: 'enrollments',
        column: 'created_at',
        count: 1,
        share: 0.5,
      });
      expect(f?.examples).toEqual(['1/e1']);
      expect(f?.message).toContain('enrollments.created_at');
      expect(r.ok).toBe(false);
    });

    it('when the missing share is under maxMissingShareRequired then it is a warning', async () => {
      const rows = sampleRows();
      rows.messages[0]!.direction = 'N/A';
      const r = await check(rows, { maxMissingShareRequired: 0.6 });
      expect(only(r, 'check.requiredMissing')).toMatchObject([
        { severity: 'warn', entity: 'messages', column: 'direction', count: 1 },
      ]);
      expect(r.ok).toBe(true);
    });

    it('when a required column is null in every row then the share is 1', async () => {
      const rows = sampleRows();
      for (const a of rows.activities) a.created_at = null;
      const r = await check(rows);
      const f = only(r, 'check.requiredMissing').find((x) => x.column === 'created_at');
      expect(f).toMatchObject({ count: 3, share: 1, severity: 'error' });
      expect(f?.examples).toEqual(['1/e1/s1/1/sms', '1/e1/s2/1/voice', '1/e2/s1/1/sms']);
    });
  });

  describe('check.duplicateKey', () => {
    it('when a key repeats (after case-folding the channel) then it warns with the duplicate count', async () => {
      const rows = sampleRows();
      rows.activities.push({ ...rows.activities[0]!, activity_id: 'a1b', channel: ' SMS ' });
      rows.contacts.push({ ...rows.contacts[1]! }, { ...rows.contacts[1]! });
      const r = await check(rows);
      expect(only(r, 'check.duplicateKey')).toMatchObject([
        { severity: 'warn', entity: 'contacts', count: 2, examples: ['1/c2', '1/c2'] },
        { severity: 'warn', entity: 'activities', count: 1, examples: ['1/e1/s1/1/sms'] },
      ]);
      expect(r.ok).toBe(true);
    });

    it('when the severity is overridden to error then duplicates fail the report, and off hides them', async () => {
      const rows = sampleRows();
      rows.campaigns.push({ ...rows.campaigns[0]! });
      const asError = await check(rows, { severity: { 'check.duplicateKey': 'error' } }, 'a');
      expect(asError.ok).toBe(false);
      const off = await check(rows, { severity: { 'check.duplicateKey': 'off' } }, 'b');
      expect(only(off, 'check.duplicateKey')).toEqual([]);
    });
  });

  describe('check.orphan', () => {
    it('when 1 of 4 activities names a missing enrollment then it is an error with share 0.25', async () => {
      const rows = sampleRows();
      rows.activities.push({ ...rows.activities[2]!, enrollment_id: 'e9', activity_id: 'a9' });
      const r = await check(rows);
      expect(only(r, 'check.orphan')).toMatchObject([
        {
          severity: 'error',
          entity: 'activities',
          column: 'enrollment_id',
          count: 1,
          share: 0.25,
          examples: ['1/e9/s1/1/sms'],
        },
      ]);
    });

    it('when the orphan share is under maxOrphanShare then it warns', async () => {
      const rows = sampleRows();
      rows.messages.push({ ...rows.messages[0]!, message_id: 'm9', contact_id: 'c9' });
      const r = await check(rows, { maxOrphanShare: 0.5 });
      expect(only(r, 'check.orphan')).toMatchObject([
        { severity: 'warn', entity: 'messages', column: 'contact_id', count: 1 },
      ]);
    });

    it('when the reference is null then it is not an orphan, and a parent of another org does not count', async () => {
      const rows = sampleRows();
      rows.activities[0]!.step_id = null;
      rows.enrollments[1]!.org_id = '2';
      rows.activities[2]!.org_id = '2';
      const r = await check(rows);
      // enrollments (2, e2) → contact (2, c2) and campaign (2, k1) do not exist; activity (2, e2) → step (2, s1) neither.
      expect(only(r, 'check.orphan').map((f) => `${f.entity}.${f.column}:${f.count}`)).toEqual([
        'enrollments.campaign_id:1',
        'enrollments.contact_id:1',
        'activities.step_id:1',
      ]);
    });
  });

  describe('check.timestampUnparseable', () => {
    it('when 1 of 3 sent_at values is garbage then it is an error counted among non-null values', async () => {
      const rows = sampleRows();
      rows.activities[0]!.sent_at = 'yesterday';
      const r = await check(rows);
      expect(only(r, 'check.timestampUnparseable')).toMatchObject([
        { severity: 'error', entity: 'activities', column: 'sent_at', count: 1, share: 1 / 3 },
      ]);
    });
  });

  describe('check.timestampFuture', () => {
    it('when a time lies beyond max(until, now) + 24 h then it is flagged, but scheduled_at is exempt', async () => {
      const rows = sampleRows();
      rows.activities[0]!.updated_at = '2026-03-02T07:00:01Z'; // now + 24 h + 1 s
      rows.activities[1]!.updated_at = '2026-03-02T06:59:59Z'; // within tolerance
      rows.activities[2]!.scheduled_at = '2027-01-01T00:00:00Z';
      const r = await check(rows);
      expect(only(r, 'check.timestampFuture')).toMatchObject([
        { entity: 'activities', column: 'updated_at', count: 1, examples: ['1/e1/s1/1/sms'] },
      ]);
    });
  });

  describe('check.timestampTooOld', () => {
    it('when a time is before minYear then it is flagged', async () => {
      const rows = sampleRows();
      rows.campaigns[0]!.created_at = '1900-01-01 00:00:00';
      const r = await check(rows);
      expect(only(r, 'check.timestampTooOld')).toMatchObject([
        { severity: 'error', entity: 'campaigns', column: 'created_at', count: 1, examples: ['1/k1'] },
      ]);
      const lenient = await check(rows, { minYear: 1800 }, 'lenient');
      expect(only(lenient, 'check.timestampTooOld')).toEqual([]);
    });
  });

  describe('check.beforeEnrollment', () => {
    it('when an activity is sent more than 24 h before its enrollment was created then it is flagged', async () => {
      const rows = sampleRows();
      rows.activities[0]!.sent_at = '2026-01-04T08:59:59Z'; // e1 created 2026-01-05T09:00Z: 24 h + 1 s before
      rows.activities[2]!.sent_at = '2026-01-05T09:00:00Z'; // e2 created 2026-01-06T09:00Z: exactly 24 h before
      const r = await check(rows);
      expect(only(r, 'check.beforeEnrollment')).toMatchObject([
        { entity: 'activities', count: 1, share: 1 / 3, examples: ['1/e1/s1/1/sms'] },
      ]);
    });

    it('when sent_at is missing then scheduled_at, then created_at is the event time', async () => {
      const rows = sampleRows();
      rows.activities[0]!.sent_at = null;
      rows.activities[0]!.scheduled_at = '2026-01-01T00:00:00Z';
      rows.activities[1]!.sent_at = null;
      rows.activities[1]!.created_at = '2026-01-01T00:00:00Z';
      const r = await check(rows);
      expect(only(r, 'check.beforeEnrollment')[0]?.count).toBe(2);
    });
  });

  describe('check.valueNotAllowed', () => {
    it('when values differ only by case and padding then they are allowed; others warn', async () => {
      const rows = sampleRows();
      rows.activities[0]!.channel = ' SMS ';
      rows.activities[1]!.channel = 'fax';
      rows.enrollments[0]!.status = null;
      const r = await check(rows);
      expect(only(r, 'check.valueNotAllowed')).toMatchObject([
        {
          severity: 'warn',
          entity: 'activities',
          column: 'channel',
          count: 1,
          share: 1 / 3,
          examples: ['1/e1/s2/1/fax'],
        },
      ]);
    });
  });

  describe('check.columnsMissing', () => {
    it('when a file lacks a canonical column then it is an error and the column reads as null', async () => {
      const snapshot = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
      const cols = snapshotColumns(entityDef('campaigns')).filter((c) => c !== 'campaign_type');
      await writeFile(
        snapshot.path('campaigns'),
        `${JSON.stringify(cols)}\n${JSON.stringify(cols.map((c) => (c === 'org_id' ? '1' : c === 'campaign_id' ? 'k1' : null)))}\n`,
      );
      const r = await runChecks(snapshot, checkConfigSchema.parse({}), { now: NOW });
      expect(only(r, 'check.columnsMissing')).toMatchObject([
        { severity: 'error', entity: 'campaigns', column: 'campaign_type' },
      ]);
    });
  });

  describe('check.volumeChange', () => {
    it('when a day lost more than half its rows against the previous snapshot then it warns for that day', async () => {
      const day = (d: string, n: number, prefix: string) =>
        Array.from({ length: n }, (_, i) => ({
          org_id: '1',
          activity_id: `${prefix}${d}-${i}`,
          enrollment_id: 'e1',
          step_id: `${d}-${i}`,
          attempt_no: 1,
          channel: 'sms',
          created_at: `${d}T10:00:00Z`,
        }));
      const base = sampleRows();
      const prevRows = {
        ...base,
        activities: [...day('2026-01-10', 100, 'p'), ...day('2026-01-11', 100, 'p')],
      };
      const curRows = {
        ...base,
        activities: [...day('2026-01-10', 100, 'c'), ...day('2026-01-11', 40, 'c')],
      };
      const previous = await writeTestSnapshot(join(dir, 'prev'), prevRows, {
        snapshot_id: 'prev',
        created_at_utc: '2026-02-28T06:00:00.000Z',
      });
      const current = await writeTestSnapshot(join(dir, 'cur'), curRows);
      const r = await runChecks(current, checkConfigSchema.parse({ severity: { 'check.orphan': 'off' } }), {
        now: NOW,
        previous,
      });
      expect(r.previous_snapshot_id).toBe('prev');
      expect(only(r, 'check.volumeChange')).toMatchObject([
        { severity: 'warn', entity: 'activities', column: 'created_at', count: 1, examples: ['2026-01-11'] },
      ]);
      expect(only(r, 'check.volumeChange')[0]?.message).toContain('2026-01-11: 100 → 40');
    });

    it('when the previous snapshot has a quality.json then its volumes are used instead of re-reading it', async () => {
      const previous = await writeTestSnapshot(join(dir, 'prev'), sampleRows(), { snapshot_id: 'prev' });
      const prevReport = await runChecks(previous, checkConfigSchema.parse({}), { now: NOW });
      const doctored = {
        ...prevReport,
        volume: { ...prevReport.volume, campaigns: { rows: 500, by_day: {} } },
      };
      await writeQualityReport(previous.dir, doctored);
      const current = await writeTestSnapshot(join(dir, 'cur'), sampleRows());
      const r = await runChecks(current, checkConfigSchema.parse({ minVolumeRows: 1 }), {
        now: NOW,
        previous,
      });
      expect(only(r, 'check.volumeChange')).toMatchObject([{ entity: 'campaigns', count: 1, share: 1 }]);
    });
  });
});

describe('runChecks in shards', () => {
  it('when every file is cut into 3 shards then the report equals the one-shard report', async () => {
    const rows = sampleRows();
    rows.activities.push(
      { ...rows.activities[0]!, activity_id: 'dup', channel: 'SMS' },
      { ...rows.activities[2]!, activity_id: 'orphan', enrollment_id: 'e404', sent_at: 'soon' },
      { ...rows.activities[1]!, activity_id: 'early', attempt_no: 2, sent_at: '2025-12-20T00:00:00Z' },
    );
    rows.enrollments.push({ ...rows.enrollments[0]!, status: 'PAUSED', updated_at: '2026-01-04T00:00:00Z' });
    rows.contacts.push(
      { ...rows.contacts[0]! },
      { ...rows.contacts[1]!, contact_id: 'c3', created_at: null },
    );
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), rows);
    const config = checkConfigSchema.parse({});
    const one = await runChecks(snapshot, config, { now: NOW, shards: 1 });
    const three = await runChecks(snapshot, config, { now: NOW, shards: 3 });
    expect(three).toEqual(one);
    expect(one.findings.map((f) => f.check)).toEqual(
      expect.arrayContaining(['check.duplicateKey', 'check.orphan', 'check.beforeEnrollment']),
    );
  });

  it('when a line in a later shard is malformed then the error names its line in the file', async () => {
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const text = await readFile(snapshot.path('activities'), 'utf8');
    const lines = text.trimEnd().split('\n');
    lines[3] = lines[3]!.slice(0, -5);
    await writeFile(snapshot.path('activities'), `${lines.join('\n')}\n`);
    await expect(runChecks(snapshot, checkConfigSchema.parse({}), { now: NOW, shards: 3 })).rejects.toSatisfy(
      (e) => isLeadliftError(e, 'snapshot.badLine') && e.details.line === 4,
    );
  });
});

describe('runChecks with rows checked as they were written', () => {
  it.each([
    ['the default blocks', undefined],
    ['blocks of 1 row', 1],
    ['blocks of 2 rows', 2],
  ])(
    'when every row went through a RowChecker (references judged later, %s) then the report equals the one read from the files',
    async (_label, blockRows) => {
      const rows = sampleRows();
      rows.activities.push(
        { ...rows.activities[0]!, activity_id: 'dup', channel: 'SMS' },
        { ...rows.activities[2]!, activity_id: 'orphan', enrollment_id: 'e404', sent_at: 'soon' },
        { ...rows.activities[1]!, activity_id: 'early', attempt_no: 2, sent_at: '2025-12-20T00:00:00Z' },
        { ...rows.activities[1]!, activity_id: 'late', sent_at: '2031-01-01T00:00:00Z', step_id: 's404' },
        { ...rows.activities[2]!, activity_id: 'no-refs', enrollment_id: null, step_id: null },
        {
          ...rows.activities[1]!,
          activity_id: 'before-late',
          enrollment_id: 'e-late',
          sent_at: '2026-02-10T00:00:00Z',
        },
      );
      rows.enrollments.push(
        { ...rows.enrollments[0]!, status: 'PAUSED', updated_at: '2026-01-04T00:00:00Z' },
        { ...rows.enrollments[0]!, enrollment_id: 'e9', contact_id: 'c404', created_at: '1899-12-31' },
        {
          ...rows.enrollments[1]!,
          enrollment_id: 'e-late',
          created_at: '2026-02-20T00:00:00Z',
          updated_at: null,
        },
      );
      rows.contacts.push(
        { ...rows.contacts[0]! },
        { ...rows.contacts[1]!, contact_id: 'c3', created_at: null },
      );
      rows.messages.push({ ...rows.messages[0]!, message_id: 'm-orphan', contact_id: 'c404' });
      rows.outcomes.push({ ...rows.outcomes[0]!, outcome_id: 'o-orphan', contact_id: 'c405' });
      const snapshot = await writeTestSnapshot(join(dir, 'snap'), rows);
      const config = checkConfigSchema.parse({});
      const checked: Partial<Record<EntityName, CheckShardResult>> = {};
      for (const def of ENTITIES) {
        const reader = await openRows(snapshot.path(def.name));
        const checker = new RowChecker({
          ...rowCheckSetup(def.name, reader.columns, config, snapshot.manifest.window, NOW),
          ...(blockRows !== undefined ? { blockRows } : {}),
        });
        for await (const row of reader) checker.checkValues(row);
        const result = checker.result();
        checked[def.name] = result;
        expect(result.deferred, def.name).toBeDefined();
        // Blocks of the given size; the last one holds the remaining rows.
        if (blockRows !== undefined) expect(result.hashHi.length).toBe(Math.ceil(result.rows / blockRows));
      }
      expect(checked.activities!.hashHi.length).toBeGreaterThan(blockRows === undefined ? 0 : 2);
      const fromFiles = await runChecks(snapshot, config, { now: NOW });
      const asWritten = await runChecks(snapshot, config, { now: NOW, checked });
      // Every entity came from its rows as written (none was read again from its file).
      expect(asWritten.checked_as_written).toEqual(ENTITIES.map((d) => d.name));
      expect(fromFiles.checked_as_written).toEqual([]);
      expect({ ...asWritten, checked_as_written: [] }).toEqual(fromFiles);
      // Each entity's result is let go once merged, so its per-row arrays can be freed.
      expect(Object.keys(checked)).toEqual([]);
      const orphans = only(fromFiles, 'check.orphan').map((f) => `${f.entity}.${f.column}:${f.count}`);
      expect(orphans).toEqual(
        expect.arrayContaining([
          'activities.enrollment_id:1',
          'activities.step_id:1',
          'enrollments.contact_id:1',
          'messages.contact_id:1',
          'outcomes.contact_id:1',
        ]),
      );
      // e-late sits in a later block than the first enrollment; its own created_at must be used.
      expect(only(fromFiles, 'check.beforeEnrollment')[0]?.examples).toEqual([
        '1/e1/s2/2/voice',
        '1/e-late/s2/1/voice',
      ]);
      expect(
        only(fromFiles, 'check.orphan').every((f) => f.examples.length === 1 && f.examples[0] !== ''),
      ).toBe(true);
    },
  );
});

describe('RowChecker results', () => {
  it('when a deferred result is posted from a worker then the buffer of every block is moved, not copied', async () => {
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const reader = await openRows(snapshot.path('activities'));
    const checker = new RowChecker({
      ...rowCheckSetup(
        'activities',
        reader.columns,
        checkConfigSchema.parse({}),
        snapshot.manifest.window,
        NOW,
      ),
      blockRows: 1,
    });
    for await (const row of reader) checker.checkValues(row);
    const r = checker.result();
    const d = r.deferred!;
    const blocks = [r.hashHi, r.hashLo, ...d.refHi, ...d.refLo, ...d.refSet, d.event!].flat();
    expect(blocks.length).toBe(9 * r.rows);
    const moved = new Set(transferables(r));
    expect(blocks.every((b) => moved.has(b.buffer as ArrayBuffer))).toBe(true);
  });
});

describe('qualityError', () => {
  it('when the report has errors then the error has exit code 3 and names the check, table, count and examples', async () => {
    const rows = sampleRows();
    rows.enrollments[0]!.created_at = null;
    rows.enrollments[1]!.contact_id = 'c9';
    const r = await check(rows);
    const e = qualityError(r);
    expect(e?.exitCode).toBe(3);
    expect(e?.code).toBe('check.requiredMissing');
    expect(e?.message).toContain(
      'check.requiredMissing on enrollments.created_at: 1 row(s) (e.g. 1/e1) (+1 more error(s))',
    );
    expect(qualityError(await check(sampleRows(), {}, 'ok'))).toBeUndefined();
  });
});

describe('writeQualityReport', () => {
  it('when written then quality.json holds the report and no temporary file is left', async () => {
    const r = await check(sampleRows());
    const path = await writeQualityReport(join(dir, 'snap'), r);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
    expect((await readdir(join(dir, 'snap'))).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('formatQualityTable', () => {
  it('when there are findings then each is one aligned row, errors first, with a summary line', async () => {
    const rows = sampleRows();
    rows.enrollments[0]!.created_at = null;
    rows.campaigns.push({ ...rows.campaigns[0]! });
    const text = formatQualityTable(await check(rows));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^severity\s+check\s+entity\s+count\s+share\s+examples$/);
    expect(lines[2]).toMatch(/^error\s+check\.requiredMissing\s+enrollments\.created_at\s+1\s+50%\s+1\/e1$/);
    expect(lines[3]).toMatch(/^warn\s+check\.duplicateKey\s+campaigns\s+1\s+50%\s+1\/k1$/);
    expect(lines[2]!.indexOf('check.')).toBe(lines[3]!.indexOf('check.'));
    expect(lines.at(-1)).toContain('FAILED: 1 error(s), 1 warning(s)');
  });

  it('when there are no findings then it says so', async () => {
    expect(formatQualityTable(await check(sampleRows()))).toMatch(/^No findings\.\nok: 0 error/);
  });
});

describe('findPreviousSnapshot', () => {
  it('when several snapshots exist then the latest earlier one of the same source is picked', async () => {
    const mk = (name: string, created: string, database = 'test.sqlite') =>
      writeTestSnapshot(
        join(dir, 'snaps', name),
        {},
        { snapshot_id: name, created_at_utc: created, source: { dialect: 'sqlite', database } },
      );
    await mk('a', '2026-02-26T06:00:00.000Z');
    await mk('b', '2026-02-27T06:00:00.000Z');
    await mk('other', '2026-02-28T05:00:00.000Z', 'other.sqlite');
    await mk('later', '2026-03-02T06:00:00.000Z');
    await writeFile(join(dir, 'snaps', 'not-a-snapshot.txt'), 'x');
    const current = await mk('cur', '2026-02-28T06:00:00.000Z');
    expect((await findPreviousSnapshot(join(dir, 'snaps'), current))?.manifest.snapshot_id).toBe('b');
  });

  it('when the folder is missing or holds nothing earlier then it returns undefined', async () => {
    const current = await writeTestSnapshot(join(dir, 'snaps', 'cur'), {});
    expect(await findPreviousSnapshot(join(dir, 'nowhere'), current)).toBeUndefined();
    expect(await findPreviousSnapshot(join(dir, 'snaps'), current)).toBeUndefined();
  });
});
