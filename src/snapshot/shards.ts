// Runs one pass over a big row file as several shards (byte ranges of whole lines): in
// worker threads when the compiled worker script is present, so two cores halve the
// time, and otherwise one after the other in this thread (the tests run the TypeScript
// sources, which a worker can't load; the shard code and the merge are the same).

import { createReadStream, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { type ExitCode, LeadliftError } from '../errors.js';
import { type ByteRange, badLine } from './rows.js';

/** A shard's work: reads `input`, reports rows done through `tick`, returns a cloneable result. */
export type ShardFn<I, O> = (input: I, tick: (rows: number) => void) => Promise<O>;

/**
 * Young-generation size of the worker threads that stream rows (MiB; V8's default is 48):
 * they allocate a string or two per cell, and a larger nursery lets most of them die
 * before a scavenge, for ~8% less CPU in clean at ~60 MiB more memory per thread.
 */
export const STREAM_WORKER_LIMITS = { maxYoungGenerationSizeMb: 96 } as const;

/** Files smaller than this are read in one shard (thread start-up would not pay off). */
export const MIN_SHARD_BYTES = 16 * 1024 * 1024;
/** At most this many shards per file. */
export const MAX_SHARDS = 4;

/**
 * How many shards to cut a file of `bytes` into: 1 below {@link MIN_SHARD_BYTES}, else
 * the available cores less `reservedCores` (at most {@link MAX_SHARDS}). `requested`
 * overrides (tests, benchmarks).
 */
export function shardCount(bytes: number, requested?: number, reservedCores = 0): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (bytes < MIN_SHARD_BYTES) return 1;
  const cores = availableParallelism() - reservedCores;
  return Math.max(1, Math.min(MAX_SHARDS, cores, Math.floor(bytes / MIN_SHARD_BYTES)));
}

/** True when `url` points at a worker script that exists (the compiled build). */
export function workerAvailable(url: URL): boolean {
  return url.pathname.endsWith('.js') && existsSync(fileURLToPath(url));
}

/**
 * Runs `fn` on every input and returns the results in input order: in worker threads
 * running `workerUrl` (which must call {@link serveShard} with the same function) when
 * there are several inputs (or `alwaysInWorker`, for a caller that runs several of these
 * at once) and the script exists, otherwise sequentially in this thread. When a shard
 * fails, the error of the first failing shard (in input order) is thrown.
 */
export async function runShards<I, O>(
  workerUrl: URL,
  fn: ShardFn<I, O>,
  inputs: readonly I[],
  tick: (rows: number) => void,
  alwaysInWorker = false,
): Promise<O[]> {
  if (inputs.length === 0 || (inputs.length === 1 && !alwaysInWorker) || !workerAvailable(workerUrl)) {
    const out: O[] = [];
    for (const input of inputs) out.push(await fn(input, tick));
    return out;
  }
  const workers: Worker[] = [];
  const settled = await Promise.allSettled(
    inputs.map(
      (input) =>
        new Promise<O>((resolve, reject) => {
          const worker = new Worker(workerUrl, { resourceLimits: STREAM_WORKER_LIMITS });
          workers.push(worker);
          let done = false;
          worker.on('message', (m: ShardMessage<O>) => {
            if (m.type === 'tick') tick(m.rows);
            else if (m.type === 'done') {
              done = true;
              resolve(m.result);
              void worker.terminate();
            } else {
              done = true;
              reject(reviveError(m.error));
              void worker.terminate();
            }
          });
          worker.on('error', (e) => {
            done = true;
            reject(e);
          });
          worker.on('exit', (code) => {
            if (!done) reject(new Error(`shard worker exited with code ${code} before finishing`));
          });
          worker.postMessage(input);
        }),
    ),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<O>).value);
}

type ShardMessage<O> =
  | { type: 'tick'; rows: number }
  | { type: 'done'; result: O }
  | { type: 'error'; error: SerializedError };

interface SerializedError {
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: string;
  readonly exitCode?: ExitCode;
  readonly details?: Readonly<Record<string, unknown>>;
}

function reviveError(e: SerializedError): Error {
  if (e.code !== undefined) {
    return new LeadliftError(e.code, e.message, {
      ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}),
      ...(e.details ? { details: e.details } : {}),
    });
  }
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The body of a worker script: runs `fn` on the one input it receives and posts the result. */
export function serveShard<I, O>(fn: ShardFn<I, O>): void {
  const port = parentPort;
  if (!port) throw new Error('serveShard must run in a worker thread');
  port.once('message', (input: I) => {
    fn(input, (rows) => port.postMessage({ type: 'tick', rows }))
      .then((result) => port.postMessage({ type: 'done', result }, transferables(result)))
      .catch((e: unknown) => {
        const error: SerializedError =
          e instanceof LeadliftError
            ? { message: e.message, code: e.code, exitCode: e.exitCode, details: e.details }
            : {
                message: e instanceof Error ? e.message : String(e),
                stack: e instanceof Error ? e.stack : undefined,
              };
        port.postMessage({ type: 'error', error });
      });
  });
}

/** The buffers of the typed arrays in a result (up to five levels deep: check results keep per-row arrays in blocks), to move rather than copy them. */
export function transferables(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number) => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    } else if (v && typeof v === 'object' && depth < 5) {
      for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(value, 0);
  return [...out];
}

/**
 * Throws `snapshot.badLine` for a malformed line found by a shard: `row` counts from 0
 * within the shard's range; the line number in the file is filled in by
 * {@link fileLineOf}.
 */
export function shardBadLine(path: string, range: ByteRange, row: number): never {
  throw new LeadliftError('snapshot.badLine', `Row file ${path} has a malformed line; re-run extract.`, {
    details: { path, shard_start: range.start, shard_row: row },
  });
}

/**
 * Turns a shard's `snapshot.badLine` into one naming the line in the file (counting the
 * lines before the shard); other errors pass through.
 */
export async function fileLineOf(e: unknown): Promise<unknown> {
  if (!(e instanceof LeadliftError) || e.code !== 'snapshot.badLine') return e;
  const { path, shard_start, shard_row } = e.details as {
    path?: string;
    shard_start?: number;
    shard_row?: number;
  };
  if (path === undefined || shard_start === undefined || shard_row === undefined) return e;
  const before = await countLines(path, shard_start);
  try {
    badLine(path, before + shard_row + 1);
  } catch (err) {
    return err;
  }
  return e;
}

// Non-empty lines in the first `end` bytes of a file (the header included).
async function countLines(path: string, end: number): Promise<number> {
  if (end <= 0) return 0;
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path, { start: 0, end: end - 1, highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
      const prev = i > 0 ? buf[i - 1] : last;
      if (prev !== 10) lines++;
    }
    last = buf[buf.length - 1] ?? last;
  }
  return lines;
}
