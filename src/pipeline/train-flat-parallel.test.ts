import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli/io.js';
import { runCli } from '../cli/run.js';
import { isLeadliftError, LeadliftError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import {
  mapLimited,
  oneHotWidth,
  ownsBuffer,
  THREAD_MEMORY,
  TRAIN_MEMORY_BUDGET,
  targetThreadsPlan,
  threadBytes,
  threadsForMemory,
} from './train-flat-parallel.js';

describe('mapLimited', () => {
  it('when calls finish out of order then the results are in item order and no more than the limit ran at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimited([30, 5, 20, 1, 10], 2, async (ms, i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10']);
    expect(most).toBe(2);
  });

  it('when two items fail then every item runs and the first failed item (in item order) is thrown', async () => {
    const ran: number[] = [];
    const run = mapLimited([0, 1, 2, 3], 2, async (i) => {
      // Item 3 fails first in time, item 1 first in order.
      await new Promise((r) => setTimeout(r, i === 3 ? 0 : 20));
      ran.push(i);
      if (i === 1 || i === 3) throw new LeadliftError(`test.fail${i}`, `item ${i}`);
      return i;
    });
    await expect(run).rejects.toSatisfy((e: unknown) => isLeadliftError(e, 'test.fail1'));
    expect([...ran].sort()).toEqual([0, 1, 2, 3]);
  });
});

/** Worker threads load only compiled code: `npm ci` builds it (prepare) before `npm test`. */
const COMPILED = join(PACKAGE_ROOT, 'dist/pipeline');
const built = existsSync(join(COMPILED, 'train-flat-worker.js'));
if (!built) console.warn(`worker-thread train test skipped: ${COMPILED} is not built (npm run build)`);

describe('runTrainCleaned on worker threads', () => {
  let cwd: string;
  let cleaned: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'leadlift-train-threads-'));
    if (!built) return;
    expect(await runCli(['quickstart', '--enrollments', '1500', '--quiet'], captureIo({ cwd }))).toBe(0);
    cleaned = join(cwd, 'tmp/cleaned', readdirSync(join(cwd, 'tmp/cleaned'))[0]!);
  }, 600_000);
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it.skipIf(!built)(
    'when the targets train on two threads then every run folder equals the one-thread run byte for byte',
    async () => {
      const { runTrainCleaned } = await import(pathToFileURL(join(COMPILED, 'train-cleaned.js')).href);
      const now = new Date('2026-03-01T06:00:00Z');
      const common = { cwd, cleanedDir: cleaned, runName: 'same', now, train: { nBoot: 40 } };
      const one = await runTrainCleaned({ ...common, runsDir: 'runs-one', threads: 1 });
      const two = await runTrainCleaned({ ...common, runsDir: 'runs-two', threads: 2 });
      const targets = (r: { runs: { target: string }[] }) => r.runs.map((x) => x.target);
      expect(targets(two)).toEqual(targets(one));
      expect(one.runs.length).toBe(3);
      for (const [k, { target, run }] of (one.runs as { target: string; run: { dir: string } }[]).entries()) {
        const other = two.runs[k].run as { dir: string; result: { gates: unknown; scores?: unknown } };
        const files = readdirSync(run.dir).sort();
        expect(readdirSync(other.dir).sort()).toEqual(files);
        for (const f of files) {
          const a = readFileSync(join(run.dir, f), 'utf8');
          const b = readFileSync(join(other.dir, f), 'utf8');
          if (f !== 'manifest.json') {
            expect(b === a, `${target}/${f}`).toBe(true);
            continue;
          }
          // The manifest differs only in timings.
          const strip = (text: string) => {
            const m = JSON.parse(text);
            delete m.timings_seconds;
            return m;
          };
          expect(strip(b)).toEqual(strip(a));
        }
        // The run's summary comes back from the worker, without its per-row data.
        expect(other.result.gates).toEqual((run as unknown as typeof other).result.gates);
        expect(other.result.scores).toBeUndefined();
      }
    },
    600_000,
  );

  it.skipIf(!built)(
    'when one target fails then the others still write their runs and the error names those folders',
    async () => {
      const { runTrainCleaned } = await import(pathToFileURL(join(COMPILED, 'train-cleaned.js')).href);
      const now = new Date('2026-03-01T06:00:00Z');
      // A folder already holding the T2 run's name: that target stops with train.runExists.
      mkdirSync(join(cwd, 'runs-fail/same-qualified_within_14d'), { recursive: true });
      const run = runTrainCleaned({
        cwd,
        cleanedDir: cleaned,
        runName: 'same',
        now,
        runsDir: 'runs-fail',
        threads: 2,
        train: { nBoot: 20 },
      });
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      // The compiled module has its own LeadliftError class: compare the code, not the class.
      const e = error as { code?: string; message: string; details?: Record<string, unknown> };
      expect(e.code, String(error)).toBe('train.runExists');
      const written = [
        join(cwd, 'runs-fail/same-booked_call_within_7d'),
        join(cwd, 'runs-fail/same-conversion_within_30d'),
      ];
      expect(e.details?.written_runs).toEqual(written);
      for (const dir of written) {
        expect(e.message).toContain(dir);
        expect(existsSync(join(dir, 'metrics.json'))).toBe(true);
      }
      // The failed target's folder is left as it was: empty, nothing half-written.
      expect(readdirSync(join(cwd, 'runs-fail/same-qualified_within_14d'))).toEqual([]);
    },
    600_000,
  );
});

