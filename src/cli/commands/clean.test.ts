import { readdir } from 'node:fs/promises';
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

async function checked(snapshot: string): Promise<void> {
  expect(await runCli(['check', snapshot, '-q', '--no-previous'], captureIo({ cwd: dir }))).toBe(0);
}

describe('leadlift clean', () => {
  it('when run without --out then it writes <cleanedDir>/<snapshot_id> and prints the non-zero rule counts', async () => {
    const rows = sampleRows();
    rows.contacts[1]!.is_test_hint = true;
    await writeTestSnapshot(join(dir, 'snap'), rows);
    await checked('snap');
    const io = captureIo({ cwd: dir });
    expect(await runCli(['clean', 'snap', '-q'], io)).toBe(0);
    expect(await readdir(join(dir, 'tmp/cleaned/test-snapshot'))).toContain('clean.json');
    expect(io.out()).toMatch(/clean\.testContact\s+enrollments\s+1/);
    expect(io.out()).toContain('zero counts not shown');
  });

  it('when the output exists then it exits 2 unless --overwrite is given', async () => {
    await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    await checked('snap');
    expect(await runCli(['clean', 'snap', '--out', 'c', '-q'], captureIo({ cwd: dir }))).toBe(0);
    const again = captureIo({ cwd: dir });
    expect(await runCli(['clean', 'snap', '--out', 'c', '-q'], again)).toBe(2);
    expect(again.err()).toContain('[clean.outExists]');
    expect(await runCli(['clean', 'snap', '--out', 'c', '--overwrite', '-q'], captureIo({ cwd: dir }))).toBe(
      0,
    );
  });

  it('when --json is given then stdout is the clean report with the output folder', async () => {
    await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    await checked('snap');
    const io = captureIo({ cwd: dir });
    expect(await runCli(['clean', 'snap', '--out', 'c', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ format: 'leadlift.clean-report/1', out_dir: join(dir, 'c') });
    expect(report.rules.length).toBeGreaterThan(100);
  });

  it('when the snapshot was never checked then clean.notChecked and exit 3 unless --ignore-quality', async () => {
    await writeTestSnapshot(join(dir, 'snap'), sampleRows());
    const io = captureIo({ cwd: dir });
    expect(await runCli(['clean', 'snap', '--out', 'c', '-q'], io)).toBe(3);
    expect(io.err()).toContain('[clean.notChecked]');
    expect(
      await runCli(['clean', 'snap', '--out', 'c', '-q', '--ignore-quality'], captureIo({ cwd: dir })),
    ).toBe(0);
  });

  it('when the snapshot failed its checks then clean.qualityFailed and exit 3', async () => {
    const rows = sampleRows();
    for (const e of rows.enrollments) e.contact_id = 'no-such-contact';
    await writeTestSnapshot(join(dir, 'snap'), rows);
    expect(await runCli(['check', 'snap', '-q'], captureIo({ cwd: dir }))).toBe(3);
    const io = captureIo({ cwd: dir });
    expect(await runCli(['clean', 'snap', '--out', 'c', '-q'], io)).toBe(3);
    expect(io.err()).toContain('[clean.qualityFailed]');
  });

  it('when the snapshot folder does not exist then it exits 2', async () => {
    const io = captureIo({ cwd: dir });
    expect(await runCli(['clean', 'missing', '-q'], io)).toBe(2);
    expect(io.err()).toContain('[snapshot.notFound]');
  });
});
