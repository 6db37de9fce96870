// TreeSHAP on two cores: a worker thread explains the first half of the trees while this
// thread explains the rest, both reading the features from and writing the values into
// shared memory. shapValues stays synchronous — this thread waits on an Atomics flag —
// and one thread computes the same two halves and sums them the same way, so the values
// are the same bit for bit. The row blocks of one explanation share one worker.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import type { GbtModel } from './model.js';
import { type PreparedShap, shapRows } from './shap.js';

const WORKER_URL = new URL('./shap-worker.js', import.meta.url);

/** Rows from which a second thread pays for its start-up and the copies. */
export const PARALLEL_MIN_ROWS = 20_000;

/** How many training threads run now, shared by the targets trained at once (null: not told). */
let runningTargets: Int32Array | null = null;

/**
 * Tells this thread (a target's training worker) the shared count of targets training
 * now, so that the last one still running may use the second core (see defaultShapThreads).
 */
export function shareRunningTargets(counter: Int32Array | null): void {
  runningTargets = counter;
}

/**
 * 2 when there are at least {@link PARALLEL_MIN_ROWS} rows, two cores, and this is the main
 * thread or a training worker that is the only target still training; else 1. A worker
 * thread beside another target's already shares the cores: a second TreeSHAP thread there
 * only adds the copies and start-up. Asked per row block, so the last target switches to
 * two threads from the block after the others finish.
 */
export function defaultShapThreads(nRows: number): number {
  if (nRows < PARALLEL_MIN_ROWS || availableParallelism() < 2) return 1;
  if (isMainThread) return 2;
  return runningTargets !== null && Atomics.load(runningTargets, 0) <= 1 ? 2 : 1;
}

/** True when the compiled worker script exists (not when running the TypeScript sources). */
export function workerAvailable(): boolean {
  return WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
}

/** What the worker is started with: the model it explains, prepared once. */
export interface ShapWorkerData {
  readonly model: GbtModel;
}

/** What the worker receives per call: shared feature columns and output columns, its rows. */
export interface ShapWorkerInput {
  readonly nRows: number;
  readonly nFeatures: number;
  /** nFeatures × nRows float64, column after column. */
  readonly input: SharedArrayBuffer;
  readonly output: SharedArrayBuffer;
  /** Int32 flag: 0 posted, 3 received by the worker, 1 done, 2 failed. */
  readonly flag: SharedArrayBuffer;
  /** The worker explains trees [0, trees) for every row. */
  readonly trees: number;
  readonly byPattern: boolean;
}

/**
 * How many worker halves finished, how many were redone here (failed or late) and how many
 * workers were started; for tests and benchmarks.
 */
export const shapWorkerStats = { done: 0, redone: 0, started: 0 };

/** Longest wait for the worker beyond this thread's own share (it does the same amount). */
const WAIT_FLOOR_MS = 120_000;

/**
 * The worker script, and how long after this thread's own share a worker that has not
 * even received its call (it failed to start, or died) is waited for before its share is
 * redone here. Tests point `url` at a worker that never answers.
 */
export const shapWorkerConfig: { url: URL; ackMs: number } = { url: WORKER_URL, ackMs: 10_000 };

/**
 * The worker of the model being explained. Calls made one after another without this
 * thread yielding (the row blocks of one explanation: train explains them in one
 * synchronous loop) share it; it is ended when this thread next yields to the event loop
 * (an immediate set when it is started; in train that is after the explanation and the
 * synchronous work that follows it), and it never keeps the process alive (unref).
 */
let kept: { readonly model: GbtModel; readonly worker: Worker } | null = null;

function workerFor(model: GbtModel): Worker {
  if (kept?.model === model) return kept.worker;
  dropWorker();
  const data: ShapWorkerData = { model };
  const worker = new Worker(shapWorkerConfig.url, { workerData: data });
  worker.unref();
  // An error ends only that worker; the call waiting on it redoes its share (see below).
  worker.on('error', () => {});
  shapWorkerStats.started++;
  kept = { model, worker };
  setImmediate(() => {
    if (kept?.worker === worker) dropWorker();
  }).unref();
  return worker;
}

function dropWorker(): void {
  if (kept) void kept.worker.terminate();
  kept = null;
}

/**
 * Contributions of the trees [0, split) for every row, computed in a worker thread while
 * `ownShare` (the other trees) runs in this one. If the worker fails or does not finish in
 * time, its trees are explained here (same values) and the worker is ended.
 */
export function shapInWorkers(
  model: GbtModel,
  prepared: PreparedShap,
  cols: readonly Float64Array[],
  nRows: number,
  byPattern: boolean,
  split: number,
  ownShare: () => void,
): Float64Array[] {
  const nF = prepared.nFeatures;
  const bytes = nF * nRows * 8;
  const input = new SharedArrayBuffer(bytes);
  const output = new SharedArrayBuffer(bytes);
  const flag = new SharedArrayBuffer(4);
  cols.forEach((c, f) => {
    new Float64Array(input, f * nRows * 8, nRows).set(c);
  });
  const columns = Array.from({ length: nF }, (_, f) => new Float64Array(output, f * nRows * 8, nRows));
  const data: ShapWorkerInput = { nRows, nFeatures: nF, input, output, flag, trees: split, byPattern };
  workerFor(model).postMessage(data);
  const t0 = performance.now();
  ownShare();
  const own = performance.now() - t0;
  const state = new Int32Array(flag);
  const ownEnd = performance.now();
  const deadline = ownEnd + Math.max(WAIT_FLOOR_MS, 4 * own);
  const ackMs = Number.isFinite(shapWorkerConfig.ackMs) ? Math.max(0, shapWorkerConfig.ackMs) : 10_000;
  const ackDeadline = ownEnd + ackMs;
  for (;;) {
    const s = Atomics.load(state, 0);
    const now = performance.now();
    if (s === 1 || s === 2 || now >= deadline || (s === 0 && now >= ackDeadline)) break;
    Atomics.wait(state, 0, s, Math.min(1000, (s === 0 ? ackDeadline : deadline) - now));
  }
  const status = Atomics.load(state, 0);
  if (status === 1) shapWorkerStats.done++;
  else {
    // The worker failed, never received the call or is late: end it and explain its trees
    // here, from zeroed columns.
    dropWorker();
    shapWorkerStats.redone++;
    const fresh = Array.from({ length: nF }, () => new Float64Array(nRows));
    shapRows(prepared, cols, 0, nRows, fresh, byPattern, 0, split);
    return fresh;
  }
  return columns;
}
