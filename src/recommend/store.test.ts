// The recommendations store under concurrency: overlapping read-modify-writes all land,
// a live lock makes a writer wait and then fail with recommend.storeBusy (exit 5), a lock
// left by a dead process is taken over, and a failed write leaves no temporary file.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, isLeadliftError } from '../errors.js';
import type { Recommendation } from './analyze.js';
import { addProposals, readStore, setStatus, withStoreLock, writeChangeRequest } from './store.js';

const recs = JSON.parse(
  readFileSync(join(import.meta.dirname, 'golden/recommendations.json'), 'utf8'),
) as Recommendation[];
const [a, b] = [recs[0]!, recs[1]!];

let dir: string;
let store: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadlift-store-'));
  store = join(dir, 'store.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recommendations store lock', () => {
  it('when setStatus and addProposals overlap on one store then both changes land', async () => {
    await addProposals(store, 'run-1', 'run-1', [a]);
    await Promise.all([
      setStatus(store, a.id, 'approved', 'Dana', 'ok'),
      addProposals(store, 'run-2', 'run-2', [b]),
    ]);
    await Promise.all([
      setStatus(store, b.id, 'rejected', 'Sam', null),
      setStatus(store, a.id, 'rolled_out', 'Sam', null),
    ]);
    const s = await readStore(store);
    expect(Object.fromEntries(s.entries.map((e) => [e.id, e.status]))).toEqual({
      [a.id]: 'rolled_out',
      [b.id]: 'rejected',
    });
    expect(s.entries.find((e) => e.id === a.id)!.history.map((h) => h.status)).toEqual([
      'proposed',
      'approved',
      'rolled_out',
    ]);
    expect(readdirSync(dir)).toEqual(['store.json']); // no lock, no temporary file left
  });

  it('when another writer holds the lock past the timeout then recommend.storeBusy (exit 5) names the lock', async () => {
    await addProposals(store, 'run-1', 'run-1', [a]);
    let waiting: Promise<unknown> = Promise.resolve();
    await withStoreLock(store, async () => {
      waiting = setStatus(store, a.id, 'approved', 'Dana', null); // waits for the lock
      const busy = await withStoreLock(store, async () => 0, { timeoutMs: 150, retryMs: 10 }).catch(
        (e: unknown) => e,
      );
      expect(isLeadliftError(busy, 'recommend.storeBusy')).toBe(true);
      expect((busy as { exitCode: number }).exitCode).toBe(ExitCode.busy);
      expect((busy as Error).message).toContain(`${store}.lock`);
      expect((busy as Error).message).toContain(`pid ${process.pid}`);
      expect((await readStore(store)).entries[0]!.status).toBe('proposed');
    });
    await waiting; // ran once the lock was released
    expect((await readStore(store)).entries[0]!.status).toBe('approved');
    expect(readdirSync(dir)).toEqual(['store.json']);
  });

  it('when the lock was left by a process that is gone then it is taken over', async () => {
    await addProposals(store, 'run-1', 'run-1', [a]);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(
      `${store}.lock`,
      JSON.stringify({ pid: dead, host: hostname(), at: '2026-01-01T00:00:00.000Z', token: 'dead' }),
    );
    const started = Date.now();
    await setStatus(store, a.id, 'approved', 'Dana', null);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await readStore(store)).entries[0]!.status).toBe('approved');
    expect(readdirSync(dir)).toEqual(['store.json']);
  });
});

describe('writeChangeRequest', () => {
  it('when the Markdown cannot be written then no JSON and no temporary file are left', async () => {
    await addProposals(store, 'run-1', 'run-1', [a]);
    const approved = await setStatus(store, a.id, 'approved', 'Dana', null);
    const out = join(dir, 'cr');
    await mkdir(join(out, `${a.id}.md`), { recursive: true }); // a folder where the file goes
    await expect(writeChangeRequest(out, approved)).rejects.toThrow();
    expect(readdirSync(out)).toEqual([`${a.id}.md`]);

    await rm(join(out, `${a.id}.md`), { recursive: true });
    const paths = await writeChangeRequest(out, approved);
    expect(readdirSync(out).sort()).toEqual([`${a.id}.json`, `${a.id}.md`]);
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toMatchObject({ id: a.id, approved_by: 'Dana' });
  });
});
