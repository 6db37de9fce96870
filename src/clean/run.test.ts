import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import type { EntityName } from '../schema/entities.js';
import { openRows } from '../snapshot/rows.js';
import { sampleRows } from '../test-support/rows.js';
import { type TestRows, tempDir, writeTestSnapshot } from '../test-support/snapshot.js';
import { type CleanConfig, cleanConfigSchema } from './config.js';
import type { CleanReport } from './report.js';
import { cleanSnapshot } from './run.js';
import { openCleanTables } from './tables.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

async function clean(rows: TestRows, config: Partial<CleanConfig> = {}, name = 'out') {
  const snapshot = await writeTestSnapshot(join(dir, `snap-${name}`), rows);
  const out = join(dir, name);
  const report = await cleanSnapshot(snapshot, cleanConfigSchema.parse(config), out);
  return { report, out };
}

async function read(out: string, entity: EntityName): Promise<Record<string, unknown>[]> {
  const reader = await openRows(join(out, `${entity}.jsonl`));
  const rows: Record<string, unknown>[] = [];
  for await (const r of reader) rows.push(Object.fromEntries(reader.columns.map((c, i) => [c, r[i]])));
  return rows;
}

function count(
  report: CleanReport,
  rule: string,
  entity: EntityName,
  column: string | null = null,
): number | undefined {
  return report.rules.find((r) => r.rule === rule && r.entity === entity && r.column === column)?.count;
}

