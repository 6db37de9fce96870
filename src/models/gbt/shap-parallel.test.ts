import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../version.js';

/** Worker threads load only compiled code: `npm ci` builds it (prepare) before `npm test`. */
const COMPILED = join(PACKAGE_ROOT, 'dist/models/gbt');
const built = existsSync(join(COMPILED, 'shap-worker.js'));
if (!built) console.warn(`worker-thread TreeSHAP test skipped: ${COMPILED} is not built (npm run build)`);

/** The compiled shapValues and its worker stats, with a model fitted on 3,001 seeded rows. */
async function fitted() {
  const load = (f: string) => import(pathToFileURL(join(COMPILED, f)).href);
  const { fitGbt } = await load('fit.js');
  const { shapValues } = await load('shap.js');
  const { shapWorkerStats } = await load('shap-parallel.js');
  const { SeededRng } = await import(pathToFileURL(join(PACKAGE_ROOT, 'dist/numeric/rng.js')).href);
  const rng = new SeededRng(3);
  const n = 3001;
  const columns = Array.from({ length: 6 }, () =>
    Float64Array.from({ length: n }, () =>
      rng.nextFloat() < 0.05 ? Number.NaN : Math.round(rng.nextNormal() * 8),
    ),
  );
  const y = Uint8Array.from({ length: n }, (_, i) =>
    rng.nextFloat() < 1 / (1 + Math.exp(-(columns[0]![i]! / 4 - (columns[1]![i]! > 0 ? 1 : 0)))) ? 1 : 0,
  );
  const x = { nRows: n, names: columns.map((_, j) => `f${j}`), columns };
  const model = fitGbt({ x, y }, { numIterations: 15, numLeaves: 15 });
  return { shapValues, shapWorkerStats, x, model };
}

/** Every contribution column of `a` equals `b`'s, bit for bit. */
function expectSameColumns(a: { columns: Float64Array[] }, b: { columns: Float64Array[] }): void {
  a.columns.forEach((col, j) => {
    expect(Array.from(col)).toEqual(Array.from(b.columns[j]!));
  });
}

