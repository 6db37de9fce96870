import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAN_TEMP, EXTRACT_TEMP, removeStaleTemps } from './stale.js';

/** The id of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('removeStaleTemps', () => {
  it('when a temporary folder belongs to a process that is gone then it is removed, and live ones stay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-stale-'));
    const dead = deadPid();
    const deadExtract = `.snap-a.partial-${dead}`;
    const liveExtract = `.snap-b.partial-${process.pid}`;
    const deadClean = `.cleaned.tmp-${dead}-1700000000000`;
    for (const d of [deadExtract, liveExtract, deadClean, 'snap-c']) {
      mkdirSync(join(dir, d));
      writeFileSync(join(dir, d, 'contacts.jsonl.tmp-1'), '["id"]\n');
    }
    expect(await removeStaleTemps(dir, EXTRACT_TEMP)).toEqual([deadExtract]);
    expect(existsSync(join(dir, deadExtract))).toBe(false);
    expect(existsSync(join(dir, liveExtract))).toBe(true);
    expect(existsSync(join(dir, deadClean))).toBe(true);
    expect(await removeStaleTemps(dir, CLEAN_TEMP)).toEqual([deadClean]);
    expect(existsSync(join(dir, 'snap-c'))).toBe(true);
  });

  it('when the folder does not exist then nothing is removed', async () => {
    expect(await removeStaleTemps(join(tmpdir(), 'leadlift-no-such-folder-xyz'), EXTRACT_TEMP)).toEqual([]);
  });
});