describe('threadsForMemory', () => {
  const MiB = 2 ** 20;
  const GiB = 2 ** 30;
  it('when two threads fit beside what is held then 2; one row more, 1', () => {
    const { fixedBytes, bytesPerCell } = THREAD_MEMORY;
    const budgetBytes = 3 * GiB;
    const heldBytes = GiB;
    const rows = Math.floor((budgetBytes - heldBytes - 2 * fixedBytes) / (2 * 100 * bytesPerCell));
    expect(threadsForMemory({ rows, width: 100, heldBytes, budgetBytes })).toBe(2);
    expect(threadsForMemory({ rows: rows + 1, width: 100, heldBytes, budgetBytes })).toBe(1);
  });

  it('when not even one thread fits then 0', () => {
    expect(threadsForMemory({ rows: 10, width: 10, heldBytes: 4 * GiB, budgetBytes: 3 * GiB })).toBe(0);
    const one = threadBytes(1_000_000, 100);
    expect(threadsForMemory({ rows: 1_000_000, width: 100, heldBytes: GiB, budgetBytes: GiB + one })).toBe(1);
    expect(
      threadsForMemory({ rows: 1_000_000, width: 100, heldBytes: GiB, budgetBytes: GiB + one - 1 }),
    ).toBe(0);
  });

  it('when a thread costs a fixed part and a part per cell then doubling rows or width doubles only the second', () => {
    const { fixedBytes } = THREAD_MEMORY;
    expect(threadBytes(0, 111)).toBe(fixedBytes);
    expect(threadBytes(2000, 111) - fixedBytes).toBe(2 * (threadBytes(1000, 111) - fixedBytes));
    expect(threadBytes(1000, 222) - fixedBytes).toBe(2 * (threadBytes(1000, 111) - fixedBytes));
  });

  it('when measured demo sizes are given then 200k and 1M train two targets at once, and a fuller process one', () => {
    // 200k demo enrollments: ~185k rows per target, one-hot width 111, ~350 MiB held.
    const at = (rows: number, heldBytes: number) =>
      threadsForMemory({ rows, width: 111, heldBytes, budgetBytes: TRAIN_MEMORY_BUDGET });
    expect(at(184_723, 350 * MiB)).toBeGreaterThanOrEqual(2);
    // 1M: 923,971 rows for the largest target beside the 1,561 MiB measured after the features.
    expect(at(923_971, 1561 * MiB)).toBe(2);
    // The same rows beside 2 GiB held: one thread only.
    expect(at(923_971, 2 * GiB)).toBe(1);
  });
});

