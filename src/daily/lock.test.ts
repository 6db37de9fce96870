import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { acquireJobLock, type LockHolder, pidAlive, staleReason } from './lock.js';

const H = 3_600_000;

describe('staleReason', () => {
  const holder = (o: Partial<LockHolder> = {}): LockHolder => ({
    pid: 42,
    host: hostname(),
    started_at_utc: new Date(1_000 * H).toISOString(),
    command: 'daily',
    target: 'none',
    ...o,
  });
  const at = (h: number, alive: boolean) => ({
    now: (1_000 + h) * H,
    maxAgeMs: 12 * H,
    isAlive: () => alive,
  });

  it('when the process runs and the lock is young then it is live', () => {
    expect(staleReason(holder(), 0, at(1, true))).toBeNull();
  });

  it('when the process is gone on this host then it is stale', () => {
    expect(staleReason(holder(), 0, at(1, false))).toMatch(/process 42 .* no longer running/);
  });

  it('when the holder is on another host then only its age can make it stale', () => {
    expect(staleReason(holder({ host: 'elsewhere' }), 0, at(1, false))).toBeNull();
    expect(staleReason(holder({ host: 'elsewhere' }), 0, at(13, false))).toMatch(/13\.0 h old/);
  });

  it('when the file is unreadable then it is stale only after a minute (it may be mid-write)', () => {
    const now = 10 * H;
    expect(staleReason(null, now - 30_000, { now, maxAgeMs: 12 * H, isAlive: () => true })).toBeNull();
    expect(staleReason(null, now - 120_000, { now, maxAgeMs: 12 * H, isAlive: () => true })).toMatch(
      /unreadable/,
    );
  });
});

describe('acquireJobLock', () => {
  it('when taken then the file holds pid, host, start and command, and a second take is refused with exit 5', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const lock = acquireJobLock({ dir, name: 'daily-x', command: 'daily --mode predict', target: 'none' });
    const held = JSON.parse(readFileSync(lock.path, 'utf8')) as LockHolder;
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), command: 'daily --mode predict' });
    let err: unknown;
    try {
      acquireJobLock({ dir, name: 'daily-x', command: 'daily', target: 'none' });
    } catch (e) {
      err = e;
    }
    expect(isLeadliftError(err, 'daily.locked')).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(5);
    const other = acquireJobLock({ dir, name: 'daily-y', command: 'daily', target: 'other' });
    other.release();
    lock.release();
    lock.release();
    const again = acquireJobLock({ dir, name: 'daily-x', command: 'daily', target: 'none' });
    expect(again.tookOver).toBeNull();
    again.release();
  });

  it('when an unreadable lock file is old then it is taken over and reported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const path = join(dir, 'daily-z.lock');
    writeFileSync(path, '');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(path, old, old);
    const lock = acquireJobLock({ dir, name: 'daily-z', command: 'daily', target: 'none' });
    expect(lock.tookOver?.holder).toBeNull();
    expect(lock.tookOver?.reason).toMatch(/unreadable/);
    lock.release();
  });

  it('when a released lock file was replaced by another job then release leaves it alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const lock = acquireJobLock({ dir, name: 'daily-w', command: 'daily', target: 'none' });
    const theirs = JSON.stringify({
      pid: 7,
      host: 'elsewhere',
      started_at_utc: new Date().toISOString(),
      command: 'daily',
      target: 'none',
    });
    writeFileSync(lock.path, theirs);
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).toBe(theirs);
  });
});

describe('pidAlive', () => {
  it('when asked about this process then true, and about pid 0 or a negative pid then false', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(-5)).toBe(false);
  });
});
