// Worker thread of startActivitiesWorker: reads the steps, variants, enrollment keys and
// activities of a cleaned folder, writes the activity events into the shared columns and
// posts the rest back.

import { parentPort, workerData } from 'node:worker_threads';
import type { CleanTables } from '../clean/tables.js';
import type { Progress } from '../progress.js';
import {
  ACTIVITIES_TASK_LABEL,
  type ActivitiesWorkerInput,
  type ActivitiesWorkerMessage,
} from './load-parallel.js';

const d = workerData as ActivitiesWorkerInput;
const post = (m: ActivitiesWorkerMessage, transfer: ArrayBuffer[] = []) =>
  parentPort!.postMessage(m, transfer);
try {
  const { EventTable, loadActivities, loadEnrollmentKeys, loadSteps, stepStateData } = await import(
    './load.js'
  );
  const tables: CleanTables = {
    dir: d.dir,
    manifest: d.manifest,
    path: (e) => {
      const p = (d.paths as Record<string, string>)[e];
      if (p === undefined) throw new Error(`the activities worker has no path for ${e}`);
      return p;
    },
  };
  // Only the activities' progress is forwarded; the other tables are also read (and shown) by the caller.
  const progress: Progress = {
    task: (label) => ({
      tick: (n = 1) => {
        if (label === ACTIVITIES_TASK_LABEL) post({ type: 'tick', n });
      },
      done: () => {},
    }),
  };
  const st = await loadSteps(tables, progress);
  const enrKeys = await loadEnrollmentKeys(tables, progress);
  // Views of [0, capacity) only: more activities grow into this thread's own memory.
  const events = new EventTable(d.capacity, false, d.buffers);
  const decision = new Float64Array(enrKeys.size).fill(Number.NaN);
  const unlinkedActivities = await loadActivities(tables, progress, enrKeys, st, events, decision);
  const grown = events.enr.buffer !== d.buffers.enr;
  post(
    {
      type: 'done',
      result: {
        nEnr: enrKeys.size,
        // Written past the shared columns: report more than the capacity so the caller reads on one thread.
        nEvents: grown ? d.capacity + 1 : events.n,
        decision,
        steps: stepStateData(st),
        unlinkedActivities,
      },
    },
    [decision.buffer],
  );
} catch (e) {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}
