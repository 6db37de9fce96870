// runTrainFlat in a worker thread, so that several targets of one cleaned snapshot train at
// once (one target per thread; see runTrainCleaned). The worker gets the same examples
// table (its typed columns' buffers moved, the rest by structured clone), runs the same code with the same options and writes the same run folder as a
// call on this thread would: the files are identical bit for bit (tested). The run's summary
// (summaryOf) comes back by structured clone; progress is forwarded with the worker's labels prefixed.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExitCode, LeadliftError } from '../errors.js';
import type { ProgressTask } from '../progress.js';
import { isTypedColumn } from '../train/table.js';
import type { RunTrainFlatOptions, TrainRunSummary } from './train.js';

const WORKER_URL = new URL('./train-flat-worker.js', import.meta.url);

/** True when the compiled worker script exists (not when running the TypeScript sources). */
export function trainWorkerAvailable(): boolean {
  return WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * The peak memory of a cleaned-snapshot train run that the choice of target threads keeps
 * under: 3.5 GiB, headroom below issue 3's 4 GB for a 1M-enrollment run.
 */
export const TRAIN_MEMORY_BUDGET = 3.5 * 2 ** 30;

/**
 * What one target's training thread adds to the process's peak memory, per eligible row
 * and feature column: its typed table and codes, the one-hot columns and the logistic
 * regression's working copies while it is fit (the largest part), TreeSHAP blocks and the
 * run files' text. Measured at 200k demo enrollments (184,723 rows × 60 features, 11.1M
 * cells): one target alone peaked at 747 MiB against about 350 MiB held when training
 * starts (38 bytes a cell); two at once at 1,073 MiB (34 each). 44 leaves headroom.
 */
export const THREAD_BYTES_PER_CELL = 44;

/**
 * Targets trained at once: 2 when there are several targets, two cores, the compiled
 * worker, and memory for two training threads beside what the process holds now
 * (`heldBytes`, default its resident set: the training set and what building it left):
 * heldBytes + 2 × (most eligible rows × features × {@link THREAD_BYTES_PER_CELL}) within
 * {@link TRAIN_MEMORY_BUDGET}; else 1. The run folders are the same either way.
 */
export function defaultTargetThreads(
  eligibleRows: readonly number[],
  nFeatures: number,
  heldBytes: number = process.memoryUsage().rss,
): number {
  if (eligibleRows.length < 2 || availableParallelism() < 2 || !trainWorkerAvailable()) return 1;
  const perThread = Math.max(...eligibleRows) * nFeatures * THREAD_BYTES_PER_CELL;
  return heldBytes + 2 * perThread <= TRAIN_MEMORY_BUDGET ? 2 : 1;
}

/** What the worker posts: progress events, then the run or the error. */
export type TrainFlatWorkerMessage =
  | { readonly kind: 'task'; readonly id: number; readonly label: string; readonly total?: number }
  | { readonly kind: 'tick'; readonly id: number; readonly n?: number }
  | { readonly kind: 'done'; readonly id: number; readonly summary?: string }
  | { readonly kind: 'result'; readonly run: TrainRunSummary }
  | { readonly kind: 'error'; readonly error: WorkerError };

/** An error thrown in the worker, as plain data. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  readonly exitCode: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly stack: string | undefined;
}

/**
 * {@link runTrainFlat} in a new worker thread. `o.progress` receives the worker's tasks,
 * their labels prefixed with `labelPrefix`; `o.train.progress` is not used. A
 * LeadliftError thrown in the worker is thrown again here with its code, exit code and
 * details.
 */
export function runTrainFlatInWorker(o: RunTrainFlatOptions, labelPrefix = ''): Promise<TrainRunSummary> {
  const { progress } = o;
  const worker = startWorker(o);
  return new Promise<TrainRunSummary>((resolve, reject) => {
    const tasks = new Map<number, ProgressTask>();
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (m: TrainFlatWorkerMessage) => {
      switch (m.kind) {
        case 'task':
          if (progress) tasks.set(m.id, progress.task(`${labelPrefix}${m.label}`, m.total));
          break;
        case 'tick':
          tasks.get(m.id)?.tick(m.n);
          break;
        case 'done':
          tasks.get(m.id)?.done(m.summary);
          tasks.delete(m.id);
          break;
        case 'result':
          settle(() => resolve(withSharedSplitNames(m.run)));
          break;
        case 'error':
          settle(() => reject(errorOf(m.error)));
          break;
      }
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          new LeadliftError(
            'train.workerFailed',
            `The training thread of ${labelPrefix || 'a target'} stopped (exit code ${code}) before writing its run. Run again with one target (--target) to see the error.`,
            { exitCode: ExitCode.internal },
          ),
        ),
      ),
    );
  });
}

/**
 * The worker, given a copy of `o` without its progress callbacks. Kept apart so that no
 * closure of the running worker's listeners holds the options (the examples table) alive:
 * this thread's copy can be collected while the worker trains.
 */
function startWorker(o: RunTrainFlatOptions): Worker {
  const { progress: _progress, train, ...rest } = o;
  const data: RunTrainFlatOptions = {
    ...rest,
    ...(train ? { train: Object.fromEntries(Object.entries(train).filter(([k]) => k !== 'progress')) } : {}),
  };
  return new Worker(WORKER_URL, { workerData: data, transferList: transferablesOf(o) });
}

/**
 * The buffers of a typed input table, moved to the worker rather than copied: the caller
 * builds the table for this worker only (see runTrainCleaned) and must not read it after.
 */
function transferablesOf(o: RunTrainFlatOptions): ArrayBuffer[] {
  if (o.input.kind !== 'flat') return [];
  const t = o.input.table;
  const arrays: ArrayBufferView[] = [t.y, ...(t.timeMs ? [t.timeMs] : [])];
  for (const c of t.features) if (isTypedColumn(c)) arrays.push(c.values);
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}

const SPLIT_NAMES = { train: 'train', validation: 'validation', test: 'test' } as const;

/**
 * `run` with its per-row split names pointing at three shared strings: a structured clone
 * makes a new string per row (about 30 bytes each, kept as long as the run's summary).
 */
function withSharedSplitNames(run: TrainRunSummary): TrainRunSummary {
  const splitOf = run.result.splitOf.map((s) => SPLIT_NAMES[s]);
  return { ...run, result: { ...run.result, splitOf } };
}

function errorOf(w: WorkerError): Error {
  const e =
    w.code !== undefined && w.name === 'LeadliftError'
      ? new LeadliftError(w.code, w.message, {
          ...(w.exitCode !== undefined ? { exitCode: w.exitCode as ExitCode } : {}),
          ...(w.details !== undefined ? { details: w.details } : {}),
        })
      : Object.assign(new Error(w.message), { name: w.name });
  if (w.stack !== undefined) e.stack = w.stack;
  return e;
}

/**
 * `f` of every item with at most `limit` calls running at once, results in item order.
 * Every call runs to its end; then the error of the first failed item (in item order) is
 * thrown, so which error a run reports does not depend on timing.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  f: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await f(items[i]!, i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}
