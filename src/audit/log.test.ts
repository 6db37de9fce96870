import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeadliftError } from '../errors.js';
import { AuditLog, auditActor, queryHash } from './log.js';

const source = { dialect: 'sqlite', database: 'agent-cory.sqlite' } as const;

async function lines(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('AuditLog', () => {
  it('appends one JSON line per access with time, actor, counts and outcome', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-audit-'));
    const log = new AuditLog({
      path: 'logs/audit.jsonl',
      cwd: dir,
      env: { LEADLIFT_ACTOR: 'nightly-job' },
      now: () => new Date('2026-03-01T06:00:00Z'),
    });
    const got = await log.record(
      { command: 'persist-scores', action: 'write', source, table: 'dbo.lead_scores' },
      async () => 42,
      (n) => ({ rowsWritten: n, queryHashes: [queryHash('MERGE …')] }),
    );
    expect(got).toBe(42);
    await expect(
      log.record({ command: 'extract', action: 'extract', source }, async () => {
        throw new LeadliftError('db.unreachable', 'no', { exitCode: 4 });
      }),
    ).rejects.toThrow('no');
    const entries = await lines(join(dir, 'logs/audit.jsonl'));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      time_utc: '2026-03-01T06:00:00.000Z',
      actor: 'nightly-job',
      command: 'persist-scores',
      action: 'write',
      rowsWritten: 42,
      outcome: 'ok',
      source: { dialect: 'sqlite', database: 'agent-cory.sqlite' },
    });
    expect(String((entries[0]?.queryHashes as string[] | undefined)?.[0])).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[1]).toMatchObject({ command: 'extract', outcome: 'error', errorCode: 'db.unreachable' });
  });

  it('keeps concurrent writers whole, a line each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-audit-'));
    const a = new AuditLog({ path: 'a.jsonl', cwd: dir, env: {} });
    const b = new AuditLog({ path: 'a.jsonl', cwd: dir, env: {} });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).append({ command: 'c', action: 'read', source, rowsRead: i, outcome: 'ok' }),
      ),
    );
    const entries = await lines(join(dir, 'a.jsonl'));
    expect(entries.map((e) => e.rowsRead).sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('names the file and the fix when it cannot write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-audit-'));
    await writeFile(join(dir, 'plain-file'), '');
    const log = new AuditLog({ path: 'plain-file/x.jsonl', cwd: dir, env: {} });
    await expect(log.append({ command: 'c', action: 'read', source, outcome: 'ok' })).rejects.toMatchObject({
      code: 'audit.writeFailed',
      exitCode: 1,
    });
    // Checked before the access: the database work never runs when it couldn't be recorded.
    let ran = false;
    await expect(
      log.record({ command: 'persist-scores', action: 'write', source }, async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'audit.writeFailed' });
    expect(ran).toBe(false);
  });

  it('takes the actor from LEADLIFT_ACTOR, else the OS user', () => {
    expect(auditActor({ LEADLIFT_ACTOR: 'cron' })).toBe('cron');
    expect(auditActor({})).not.toBe('');
  });
});