describe('shapValues on two threads', () => {
  it.skipIf(!built)(
    'when half the rows are explained in a worker then every value equals one thread bit for bit',
    async () => {
      const { shapValues, shapWorkerStats, x, model } = await fitted();
      const one = shapValues(model, x, { threads: 1 });
      const before = shapWorkerStats.done;
      const two = shapValues(model, x, { threads: 2 });
      expect(shapWorkerStats.done).toBe(before + 1);
      expect(two.expectedValue).toBe(one.expectedValue);
      expectSameColumns(two, one);
    },
  );

  it.skipIf(!built)(
    'when blocks are explained one after another without yielding then they share one worker, ended when the thread yields',
    async () => {
      const { shapValues, shapWorkerStats, x, model } = await fitted();
      const block = (from: number, to: number) => ({
        nRows: to - from,
        names: x.names,
        columns: x.columns.map((c: Float64Array) => c.subarray(from, to)),
      });
      const started = shapWorkerStats.started;
      const done = shapWorkerStats.done;
      const blocks = [block(0, 1000), block(1000, 2000), block(2000, x.nRows)].map((b) =>
        shapValues(model, b, { threads: 2, byPattern: true }),
      );
      expect(shapWorkerStats.started).toBe(started + 1);
      expect(shapWorkerStats.done).toBe(done + 3);
      const one = shapValues(model, x, { threads: 1, byPattern: true });
      blocks.forEach((b, k) => {
        b.columns.forEach((col: Float64Array, j: number) => {
          expect(Array.from(col)).toEqual(
            Array.from(one.columns[j]!.subarray(1000 * k, 1000 * k + col.length)),
          );
        });
      });
      // After this thread yields, the next call starts a new worker.
      await new Promise((r) => setImmediate(r));
      shapValues(model, block(0, 10), { threads: 2 });
      expect(shapWorkerStats.started).toBe(started + 2);
    },
  );

  it.skipIf(!built)(
    'when called in a worker thread then the default is one thread unless it is the last target training, on the main thread two (with 2+ cores)',
    async () => {
      const url = pathToFileURL(join(COMPILED, 'shap-parallel.js')).href;
      const { defaultShapThreads } = await import(url);
      expect(defaultShapThreads(100_000)).toBe(availableParallelism() >= 2 ? 2 : 1);
      expect(defaultShapThreads(100)).toBe(1);
      // In a worker: 1 untold, 1 beside another target, 2 (with two cores) as the last one.
      const code = `import('${url}').then((m) => {
        const c = new Int32Array(new SharedArrayBuffer(4));
        const out = [m.defaultShapThreads(100000)];
        m.shareRunningTargets(c);
        Atomics.store(c, 0, 2);
        out.push(m.defaultShapThreads(100000));
        Atomics.store(c, 0, 1);
        out.push(m.defaultShapThreads(100000), m.defaultShapThreads(100));
        require('node:worker_threads').parentPort.postMessage(out);
      });`;
      const inWorker = await new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true });
        w.once('message', (v) => {
          resolve(v);
          void w.terminate();
        });
        w.once('error', reject);
      });
      expect(inWorker).toEqual([1, 1, availableParallelism() >= 2 ? 2 : 1, 1]);
    },
  );

  it.skipIf(!built || availableParallelism() < 2)(
    'when a worker thread explains on two threads then its values equal one thread bit for bit',
    async () => {
      const { shapValues, x, model } = await fitted();
      const one = shapValues(model, x, { threads: 1 });
      const url = pathToFileURL(join(COMPILED, 'shap-parallel.js')).href;
      const shapUrl = pathToFileURL(join(COMPILED, 'shap.js')).href;
      // The TreeSHAP worker is started from inside this worker, as in a training worker.
      const code = `const { workerData, parentPort } = require('node:worker_threads');
        Promise.all([import('${shapUrl}'), import('${url}')]).then(([s, p]) => {
          const r = s.shapValues(workerData.model, workerData.x, { threads: 2 });
          parentPort.postMessage({ columns: r.columns, done: p.shapWorkerStats.done });
        });`;
      const out = await new Promise<{ columns: Float64Array[]; done: number }>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { model, x } });
        w.once('message', (v) => {
          resolve(v);
          void w.terminate();
        });
        w.once('error', reject);
      });
      expect(out.done).toBe(1);
      expectSameColumns(out, one);
    },
  );

  /** Runs `fn` with the TreeSHAP worker replaced by a script of `lines` and the receipt limit `ackMs`. */
  async function withWorkerScript(lines: readonly string[], ackMs: number, fn: () => void): Promise<void> {
    const { shapWorkerConfig } = await import(pathToFileURL(join(COMPILED, 'shap-parallel.js')).href);
    const dir = mkdtempSync(join(tmpdir(), 'leadlift-shap-'));
    const script = join(dir, 'worker.mjs');
    writeFileSync(script, ["import { parentPort } from 'node:worker_threads';", ...lines, ''].join('\n'));
    const saved = { ...shapWorkerConfig };
    try {
      shapWorkerConfig.url = pathToFileURL(script);
      shapWorkerConfig.ackMs = ackMs;
      fn();
    } finally {
      Object.assign(shapWorkerConfig, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.skipIf(!built)(
    'when the worker never receives its call then its share is redone here soon after, with the same values',
    async () => {
      const { shapValues, shapWorkerStats, x, model } = await fitted();
      const redone = shapWorkerStats.redone;
      const done = shapWorkerStats.done;
      // A worker that starts and ignores every call, as one that failed to load would.
      await withWorkerScript(["parentPort.on('message', () => {});"], 200, () => {
        const two = shapValues(model, x, { threads: 2 });
        expect(shapWorkerStats.redone).toBe(redone + 1);
        expect(shapWorkerStats.done).toBe(done);
        const one = shapValues(model, x, { threads: 1 });
        expectSameColumns(two, one);
      });
    },
  );

  it.skipIf(!built)(
    'when the worker has received its call then it is waited for past the receipt limit',
    async () => {
      const { shapValues, shapWorkerStats, x, model } = await fitted();
      const redone = shapWorkerStats.redone;
      const done = shapWorkerStats.done;
      // Marks the call received at once and done 3 s later (its columns stay zero), past the
      // 1.5 s receipt limit, which leaves the worker time to start on a busy machine.
      const slow = [
        "parentPort.on('message', (d) => {",
        '  const s = new Int32Array(d.flag);',
        '  Atomics.store(s, 0, 3);',
        '  Atomics.notify(s, 0);',
        '  setTimeout(() => { Atomics.store(s, 0, 1); Atomics.notify(s, 0); }, 3000);',
        '});',
      ];
      await withWorkerScript(slow, 1500, () => {
        shapValues(model, x, { threads: 2 });
        expect(shapWorkerStats.done).toBe(done + 1);
        expect(shapWorkerStats.redone).toBe(redone);
      });
    },
  );
});
