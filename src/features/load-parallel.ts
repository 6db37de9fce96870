// Reading the activities in a worker thread: the largest cleaned file is read on the second
// core while this thread reads contacts, enrollments, messages and outcomes. The worker
// reads the steps, variants and enrollment keys itself (the same dictionaries in the same
// order) and writes its events into the shared columns of the caller's event table, so
// the loaded state is the same as one thread's, bit for bit.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CleanTables } from '../clean/tables.js';
import type { Progress } from '../progress.js';
import type { EntityName } from '../schema/entities.js';
import type { EventBuffers, StepStateData } from './load.js';

const WORKER_URL = new URL('./load-worker.js', import.meta.url);

/** The tables the worker reads. */
export const WORKER_ENTITIES = ['campaign_steps', 'step_variants', 'enrollments', 'activities'] as const;

/** True when the compiled worker script exists (not when running the TypeScript sources). */
export function activitiesWorkerAvailable(): boolean {
  return WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
}

/** Worker reads whose result was used; for tests and benchmarks. */
export const activitiesWorkerStats = { done: 0 };

/** What the worker receives. */
export interface ActivitiesWorkerInput {
  readonly dir: string;
  readonly manifest: CleanTables['manifest'];
  readonly paths: Readonly<Record<(typeof WORKER_ENTITIES)[number], string>>;
  readonly buffers: EventBuffers;
  /** Records the worker may write: [0, capacity) of the shared columns. */
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

/**
 * Starts the worker on the activities of `tables`, writing into `buffers` (records
 * [0, capacity)). Rejects when the worker fails or writes past `capacity`.
 */
export function readActivitiesInWorker(
  tables: CleanTables,
  buffers: EventBuffers,
  capacity: number,
  progress: Progress,
): Promise<ActivitiesWorkerResult> {
  const paths = Object.fromEntries(WORKER_ENTITIES.map((e: EntityName) => [e, tables.path(e)]));
  const input: ActivitiesWorkerInput = {
    dir: tables.dir,
    manifest: tables.manifest,
    paths: paths as ActivitiesWorkerInput['paths'],
    buffers,
    capacity,
  };
  const task = progress.task('features: read activities', tables.manifest.entities.activities.rows);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: input });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.on('message', (m: ActivitiesWorkerMessage) => {
      if (m.type === 'tick') task.tick(m.n);
      else if (m.type === 'done') {
        task.done(`${m.result.nEvents.toLocaleString('en-US')} events`);
        finish(() =>
          m.result.nEvents <= capacity
            ? resolve(m.result)
            : reject(new Error('the activities outgrew the rows their manifest lists')),
        );
      } else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`activities worker exited with code ${code}`))),
    );
  });
}
