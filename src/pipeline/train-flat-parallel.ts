// runTrainFlat in a worker thread, so that several targets of one cleaned snapshot train at
// once (one target per thread; see runTrainCleaned). The worker gets the same examples
// table (the buffers of its typed columns, labels and times moved, the rest by structured
// clone), runs the same code with the same options and writes the same run folder as a
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
 * What one target's training thread adds to the process's peak memory: a fixed part plus
 * a part per cell, a cell being one eligible row × one column of the logistic regression's
 * one-hot view ({@link oneHotWidth}). Per thread are allocated: its typed table and category
 * codes (a Float64 per row and feature), the one-hot columns and the logistic regression's
 * working copies while it is fit (the largest part, per one-hot column), the GBT's binned
 * columns, and, bounded by the 65,536-row blocks whatever the row count, the scores',
 * TreeSHAP's and reasons' block copies plus the worker's own heap and code (the fixed part).
 *
 * Measured with the logistic regression's fit no longer copying its columns, at two sizes
 * of the demo (cells = eligible rows of the largest target × one-hot width 111):
 * - 200k enrollments (184,723 rows, 20.5M cells), `/usr/bin/time -v node dist/cli/bin.js
 *   train --cleaned …`: a thread added 361–397 MiB before that change (its fit's copies
 *   were then about 120 MiB of it), so about 270 MiB now;
 * - 1M enrollments (923,971 rows, 102.6M cells): the process held 1,561 MiB when the
 *   features were built, and three targets on two threads peaked at 2,965, 3,052 and
 *   3,228 MiB in three runs, so a thread added about 700–835 MiB.
 * A line through 200k and the 1M runs' middle has about 165 MiB fixed and 5.5 bytes a
 * cell; the constants below cover the highest 1M run too (305 MiB at 200k, 853 MiB at 1M:
 * an estimated peak of 3,267 MiB), so the rule picks two threads at 1M while the process
 * holds up to about 1.8 GiB (resident memory varies by a few hundred MiB with
 * garbage-collection timing).
 */
export const THREAD_MEMORY = {
  /** Bytes per thread whatever the rows. */
  fixedBytes: 168 * 2 ** 20,
  /** Bytes per eligible row and one-hot column. */
  bytesPerCell: 7,
} as const;

/**
 * The logistic regression's one-hot width of a feature list: per categorical,
 * min(its categories, `maxOneHot`); 1 per numeric feature (`categories` undefined).
 */
export function oneHotWidth(categoryCounts: readonly (number | undefined)[], maxOneHot: number): number {
  let width = 0;
  for (const c of categoryCounts) width += c === undefined ? 1 : Math.min(c, maxOneHot);
  return width;
}

/** The estimated peak memory one training thread adds for `rows` eligible rows of one-hot width `width`. */
export function threadBytes(rows: number, width: number): number {
  return THREAD_MEMORY.fixedBytes + rows * width * THREAD_MEMORY.bytesPerCell;
}

/**
 * How many training threads of `rows` rows and one-hot width `width` fit in `budgetBytes`
 * beside the `heldBytes` the process holds: the largest k with heldBytes + k ×
 * {@link threadBytes} ≤ budgetBytes; 0 when not even one fits.
 */
export function threadsForMemory(o: {
  readonly rows: number;
  readonly width: number;
  readonly heldBytes: number;
  readonly budgetBytes: number;
}): number {
  const free = o.budgetBytes - o.heldBytes;
  return free <= 0 ? 0 : Math.floor(free / threadBytes(o.rows, o.width));
}

/** How many targets train at once, and why, in words (see {@link targetThreadsPlan}). */
export interface TargetThreadsPlan {
  readonly threads: number;
  readonly reason: string;
}

/**
 * Targets trained at once: 2 when there are several targets, two cores, the compiled
 * worker, and memory for two training threads beside what the process holds now
 * (`heldBytes`, default its resident set: the training set and what building it left) —
 * see {@link threadsForMemory} with the most eligible rows and {@link TRAIN_MEMORY_BUDGET};
 * else 1. When not even one thread fits, `warn` gets a one-line warning. The run folders
 * are the same either way.
 */