describe('cleanSnapshot', () => {
  it('when the sample data is cleaned then every row survives and the only change is one lead_source case fold', async () => {
    const { report, out } = await clean(sampleRows());
    expect(report.entities.activities).toEqual({ rows_in: 3, rows_out: 3 });
    expect((await read(out, 'activities')).map((r) => r.activity_id)).toEqual(['a1', 'a2', 'a3']);
    expect(report.rules.filter((r) => r.count > 0)).toEqual([
      { rule: 'clean.categoricalFold', entity: 'contacts', column: 'lead_source', count: 1 },
    ]);
    const tables = await openCleanTables(out);
    expect(tables.manifest.entities.activities.rows).toBe(3);
    expect(tables.manifest.source_snapshot.snapshot_id).toBe('test-snapshot');
  });

  it('when entities are empty then every file has a header and no rows, and counts are zero', async () => {
    const { report, out } = await clean({});
    const files = (await readdir(out)).sort();
    expect(files).toEqual([
      'activities.jsonl',
      'campaign_steps.jsonl',
      'campaigns.jsonl',
      'clean.json',
      'contacts.jsonl',
      'enrollments.jsonl',
      'manifest.json',
      'messages.jsonl',
      'outcomes.jsonl',
      'step_variants.jsonl',
    ]);
    expect(await read(out, 'contacts')).toEqual([]);
    expect(report.rules.every((r) => r.count === 0)).toBe(true);
  });

  it('when the rules ran then clean.json lists zero counts for every column they ran on and none where they did not', async () => {
    const { out } = await clean(sampleRows());
    const report = JSON.parse(await readFile(join(out, 'clean.json'), 'utf8')) as CleanReport;
    expect(count(report, 'clean.negativeWait', 'campaign_steps', 'wait_before_ms')).toBe(0);
    expect(count(report, 'clean.timestampUnparseable', 'outcomes', 'occurred_at')).toBe(0);
    expect(count(report, 'clean.duplicateKey', 'campaigns')).toBe(0);
    expect(count(report, 'clean.beforeEnrollment', 'activities')).toBe(0);
    expect(count(report, 'clean.negativeWait', 'activities', 'wait_before_ms')).toBeUndefined();
    expect(count(report, 'clean.beforeEnrollment', 'messages')).toBeUndefined();
    expect(count(report, 'clean.categoricalFold', 'activities', 'generated_message')).toBeUndefined();
  });

  describe('clean.duplicateKey', () => {
    const versions = [
      { updated_at: '2026-01-05T09:00:00Z', status: 'active' },
      { updated_at: '2026-01-07T09:00:00Z', status: 'completed' },
      { updated_at: '2026-01-06T09:00:00Z', status: 'paused' },
    ];
    const enrollment = (v: { updated_at: string | null; status: string }) => ({
      ...sampleRows().enrollments[0]!,
      ...v,
    });

    it('when a key has several rows then the one with the latest updatedColumn survives, in any file order', async () => {
      const forward = await clean({ enrollments: versions.map(enrollment) }, {}, 'fwd');
      const backward = await clean({ enrollments: [...versions].reverse().map(enrollment) }, {}, 'bwd');
      for (const { report, out } of [forward, backward]) {
        expect((await read(out, 'enrollments')).map((r) => r.status)).toEqual(['completed']);
        expect(count(report, 'clean.duplicateKey', 'enrollments')).toBe(2);
      }
    });

    it('when duplicates tie on updatedColumn (or have none) then the later row in the file survives', async () => {
      const tie = versions.map((v) => enrollment({ ...v, updated_at: '2026-01-05T09:00:00Z' }));
      const { out } = await clean({
        enrollments: tie,
        campaigns: [
          { org_id: '1', campaign_id: 'k1', name: 'A' },
          { org_id: '1', campaign_id: 'k1', name: 'B' },
        ],
      });
      expect((await read(out, 'enrollments')).map((r) => r.status)).toEqual(['paused']);
      expect((await read(out, 'campaigns')).map((r) => r.name)).toEqual(['B']);
    });

    it('when a duplicate has a null update time then any dated row beats it', async () => {
      const { out } = await clean({
        enrollments: [enrollment(versions[0]!), enrollment({ updated_at: null, status: 'paused' })],
      });
      expect((await read(out, 'enrollments')).map((r) => r.status)).toEqual(['active']);
    });

    it('when keys differ only by categorical case then they are duplicates after folding', async () => {
      const rows = sampleRows();
      rows.activities.push({
        ...rows.activities[0]!,
        channel: 'SMS',
        activity_id: 'a1-later',
        updated_at: '2026-01-05T10:00:00Z',
      });
      const { report, out } = await clean(rows);
      expect((await read(out, 'activities')).map((r) => r.activity_id)).toEqual(['a2', 'a3', 'a1-later']);
      expect(count(report, 'clean.duplicateKey', 'activities')).toBe(1);
    });

    it('when two rows share a key with a missing part then both are kept', async () => {
      const rows = sampleRows();
      const base = { ...rows.activities[0]!, step_id: null };
      rows.activities[0] = base;
      rows.activities.push({ ...base, activity_id: 'a1-other', updated_at: '2026-01-05T10:00:00Z' });
      const { report, out } = await clean(rows);
      expect((await read(out, 'activities')).map((r) => r.activity_id)).toEqual([
        'a1',
        'a2',
        'a3',
        'a1-other',
      ]);
      expect(count(report, 'clean.duplicateKey', 'activities')).toBe(0);
    });
  });

  describe('categoricals', () => {
    it('when categoricals are padded, upper-case or placeholders then they are folded or set to null, and counted', async () => {
      const rows = sampleRows();
      rows.contacts[0]!.lead_source = ' FaceBook ';
      rows.contacts[1]!.lead_source = 'Select';
      rows.contacts[0]!.region = 'N/A';
      rows.contacts[1]!.region = 'TX';
      const { report, out } = await clean(rows);
      const contacts = await read(out, 'contacts');
      expect(contacts.map((c) => [c.lead_source, c.region])).toEqual([
        ['facebook', null],
        [null, 'tx'],
      ]);
      expect(count(report, 'clean.categoricalFold', 'contacts', 'lead_source')).toBe(1);
      expect(count(report, 'clean.placeholder', 'contacts', 'lead_source')).toBe(1);
      expect(count(report, 'clean.placeholder', 'contacts', 'region')).toBe(1);
      expect(count(report, 'clean.categoricalFold', 'contacts', 'region')).toBe(1);
    });

    it('when a column is null in every row then it stays null and nothing is counted', async () => {
      const rows = sampleRows();
      for (const a of rows.activities) a.status = null;
      const { report, out } = await clean(rows);
      expect((await read(out, 'activities')).map((a) => a.status)).toEqual([null, null, null]);
      expect(
        report.rules
          .filter((r) => r.column === 'status' && r.entity === 'activities')
          .every((r) => r.count === 0),
      ).toBe(true);
    });
  });

  describe('timestamps', () => {
    it('when timestamps have offsets, no zone or garbage then they become UTC ISO with ms or null, and are counted', async () => {
      const rows = sampleRows();
      rows.activities[0]!.sent_at = '2026-01-05T04:05:00-05:00';
      rows.activities[1]!.sent_at = '2026-01-06 09:05:00';
      rows.activities[2]!.sent_at = '2026-01-06T09:10:00Z';
      rows.activities[0]!.delivered_at = 'never';
      const { report, out } = await clean(rows);
      const acts = await read(out, 'activities');
      expect(acts.map((a) => a.sent_at)).toEqual([
        '2026-01-05T09:05:00.000Z',
        '2026-01-06T09:05:00.000Z',
        '2026-01-06T09:10:00.000Z',
      ]);
      expect(acts[0]!.delivered_at).toBeNull();
      expect(count(report, 'clean.timestampOffset', 'activities', 'sent_at')).toBe(1);
      expect(count(report, 'clean.timestampNaive', 'activities', 'sent_at')).toBe(1);
      expect(count(report, 'clean.timestampFormat', 'activities', 'sent_at')).toBe(1);
      expect(count(report, 'clean.timestampUnparseable', 'activities', 'delivered_at')).toBe(1);
    });

    it('when naiveTimestampZone is America/New_York then naive times are read as New York wall time', async () => {
      const rows = sampleRows();
      rows.contacts[0]!.created_at = '2026-01-02 05:00:00';
      const { out } = await clean(rows, { naiveTimestampZone: 'America/New_York' });
      expect((await read(out, 'contacts'))[0]!.created_at).toBe('2026-01-02T10:00:00.000Z');
    });

    it('when a contact time zone is not an IANA name then it becomes null and is counted', async () => {
      const rows = sampleRows();
      rows.contacts[0]!.timezone = 'Eastern Time';
      const { report, out } = await clean(rows);
      expect((await read(out, 'contacts')).map((c) => c.timezone)).toEqual([null, 'America/Chicago']);
      expect(count(report, 'clean.timezoneInvalid', 'contacts', 'timezone')).toBe(1);
    });
  });

  describe('numbers', () => {
    it('when durations are negative or too long and waits negative then they become null, and are counted', async () => {
      const rows = sampleRows();
      rows.activities[0]!.call_duration_sec = -1;
      rows.activities[1]!.call_duration_sec = 601;
      rows.activities[2]!.call_duration_sec = '600';
      rows.campaign_steps[0]!.wait_before_ms = -5;
      const { report, out } = await clean(rows, { maxCallSeconds: 600 });
      expect((await read(out, 'activities')).map((a) => a.call_duration_sec)).toEqual([null, null, 600]);
      expect((await read(out, 'campaign_steps')).map((s) => s.wait_before_ms)).toEqual([null, 86_400_000]);
      expect(count(report, 'clean.negativeDuration', 'activities', 'call_duration_sec')).toBe(1);
      expect(count(report, 'clean.callTooLong', 'activities', 'call_duration_sec')).toBe(1);
      expect(count(report, 'clean.typeCoerced', 'activities', 'call_duration_sec')).toBe(1);
      expect(count(report, 'clean.negativeWait', 'campaign_steps', 'wait_before_ms')).toBe(1);
    });
  });

  describe('clean.testContact', () => {
    it('when a contact is a test contact then it goes with its enrollments, their activities, its messages and outcomes', async () => {
      const rows = sampleRows();
      rows.contacts[0]!.is_test_hint = 'yes';
      const { report, out } = await clean(rows);
      expect((await read(out, 'contacts')).map((c) => c.contact_id)).toEqual(['c2']);
      expect((await read(out, 'enrollments')).map((e) => e.enrollment_id)).toEqual(['e2']);
      expect((await read(out, 'activities')).map((a) => a.activity_id)).toEqual(['a3']);
      expect(await read(out, 'messages')).toEqual([]);
      expect(await read(out, 'outcomes')).toEqual([]);
      expect(
        (['contacts', 'enrollments', 'activities', 'messages', 'outcomes'] as const).map((e) =>
          count(report, 'clean.testContact', e),
        ),
      ).toEqual([1, 1, 2, 2, 1]);
    });

    it('when only an older duplicate of a contact is flagged as test then the contact stays', async () => {
      const rows = sampleRows();
      rows.contacts.unshift({ ...rows.contacts[0]!, is_test_hint: true, updated_at: '2026-01-01T00:00:00Z' });
      const { report } = await clean(rows);
      expect(count(report, 'clean.testContact', 'contacts')).toBe(0);
      expect(count(report, 'clean.duplicateKey', 'contacts')).toBe(1);
    });
  });

  describe('clean.orphanOfRemovedParent', () => {
    it("when an outcome's contact stays but its credited enrollment was removed then the outcome is dropped as an orphan", async () => {
      const rows = sampleRows();
      rows.contacts.push({ org_id: '1', contact_id: 'c3', is_test_hint: true });
      rows.enrollments.push({ ...rows.enrollments[0]!, enrollment_id: 'e3', contact_id: 'c3' });
      rows.outcomes.push({ ...rows.outcomes[0]!, outcome_id: 'booking:2', enrollment_id: 'e3' });
      const { report, out } = await clean(rows);
      expect((await read(out, 'outcomes')).map((o) => o.outcome_id)).toEqual(['booking:1']);
      expect(count(report, 'clean.orphanOfRemovedParent', 'outcomes')).toBe(1);
      expect(count(report, 'clean.testContact', 'enrollments')).toBe(1);
    });

    it('when a parent was never in the snapshot then the child is kept (check reports it)', async () => {
      const rows = sampleRows();
      rows.activities.push({ ...rows.activities[0]!, activity_id: 'a9', enrollment_id: 'e9' });
      const { out } = await clean(rows);
      expect((await read(out, 'activities')).map((a) => a.activity_id)).toContain('a9');
    });
  });

  describe('clean.beforeEnrollment', () => {
    it('when an activity happens more than the tolerance before its enrollment then it is dropped', async () => {
      const rows = sampleRows();
      rows.activities[0]!.sent_at = '2026-01-04T08:59:59Z'; // 24 h + 1 s before e1
      rows.activities[2]!.sent_at = null;
      rows.activities[2]!.scheduled_at = '2026-01-05T09:00:00Z'; // exactly 24 h before e2: kept
      const { report, out } = await clean(rows);
      expect((await read(out, 'activities')).map((a) => a.activity_id)).toEqual(['a2', 'a3']);
      expect(count(report, 'clean.beforeEnrollment', 'activities')).toBe(1);
      const strict = await clean(rows, { beforeEnrollmentToleranceHours: 0 }, 'strict');
      expect(count(strict.report, 'clean.beforeEnrollment', 'activities')).toBe(2);
    });
  });

  describe('clean.afterWindow', () => {
    it("when events or outcomes are at or after the window's until then they are dropped", async () => {
      const rows = sampleRows();
      rows.activities[0]!.sent_at = '2026-03-01T00:00:00Z';
      rows.activities[1]!.sent_at = '2026-02-28T23:59:59.999Z';
      rows.messages[0]!.message_ts = '2026-03-01T00:00:00-01:00';
      rows.outcomes[0]!.occurred_at = '2026-03-02T00:00:00Z';
      const { report, out } = await clean(rows);
      expect((await read(out, 'activities')).map((a) => a.activity_id)).toEqual(['a2', 'a3']);
      expect((await read(out, 'messages')).map((m) => m.message_id)).toEqual(['m2']);
      expect(await read(out, 'outcomes')).toEqual([]);
      expect(
        (['activities', 'messages', 'outcomes'] as const).map((e) => count(report, 'clean.afterWindow', e)),
      ).toEqual([1, 1, 1]);
    });
  });

  it('when a snapshot file has its columns in another order then the output has the canonical order and the same values', async () => {
    const rows = sampleRows();
    rows.activities[0]!.channel = 'SMS';
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), rows);
    const config = cleanConfigSchema.parse({});
    await cleanSnapshot(snapshot, config, join(dir, 'canonical'));
    const reader = await openRows(snapshot.path('activities'));
    const order = reader.columns.map((_, i) => i).reverse();
    let text = `${JSON.stringify(order.map((i) => reader.columns[i]))}\n`;
    for await (const r of reader) text += `${JSON.stringify(order.map((i) => r[i]))}\n`;
    await writeFile(snapshot.path('activities'), text);
    await cleanSnapshot(snapshot, config, join(dir, 'reordered'));
    expect(await readFile(join(dir, 'reordered', 'activities.jsonl'))).toEqual(
      await readFile(join(dir, 'canonical', 'activities.jsonl')),
    );
  });

  it('when a text column holds a number then it is written as a string and counted', async () => {
    const rows = sampleRows();
    rows.messages[0]!.body = 42;
    const { report, out } = await clean(rows);
    expect((await read(out, 'messages'))[0]!.body).toBe('42');
    expect(count(report, 'clean.typeCoerced', 'messages', 'body')).toBe(1);
  });

  it('when files are cleaned in 3 shards then every output file is byte-identical to one shard', async () => {
    const rows = sampleRows();
    rows.activities.push(
      {
        ...rows.activities[0]!,
        activity_id: 'dup-later',
        channel: 'SMS',
        updated_at: '2026-01-05T09:06:00Z',
      },
      { ...rows.activities[2]!, activity_id: 'dup-older', updated_at: '2026-01-01T00:00:00Z' },
      { ...rows.activities[1]!, activity_id: 'late', attempt_no: 3, sent_at: '2026-03-05T00:00:00Z' },
    );
    rows.contacts[1]!.is_test_hint = 'true';
    rows.enrollments.push({ ...rows.enrollments[0]!, status: 'PAUSED', updated_at: '2026-01-04 00:00:00' });
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), rows);
    const config = cleanConfigSchema.parse({});
    const one = await cleanSnapshot(snapshot, config, join(dir, 'one'), { shards: 1 });
    const three = await cleanSnapshot(snapshot, config, join(dir, 'three'), { shards: 3 });
    expect(three).toEqual(one);
    for (const f of (await readdir(join(dir, 'one'))).sort()) {
      expect(await readFile(join(dir, 'three', f)), f).toEqual(await readFile(join(dir, 'one', f)));
    }
    expect((await read(join(dir, 'three'), 'activities')).map((a) => a.activity_id)).toEqual([
      'a2',
      'dup-later',
    ]);
    expect((await readdir(join(dir, 'three'))).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('when the same snapshot is cleaned twice then every output file is byte-identical', async () => {
    const rows = sampleRows();
    rows.contacts[0]!.is_test_hint = 1;
    rows.activities.push({ ...rows.activities[2]!, channel: 'SMS ', updated_at: '2026-01-06 10:00:00' });
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), rows);
    const config = cleanConfigSchema.parse({});
    await cleanSnapshot(snapshot, config, join(dir, 'one'));
    await cleanSnapshot(snapshot, config, join(dir, 'two'));
    const files = (await readdir(join(dir, 'one'))).sort();
    expect((await readdir(join(dir, 'two'))).sort()).toEqual(files);
    for (const f of files) {
      expect(await readFile(join(dir, 'two', f)), f).toEqual(await readFile(join(dir, 'one', f)));
    }
  });

  it('when the output folder exists then it is refused, and replaced with overwrite', async () => {
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const out = join(dir, 'out');
    await mkdir(out);
    await writeFile(join(out, 'old.txt'), 'old');
    const config = cleanConfigSchema.parse({});
    await expect(cleanSnapshot(snapshot, config, out)).rejects.toSatisfy((e) =>
      isLeadliftError(e, 'clean.outExists'),
    );
    await cleanSnapshot(snapshot, config, out, { overwrite: true });
    expect(await readdir(out)).not.toContain('old.txt');
    expect(await readdir(out)).toContain('clean.json');
    expect((await readdir(dir)).sort()).toEqual(['out', 'snap']);
  });

  it('when the output would overlap the snapshot then it is refused', async () => {
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const config = cleanConfigSchema.parse({});
    for (const out of [join(dir, 'snap'), dir, join(dir, 'snap', 'cleaned')]) {
      await expect(cleanSnapshot(snapshot, config, out, { overwrite: true })).rejects.toSatisfy((e) =>
        isLeadliftError(e, 'clean.outIsSnapshot'),
      );
    }
  });

  it('when a row file is malformed midway then clean fails and leaves no output or temporary folder', async () => {
    const snapshot = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    await appendFile(snapshot.path('messages'), '["1","c1",\n');
    await expect(cleanSnapshot(snapshot, cleanConfigSchema.parse({}), join(dir, 'out'))).rejects.toSatisfy(
      (e) => isLeadliftError(e, 'snapshot.badLine'),
    );
    expect(await readdir(dir)).toEqual(['snap']);
  });

  it('when a failing clean would have replaced an existing folder then the old folder stays intact', async () => {
    const good = await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const out = join(dir, 'out');
    await cleanSnapshot(good, cleanConfigSchema.parse({}), out);
    const before = await readFile(join(out, 'activities.jsonl'));
    await appendFile(good.path('outcomes'), 'not json\n');
    await expect(
      cleanSnapshot(good, cleanConfigSchema.parse({}), out, { overwrite: true }),
    ).rejects.toThrow();
    expect(await readFile(join(out, 'activities.jsonl'))).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['out', 'snap']);
  });
});
