// Worker thread of runTrainFlatInWorker: runs one runTrainFlat (read the examples, train,
// evaluate, write the run folder) and posts its progress, then the run or the error.

import { parentPort, workerData } from 'node:worker_threads';
import type { Progress } from '../progress.js';
import type { TrainFlatWorkerData, TrainFlatWorkerMessage } from './train-flat-parallel.js';

const post = (m: TrainFlatWorkerMessage) => parentPort!.postMessage(m);
let nextTask = 0;
const progress: Progress = {
  task(label, total) {
    const id = nextTask++;
    post({ kind: 'task', id, label, ...(total !== undefined ? { total } : {}) });
    return {
      tick: (n) => post({ kind: 'tick', id, ...(n !== undefined ? { n } : {}) }),
      done: (summary) => post({ kind: 'done', id, ...(summary !== undefined ? { summary } : {}) }),
    };
  },
};

try {
  const { runTrainFlat, summaryOf } = await import('./train.js');
  const { shareRunningTargets } = await import('../models/gbt/shap-parallel.js');
  const { options: o, running } = workerData as TrainFlatWorkerData;
  if (running) shareRunningTargets(new Int32Array(running));
  const run = await runTrainFlat({ ...o, progress });
  post({ kind: 'result', run: summaryOf(run) });
} catch (e) {
  const err = e as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    exitCode?: unknown;
    details?: unknown;
  };
  post({
    kind: 'error',
    error: {
      name: typeof err.name === 'string' ? err.name : 'Error',
      message: typeof err.message === 'string' ? err.message : String(e),
      code: typeof err.code === 'string' ? err.code : undefined,
      exitCode: typeof err.exitCode === 'number' ? err.exitCode : undefined,
      details:
        err.details !== null && typeof err.details === 'object'
          ? (err.details as Record<string, unknown>)
          : undefined,
      stack: e instanceof Error ? e.stack : undefined,
    },
  });
}