describe('oneHotWidth', () => {
  it('when features are numeric or categorical then 1 each, or their categories up to maxOneHot', () => {
    expect(oneHotWidth([undefined, 3, 40, undefined, 1], 32)).toBe(1 + 3 + 32 + 1 + 1);
    expect(oneHotWidth([], 32)).toBe(0);
  });
});

describe('ownsBuffer', () => {
  it('when an array covers its whole buffer then true; a view of part of one, false', () => {
    const whole = new Float64Array(8);
    expect(ownsBuffer(whole)).toBe(true);
    expect(ownsBuffer(whole.subarray(2, 4))).toBe(false);
    expect(ownsBuffer(whole.subarray(0, 4))).toBe(false);
    expect(ownsBuffer(new Float64Array(new SharedArrayBuffer(64)))).toBe(false);
  });
});

describe('targetThreadsPlan', () => {
  it('when not even one thread fits the budget then it warns once in one line', () => {
    const lines: string[] = [];
    expect(targetThreadsPlan([5_000_000, 10], 111, 3 * 2 ** 30, (l) => lines.push(l)).threads).toBe(1);
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^memory may pass the 3\.5 GiB budget/);
    expect(lines[0]).not.toContain('\n');
    targetThreadsPlan([1000, 10], 111, 0, (l) => lines.push(l));
    expect(lines.length).toBe(1);
  });

  it.skipIf(!built || availableParallelism() < 2)(
    'when two training threads fit the memory budget beside what is held then 2, else 1',
    async () => {
      const { targetThreadsPlan, threadBytes, TRAIN_MEMORY_BUDGET } = await import(
        pathToFileURL(join(COMPILED, 'train-flat-parallel.js')).href
      );
      const GiB = 2 ** 30;
      // 200k demo enrollments: ~185k rows per target, one-hot width 111, ~350 MB held.
      expect(targetThreadsPlan([184_723, 182_966, 165_182], 111, 0.35 * GiB).threads).toBe(2);
      // 1M: the measured eligible rows beside the 1,561 MiB held after the features: two;
      // beside 2 GiB: one.
      expect(targetThreadsPlan([923_971, 914_747, 825_911], 111, 1561 * 2 ** 20).threads).toBe(2);
      expect(targetThreadsPlan([923_971, 914_747, 825_911], 111, 2 * GiB).threads).toBe(1);
      // The largest target decides.
      const held = TRAIN_MEMORY_BUDGET - 2 * threadBytes(100_000, 111);
      expect(targetThreadsPlan([10, 100_000], 111, held).threads).toBe(2);
      expect(targetThreadsPlan([10, 100_001], 111, held).threads).toBe(1);
      // One target has nothing to share the cores with.
      expect(targetThreadsPlan([1000], 111, 0).threads).toBe(1);
    },
  );

  it.skipIf(!built || availableParallelism() < 2)(
    'when the plan is made then its reason names the choice and the memory',
    async () => {
      const { targetThreadsPlan } = await import(
        pathToFileURL(join(COMPILED, 'train-flat-parallel.js')).href
      );
      const GiB = 2 ** 30;
      const two = targetThreadsPlan([923_971, 914_747, 825_911], 111, 1.5 * GiB);
      expect(two).toEqual({
        threads: 2,
        reason: 'two at once in worker threads (1.5 GiB held + about 0.8 GiB a thread, budget 3.5 GiB)',
      });
      const one = targetThreadsPlan([923_971, 914_747, 825_911], 111, 2 * GiB);
      expect(one.threads).toBe(1);
      expect(one.reason).toMatch(/^one after another: memory for one thread only \(2\.0 GiB held/);
      expect(targetThreadsPlan([1000], 111, 0)).toEqual({ threads: 1, reason: 'one target' });
    },
  );
});
