import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRows } from '../../test-support/rows.js';
import { tempDir, writeTestSnapshot } from '../../test-support/snapshot.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('leadlift check', () => {
  it('when the snapshot passes then it exits 0, prints the table and writes quality.json', async () => {
    await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'snap', '--quiet'], io)).toBe(0);
    expect(io.out()).toContain('No findings.');
    const report = JSON.parse(await readFile(join(dir, 'snap', 'quality.json'), 'utf8'));
    expect(report).toMatchObject({ format: 'leadlift.quality/1', ok: true });
  });

  it('when --verify is given and a file changed since extract then snapshot.tampered and exit 2', async () => {
    await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    expect(await runCli(['check', 'snap', '-q', '--verify'], captureIo({ cwd: dir }))).toBe(0);
    await appendFile(join(dir, 'snap', 'campaigns.jsonl'), '["x"]\n');
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'snap', '-q', '--verify'], io)).toBe(2);
    expect(io.err()).toContain('[snapshot.tampered]');
  });

  it('when a check fails with an error then it exits 3 with one line naming the check, table, count and examples', async () => {
    const rows = sampleRows();
    rows.activities[1]!.enrollment_id = 'e404';
    await writeTestSnapshot(join(dir, 'snap'), rows);
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'snap', '-q'], io)).toBe(3);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('check.orphan on activities.enrollment_id: 1 row(s) (e.g. 1/e404/s2/1/voice)');
    expect(io.out()).toMatch(/error\s+check\.orphan\s+activities\.enrollment_id/);
  });

  it('when --json is given then stdout is the report alone', async () => {
    const rows = sampleRows();
    rows.enrollments[0]!.created_at = 'soon';
    await writeTestSnapshot(join(dir, 'snap'), rows);
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'snap', '--json'], io)).toBe(3);
    const report = JSON.parse(io.out());
    expect(report.ok).toBe(false);
    expect(report.findings[0]).toMatchObject({
      check: 'check.requiredMissing',
      entity: 'enrollments',
      column: 'created_at',
    });
  });

  it('when an earlier snapshot of the same source is in snapshotsDir then volumes are compared with it', async () => {
    await writeTestSnapshot(join(dir, 'tmp/snapshots/old'), sampleRows(), {
      snapshot_id: 'old',
      created_at_utc: '2026-02-01T00:00:00.000Z',
    });
    await writeTestSnapshot(join(dir, 'tmp/snapshots/new'), sampleRows());
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'tmp/snapshots/new', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out()).previous_snapshot_id).toBe('old');
    const none = captureIo({ cwd: dir });
    expect(await runCli(['check', 'tmp/snapshots/new', '--json', '--no-previous'], none)).toBe(0);
    expect(JSON.parse(none.out()).previous_snapshot_id).toBeNull();
  });

  it('when --previous names a snapshot of another source then it exits 2', async () => {
    await writeTestSnapshot(
      join(dir, 'a'),
      {},
      { source: { dialect: 'mssql', database: 'crm', host: 'db:1433' } },
    );
    await writeTestSnapshot(join(dir, 'b'), {});
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'b', '--previous', 'a', '-q'], io)).toBe(2);
    expect(io.err()).toContain('[check.previousOtherSource]');
  });

  it('when the snapshot folder does not exist then it exits 2 with snapshot.notFound', async () => {
    const io = captureIo({ cwd: dir });
    expect(await runCli(['check', 'nowhere'], io)).toBe(2);
    expect(io.err()).toContain('[snapshot.notFound]');
  });
});
