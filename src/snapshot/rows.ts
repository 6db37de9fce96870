// The row file format of snapshots and cleaned tables: JSON Lines whose first line is the
// array of column names and every other line one row as a JSON array. JSON keeps types
// (numbers, null, strings with any characters) without a CSV dialect, and arrays keep the
// files half the size of objects. Files are written under a temporary name and renamed.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { LeadliftError } from '../errors.js';

export type CellValue = string | number | boolean | null;
export type RowValues = CellValue[];

/** File name extension of row files. */
export const ROWS_EXT = '.jsonl';

/** What a finished row file is: recorded in manifests. */
export interface RowFileInfo {
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly columns: readonly string[];
}

/**
 * Writes a row file. `write` buffers and respects backpressure through `flush`; call
 * `close` to rename the temporary file into place, or `abort` to remove it.
 */
export class RowWriter {
  readonly path: string;
  readonly columns: readonly string[];
  private readonly tmp: string;
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private buf: string[] = [];
  private bufLen = 0;
  private rows = 0;
  private bytes = 0;
  private failed: Error | undefined;

  constructor(path: string, columns: readonly string[]) {
    this.path = path;
    this.columns = columns;
    this.tmp = `${path}.tmp-${process.pid}`;
    this.out = createWriteStream(this.tmp, { flags: 'wx' });
    this.out.on('error', (e) => {
      this.failed = e;
    });
    this.push(`${JSON.stringify(columns)}\n`);
  }

  /** Appends one row; values must line up with `columns`. */
  write(row: readonly CellValue[]): void {
    this.rows++;
    this.push(`${JSON.stringify(row)}\n`);
  }

  /** Number of rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Hands buffered rows to the stream; awaits a drain when the stream is full. */
  async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.bufLen = 0;
    this.hash.update(chunk);
    this.bytes += Buffer.byteLength(chunk);
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        this.out.once('drain', resolve);
        this.out.once('error', reject);
      });
    }
  }

  /** Flushes, closes and renames the file into place. */
  async close(): Promise<RowFileInfo> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.end((e?: Error | null) => (e ? reject(e) : resolve()));
    });
    if (this.failed) throw this.failed;
    await rename(this.tmp, this.path);
    return { rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex'), columns: this.columns };
  }

  /** Discards the file. */
  async abort(): Promise<void> {
    this.out.destroy();
    await rm(this.tmp, { force: true });
  }

  private push(s: string): void {
    this.buf.push(s);
    this.bufLen += s.length;
    // Let the caller's next flush() hand it over; large buffers are flushed eagerly.
    if (this.bufLen > 1 << 20) void this.flush().catch((e: Error) => (this.failed = e));
  }
}

/** A row file opened for reading: its columns and an iterator over its rows. */
export interface RowReader extends AsyncIterable<RowValues> {
  readonly path: string;
  /** Column names (the header), available after `open`. */
  readonly columns: readonly string[];
  /** Index of a column, or -1. */
  indexOf(name: string): number;
}

/**
 * Opens a row file: reads the header, then iterates rows in chunks (fast on big files;
 * one JSON.parse per line). A malformed line fails with its line number.
 */
export async function openRows(path: string): Promise<RowReader> {
  const lines = splitLines(path);
  const first = await lines.next();
  if (first.done) {
    throw new LeadliftError('snapshot.emptyFile', `Row file ${path} is empty; it should start with a header line.`, {
      details: { path },
    });
  }
  const columns = parseLine(first.value, path, 1);
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) {
    throw new LeadliftError('snapshot.badHeader', `Row file ${path} has no header of column names on line 1.`, {
      details: { path },
    });
  }
  const names = columns as string[];
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    path,
    columns: names,
    indexOf: (name) => index.get(name) ?? -1,
    async *[Symbol.asyncIterator]() {
      let lineNo = 1;
      for (;;) {
        const next = await lines.next();
        if (next.done) return;
        lineNo++;
        yield parseLine(next.value, path, lineNo) as RowValues;
      }
    },
  };
}

function parseLine(line: string, path: string, lineNo: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new LeadliftError('snapshot.badLine', `Row file ${path} has a malformed line ${lineNo}; re-run extract.`, {
      details: { path, line: lineNo },
    });
  }
}

async function* splitLines(path: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (nl > start) yield text.slice(start, nl);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield rest;
}
