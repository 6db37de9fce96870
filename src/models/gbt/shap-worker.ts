// Worker thread of shapInWorkers: started with a model, it explains trees [0, trees) of
// every call's rows into that call's shared output columns, then sets the call's flag
// (3 on receipt, then 1 done or 2 failed) and wakes the waiting thread. It stays for the next call until ended.

import { parentPort, workerData } from 'node:worker_threads';
import type { PreparedShap } from './shap.js';
import type { ShapWorkerData, ShapWorkerInput } from './shap-parallel.js';

const { model } = workerData as ShapWorkerData;
let prepared: PreparedShap | undefined;

parentPort?.on('message', async (d: ShapWorkerInput) => {
  const state = new Int32Array(d.flag);
  // Received: the waiting thread now gives the worker its full time.
  Atomics.store(state, 0, 3);
  Atomics.notify(state, 0);
  try {
    const { prepareShap, shapRows } = await import('./shap.js');
    prepared ??= prepareShap(model);
    const cols = Array.from(
      { length: d.nFeatures },
      (_, f) => new Float64Array(d.input, f * d.nRows * 8, d.nRows),
    );
    const out = Array.from(
      { length: d.nFeatures },
      (_, f) => new Float64Array(d.output, f * d.nRows * 8, d.nRows),
    );
    shapRows(prepared, cols, 0, d.nRows, out, d.byPattern, 0, d.trees);
    Atomics.store(state, 0, 1);
  } catch {
    Atomics.store(state, 0, 2);
  }
  Atomics.notify(state, 0);
});