export function targetThreadsPlan(
  eligibleRows: readonly number[],
  width: number,
  heldBytes: number = process.memoryUsage().rss,
  warn: (line: string) => void = () => {},
): TargetThreadsPlan {
  const rows = Math.max(0, ...eligibleRows);
  const fit = threadsForMemory({ rows, width, heldBytes, budgetBytes: TRAIN_MEMORY_BUDGET });
  const gib = (b: number) => (b / 2 ** 30).toFixed(1);
  if (fit === 0) {
    warn(
      `memory may pass the ${gib(TRAIN_MEMORY_BUDGET)} GiB budget: ${gib(heldBytes)} GiB held plus about ${gib(threadBytes(rows, width))} GiB to train ${rows.toLocaleString('en-US')} rows × ${width} one-hot columns`,
    );
  }
  if (eligibleRows.length < 2) return { threads: 1, reason: 'one target' };
  if (availableParallelism() < 2) return { threads: 1, reason: 'one after another: one core' };
  if (!trainWorkerAvailable()) {
    return { threads: 1, reason: 'one after another: the compiled worker is not built (npm run build)' };
  }
  const memory = `${gib(heldBytes)} GiB held + about ${gib(threadBytes(rows, width))} GiB a thread, budget ${gib(TRAIN_MEMORY_BUDGET)} GiB`;
  return fit >= 2
    ? { threads: 2, reason: `two at once in worker threads (${memory})` }
    : { threads: 1, reason: `one after another: memory for one thread only (${memory})` };
}

/**
 * What the worker is started with: its options (without progress callbacks) and the shared
 * Int32 count of targets training now (null when it trains alone).
 */
export interface TrainFlatWorkerData {
  readonly options: RunTrainFlatOptions;
  readonly running: SharedArrayBuffer | null;
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
 * {@link runTrainFlat} in a new worker thread. The typed columns, labels and times of a
 * 'flat' input whose arrays each cover their whole buffer are moved to the worker, not
 * copied: after this call they are detached (length 0) here, so the caller must not read
 * the table again. `o.progress` receives the worker's tasks,
 * their labels prefixed with `labelPrefix`; `o.train.progress` is not used. A
 * LeadliftError thrown in the worker is thrown again here with its code, exit code and
 * details. `running`: the shared Int32 count of targets training now, kept by the caller
 * (the worker reads it to use both cores once it is the last one).
 */
export function runTrainFlatInWorker(
  o: RunTrainFlatOptions,
  labelPrefix = '',
  running: SharedArrayBuffer | null = null,
): Promise<TrainRunSummary> {
  const { progress } = o;
  const worker = startWorker(o, running);
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
function startWorker(o: RunTrainFlatOptions, running: SharedArrayBuffer | null): Worker {
  const { progress: _progress, train, ...rest } = o;
  const data: RunTrainFlatOptions = {
    ...rest,
    ...(train ? { train: Object.fromEntries(Object.entries(train).filter(([k]) => k !== 'progress')) } : {}),
  };
  const workerData: TrainFlatWorkerData = { options: data, running };
  return new Worker(WORKER_URL, { workerData, transferList: transferablesOf(o) });
}

/**
 * The buffers of a typed input table, moved to the worker rather than copied: the caller
 * builds the table for this worker only (see runTrainCleaned) and must not read it after.
 * Only a buffer that an array covers whole is moved (moving it detaches every view of
 * it); an array that is a view of part of a buffer is copied by the structured clone.
 */
function transferablesOf(o: RunTrainFlatOptions): ArrayBuffer[] {
  if (o.input.kind !== 'flat') return [];
  const t = o.input.table;
  const arrays: ArrayBufferView[] = [t.y, ...(t.timeMs ? [t.timeMs] : [])];
  for (const c of t.features) if (isTypedColumn(c)) arrays.push(c.values);
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (ownsBuffer(a)) buffers.add(a.buffer);
  return [...buffers];
}

/** True when `a` covers its whole (non-shared) buffer, so moving the buffer moves only `a`. */
export function ownsBuffer(a: ArrayBufferView): a is ArrayBufferView & { buffer: ArrayBuffer } {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
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
