// The extract worker thread: opens the source again (read-only) and extracts one entity
// (outcomes, activities or messages) beside the main thread and the other workers. It
// receives the contacts' masking words (packed into one string) and, for activities, the
// enrollment → contact map in memory, and the PII key, never from disk. On a failure
// elsewhere the main thread terminates it before removing the snapshot's temporary folder.

import { parentPort, workerData } from 'node:worker_threads';
import { openSource } from '../db/index.js';
import { isLeadliftError } from '../errors.js';
import { entityDef } from '../schema/entities.js';
import { transferables } from '../snapshot/shards.js';
import {
  extractEntity,
  type RowSink,
  unpackContacts,
  unpackEnrollmentContacts,
  unpackEnrollmentNames,
  type WorkerInput,
  type WorkerMessage,
} from './extract.js';
import { PiiHasher } from './pii.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort?.postMessage(m);

try {
  const source = await openSource(input.sourceUrl, { cwd: input.cwd });
  try {
    const sink = input.sink
      ? ((await import(input.sink.module)) as { createRowSink: (setup: unknown) => RowSink }).createRowSink
      : undefined;
    const done = await extractEntity(source, {
      def: entityDef(input.entity),
      query: input.query,
      window: input.window,
      hasher: new PiiHasher(input.piiKey),
      state:
        input.entity === 'activities'
          ? {
              contacts: new Map(),
              enrollmentContact: new Map(),
              enrollmentNames: unpackEnrollmentNames(input.contacts, input.enrollmentContact),
            }
          : {
              contacts: unpackContacts(input.contacts),
              enrollmentContact: unpackEnrollmentContacts(input.enrollmentContact),
            },
      path: input.path,
      progress: { task: () => ({ tick: (n = 1) => post({ kind: 'tick', rows: n }), done: () => {} }) },
      ...(input.sink && sink ? { sink: { setup: input.sink.setup, create: sink } } : {}),
    });
    const message: WorkerMessage = { kind: 'done', ...done };
    parentPort?.postMessage(message, transferables(done.sunk));
  } finally {
    await source.close();
  }
} catch (e) {
  post({
    kind: 'error',
    error: isLeadliftError(e)
      ? { code: e.code, message: e.message, exitCode: e.exitCode, details: { ...e.details } }
      : { message: e instanceof Error ? e.message : String(e) },
  });
}
