import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { acquireJobLock, type LockHolder, pidAlive, staleReason, takeOverStaleLock } from './lock.js';

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

describe('takeOverStaleLock', () => {
  const refusal = (f: () => unknown): { code: string; exitCode: number; message: string } => {
    try {
      f();
    } catch (e) {
      expect(isLeadliftError(e, 'daily.locked')).toBe(true);
      return e as { code: string; exitCode: number; message: string };
    }
    throw new Error('expected daily.locked');
  };

  it('when another job took over the same stale lock first then the second taker refuses and the fresh lock survives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const path = join(dir, 'daily-r.lock');
    const stale: LockHolder = {
      pid: 999_999,
      host: hostname(),
      started_at_utc: new Date(Date.now() - H).toISOString(),
      command: 'daily',
      target: 'none',
    };
    writeFileSync(path, JSON.stringify(stale));
    // Jobs A and B both read the stale holder; A takes over first and holds a fresh lock.
    const judgedByB = { holder: stale, mtimeMs: statSync(path).mtimeMs };
    const a = acquireJobLock({
      dir,
      name: 'daily-r',
      command: 'daily A',
      target: 'none',
      isAlive: () => false,
    });
    expect(a.tookOver?.holder).toEqual(stale);
    const fresh = readFileSync(path, 'utf8');
    // B, having judged the lock stale, now takes it over: it must refuse, naming A.
    const err = refusal(() => takeOverStaleLock(path, judgedByB, 12 * H));
    expect(err.exitCode).toBe(5);
    expect(err.message).toContain(`daily A (pid ${process.pid}`);
    expect(readFileSync(path, 'utf8')).toBe(fresh);
    expect(readdirSync(dir)).toEqual(['daily-r.lock']);
    a.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when an unreadable stale lock was replaced by a fresh lock still being written then it refuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const path = join(dir, 'daily-u.lock');
    writeFileSync(path, '');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(path, old, old);
    const judged = { holder: null, mtimeMs: statSync(path).mtimeMs };
    writeFileSync(path, ''); // another job's fresh lock, empty for a moment
    utimesSync(path, new Date(), new Date());
    refusal(() => takeOverStaleLock(path, judged, 12 * H));
    expect(readdirSync(dir)).toEqual(['daily-u.lock']);
  });

  it('when the lock file is still the one judged stale then it is removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const path = join(dir, 'daily-s.lock');
    writeFileSync(path, '');
    const judged = { holder: null, mtimeMs: statSync(path).mtimeMs };
    expect(takeOverStaleLock(path, judged, 12 * H)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    expect(takeOverStaleLock(path, judged, 12 * H)).toBe(false);
  });
});

describe('acquireJobLock when the runs folder cannot be written', () => {
  it('then it fails with daily.lockFailed, exit 2, naming the folder and how to change it', async () => {
    const base = await mkdtemp(join(tmpdir(), 'leadlift-lock-'));
    const file = join(base, 'not-a-folder');
    writeFileSync(file, '');
    const dir = join(file, 'runs');
    let err: unknown;
    try {
      acquireJobLock({ dir, name: 'daily-x', command: 'daily', target: 'none' });
    } catch (e) {
      err = e;
    }
    expect(isLeadliftError(err, 'daily.lockFailed')).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(2);
    expect((err as Error).message).toContain(dir);
    expect((err as Error).message).toMatch(/--runs-dir or LEADLIFT_RUNS_DIR/);
  });
});

describe('pidAlive', () => {
  it('when asked about this process then true, and about pid 0 or a negative pid then false', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(-5)).toBe(false);
  });
});
