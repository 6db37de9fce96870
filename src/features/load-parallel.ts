// Reading the activities in a worker thread: the largest cleaned file is read on the second
// core while this thread reads contacts, enrollments, messages and outcomes. The worker
// reads the steps, variants and enrollment keys itself (the same dictionaries in the same
// order) and writes its events into the shared columns of the caller's event table, so
// the loaded state is the same as one thread's, bit for bit.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CleanTables } from '../clean/tables.js';
import type { ProgressTask } from '../progress.js';
import type { EntityName } from '../schema/entities.js';
import type { EventBuffers, StepStateData } from './load.js';

const WORKER_URL = new URL('./load-worker.js', import.meta.url);

/** The tables the worker reads. */
export const WORKER_ENTITIES = ['campaign_steps', 'step_variants', 'enrollments', 'activities'] as const;

/** Label of the progress task that reads `entity` (the worker forwards only the activities'). */
export function readTaskLabel(entity: EntityName): string {
  return `features: read ${entity}`;
}

/** Label of the progress task of the activities, on either thread. */
export const ACTIVITIES_TASK_LABEL = readTaskLabel('activities');

/** True when the compiled worker script exists (not when running the TypeScript sources). */
export function activitiesWorkerAvailable(): boolean {
  return WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * For tests and benchmarks: workers started, worker reads whose result was used (`done`),
 * worker reads given up and read again on one thread (`retried`), and workers started and
 * not yet exited (`live`).
 */
export const activitiesWorkerStats = { started: 0, done: 0, retried: 0, live: 0 };

/** What the worker receives. */
export interface ActivitiesWorkerInput {
  readonly dir: string;
  readonly manifest: CleanTables['manifest'];
  readonly paths: Readonly<Record<(typeof WORKER_ENTITIES)[number], string>>;
  readonly buffers: EventBuffers;
  /**
   * Records the worker may write: it views only [0, capacity) of the shared columns, so
   * more activities than that grow into the worker's own memory, never into the range
   * the caller fills with messages.
   */
  readonly capacity: number;
}

/** What the worker sends back (the events themselves are in the shared columns). */
export interface ActivitiesWorkerResult {
  readonly nEnr: number;
  /** Events written, at [0, nEvents). */
  readonly nEvents: number;
  /** First touch per enrollment from the activities, NaN when none. */
  readonly decision: Float64Array;
  readonly steps: StepStateData;
  readonly unlinkedActivities: number;
}

/** Messages from the worker. */
export type ActivitiesWorkerMessage =
  | { readonly type: 'tick'; readonly n: number }
  | { readonly type: 'done'; readonly result: ActivitiesWorkerResult }
  | { readonly type: 'failed'; readonly message: string };

/** A running activities worker. */
export interface ActivitiesWorker {
  /**
   * The worker's result. Rejects when the worker fails, is terminated, or read more
   * activities than `capacity` (they did not fit the shared columns).
   */
  readonly result: Promise<ActivitiesWorkerResult>;
  /**
   * Sends the worker's progress to `task` from now on; the rows read so far are added at
   * once. The caller opens the task when its own reads are done, so two tasks never
   * redraw the same progress line at the same time; the caller also ends it.
   */
  follow(task: ProgressTask): void;
  /** Stops the worker (no-op once it has exited); resolves when it has exited. */
  terminate(): Promise<void>;
}

/**
 * Starts the worker on the activities of `tables`, writing into `buffers` (records
 * [0, capacity)). The caller must call `terminate` when done with it, also when its own
 * reads fail (the worker does not stop by itself before it has read every file).
 */
export function startActivitiesWorker(
  tables: CleanTables,
  buffers: EventBuffers,
  capacity: number,
): ActivitiesWorker {
  const paths = Object.fromEntries(WORKER_ENTITIES.map((e: EntityName) => [e, tables.path(e)]));
  const input: ActivitiesWorkerInput = {
    dir: tables.dir,
    manifest: tables.manifest,
    paths: paths as ActivitiesWorkerInput['paths'],
    buffers,
    capacity,
  };
  const worker = new Worker(WORKER_URL, { workerData: input });
  activitiesWorkerStats.started++;
  activitiesWorkerStats.live++;
  let exited = false;
  const markExited = () => {
    if (exited) return;
    exited = true;
    activitiesWorkerStats.live--;
  };
  let ticks = 0;
  let task: ProgressTask | undefined;
  const result = new Promise<ActivitiesWorkerResult>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.on('message', (m: ActivitiesWorkerMessage) => {
      if (m.type === 'tick') {
        ticks += m.n;
        task?.tick(m.n);
      } else if (m.type === 'done') {
        finish(() =>
          m.result.nEvents <= capacity
            ? resolve(m.result)
            : reject(new Error('the activities outgrew the rows their manifest lists')),
        );
      } else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => {
      markExited();
      finish(() => reject(new Error(`the activities worker exited with code ${code}`)));
    });
  });
  // The caller sees a failure only after its own share; keep it from going unhandled until then.
  result.catch(() => {});
  return {
    result,
    follow(t) {
      task = t;
      if (ticks > 0) t.tick(ticks);
    },
    async terminate() {
      await worker.terminate();
      markExited();
    },
  };
}
