// Worker thread of shapInWorkers: explains trees [0, trees) for every row into the shared output columns,
// then sets the flag (1 done, 2 failed) and wakes the waiting thread.

import { workerData } from 'node:worker_threads';
import type { ShapWorkerInput } from './shap-parallel.js';

const d = workerData as ShapWorkerInput;
const state = new Int32Array(d.flag);
try {
  const { prepareShap, shapRows } = await import('./shap.js');
  const cols = Array.from(
    { length: d.nFeatures },
    (_, f) => new Float64Array(d.input, f * d.nRows * 8, d.nRows),
  );
  const out = Array.from(
    { length: d.nFeatures },
    (_, f) => new Float64Array(d.output, f * d.nRows * 8, d.nRows),
  );
  shapRows(prepareShap(d.model), cols, 0, d.nRows, out, d.byPattern, 0, d.trees);
  Atomics.store(state, 0, 1);
} catch {
  Atomics.store(state, 0, 2);
}
Atomics.notify(state, 0);
