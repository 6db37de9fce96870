// TreeSHAP on two cores: a worker thread explains the first part of the rows while this
// thread explains the rest, both reading the features from and writing the values into
// shared memory. shapValues stays synchronous — this thread waits on an Atomics flag —
// and the values are the same bit for bit as on one thread (a row's values never depend
// on the other rows).

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GbtModel } from './model.js';
import { type PreparedShap, shapRows } from './shap.js';

const WORKER_URL = new URL('./shap-worker.js', import.meta.url);

/** Rows from which a second thread pays for its start-up and the copies. */
export const PARALLEL_MIN_ROWS = 20_000;

/** 2 when there are at least {@link PARALLEL_MIN_ROWS} rows and two cores, else 1. */
export function defaultShapThreads(nRows: number): number {
  return nRows >= PARALLEL_MIN_ROWS && availableParallelism() >= 2 ? 2 : 1;
}

/** True when the compiled worker script exists (not when running the TypeScript sources). */
export function workerAvailable(): boolean {
  return WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
}

/** What the worker receives: the model, shared feature columns and output columns, its rows. */
export interface ShapWorkerInput {
  readonly model: GbtModel;
  readonly nRows: number;
  readonly nFeatures: number;
  /** nFeatures × nRows float64, column after column. */
  readonly input: SharedArrayBuffer;
  readonly output: SharedArrayBuffer;
  /** Int32 flag: 0 running, 1 done, 2 failed. */
  readonly flag: SharedArrayBuffer;
  readonly r0: number;
  readonly r1: number;
  readonly byPattern: boolean;
}

/** How many worker halves finished, and how many were redone here (failed or late); for tests and benchmarks. */
export const shapWorkerStats = { done: 0, redone: 0 };

/** Longest wait for the worker beyond this thread's own share (it does the same amount). */
const WAIT_FLOOR_MS = 120_000;

/**
 * SHAP columns of all rows with the first half explained in a worker thread. If the worker
 * fails or does not finish in time, its half is explained here (same values).
 */
export function shapInWorkers(
  model: GbtModel,
  prepared: PreparedShap,
  cols: readonly Float64Array[],
  nRows: number,
  byPattern: boolean,
): Float64Array[] {
  const nF = prepared.nFeatures;
  const bytes = nF * nRows * 8;
  const input = new SharedArrayBuffer(bytes);
  const output = new SharedArrayBuffer(bytes);
  const flag = new SharedArrayBuffer(4);
  cols.forEach((c, f) => {
    new Float64Array(input, f * nRows * 8, nRows).set(c);
  });
  const shared = Array.from({ length: nF }, (_, f) => new Float64Array(input, f * nRows * 8, nRows));
  const columns = Array.from({ length: nF }, (_, f) => new Float64Array(output, f * nRows * 8, nRows));
  const half = Math.floor(nRows / 2);
  const data: ShapWorkerInput = {
    model,
    nRows,
    nFeatures: nF,
    input,
    output,
    flag,
    r0: 0,
    r1: half,
    byPattern,
  };
  const worker = new Worker(WORKER_URL, { workerData: data });
  const t0 = performance.now();
  shapRows(prepared, shared, half, nRows, columns, byPattern);
  const own = performance.now() - t0;
  const state = new Int32Array(flag);
  const deadline = performance.now() + Math.max(WAIT_FLOOR_MS, 4 * own);
  while (Atomics.load(state, 0) === 0 && performance.now() < deadline) {
    Atomics.wait(state, 0, 0, 1000);
  }
  const status = Atomics.load(state, 0);
  void worker.terminate();
  if (status === 1) shapWorkerStats.done++;
  else {
    shapWorkerStats.redone++;
    // The worker failed or is late: explain its rows here, from zeroed columns.
    for (const c of columns) c.fill(0, 0, half);
    shapRows(prepared, shared, 0, half, columns, byPattern);
  }
  return columns;
}
