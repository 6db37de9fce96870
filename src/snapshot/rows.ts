// The row file format of snapshots and cleaned tables: JSON Lines whose first line is the
// array of column names and every other line one row as a JSON array. JSON keeps types
// (numbers, null, strings with any characters) without a CSV dialect, and arrays keep the
// files half the size of objects. Files are written under a temporary name and renamed.

import { isAscii } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { LeadliftError } from '../errors.js';

export type CellValue = string | number | boolean | null;
export type RowValues = CellValue[];

/** File name extension of row files. */
export const ROWS_EXT = '.jsonl';

/** What a finished row file is: recorded in manifests. */
export interface RowFileInfo {
  readonly rows: number;
  readonly bytes: number;
  /** Hex SHA-256 of the file; '' from a RowWriter told not to hash. */
  readonly sha256: string;
  readonly columns: readonly string[];
}

/** Bytes a RowWriter lets the disk fall behind before its producer waits. */
const WRITE_BUFFER_BYTES = 16 << 20;
/** Bytes of the chunks a RowWriter encodes rows into before handing them to the stream. */
const CHUNK_BYTES = 1 << 20;
/** Written chunks a RowWriter keeps for reuse: the write buffer's worth, and a few more. */
const MAX_SPARE_CHUNKS = WRITE_BUFFER_BYTES / CHUNK_BYTES + 4;
/** The chunk of a closed RowWriter. */
const EMPTY = Buffer.alloc(0);

/**
 * Writes a row file. `write` buffers and respects backpressure through `flush`; call
 * `close` to rename the temporary file into place, or `abort` to remove it.
 */
export class RowWriter {
  readonly path: string;
  readonly columns: readonly string[];
  private readonly tmp: string;
  private readonly out: WriteStream;
  /** Null when the caller asked for no hash (a part file that is copied afterwards). */
  private readonly hash: Hash | null;
  // Rows are encoded as UTF-8 straight into a chunk: joining them into one string first
  // and encoding that cost twice as much (the joined string is copied, and becomes
  // two-byte as soon as one row has a character beyond Latin-1).
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /**
   * Chunks the stream has finished writing, reused for later rows. A new 1 MiB chunk per
   * handover counted as external memory in V8 and set off a full collection every few
   * tens of MB written (each one marking the whole heap, contacts state included).
   */
  private readonly spare: Buffer[] = [];
  /** Set by close and abort: the chunks are let go then, and none comes back to the pool. */
  private ended = false;
  private used = 0;
  private rows = 0;
  private bytes = 0;
  private failed: Error | undefined;

  /**
   * @param options.sha256 Hash the bytes for {@link RowFileInfo.sha256} (default true);
   *   false leaves it '' (see {@link fileSha256}).
   */
  constructor(path: string, columns: readonly string[], options: { sha256?: boolean } = {}) {
    this.hash = options.sha256 === false ? null : createHash('sha256');
    this.path = path;
    this.columns = columns;
    this.tmp = `${path}.tmp-${process.pid}`;
    // A deep write buffer lets the disk work in the background while rows are produced;
    // with the 16 KiB default, producers sat idle waiting for drains (~15% of extract).
    this.out = createWriteStream(this.tmp, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES });
    this.out.on('error', (e) => {
      this.failed = e;
    });
    this.push(JSON.stringify(columns));
  }

  /** Appends one row; values must line up with `columns`. */
  write(row: readonly CellValue[]): void {
    this.rows++;
    this.push(JSON.stringify(row));
  }

  /**
   * Appends one row already serialized as a JSON array (no trailing newline), e.g. a line
   * read back with {@link readLines}; saves a parse and a stringify when copying rows.
   */
  writeLine(line: string): void {
    this.rows++;
    this.push(line);
  }

  /** Number of rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Hands buffered rows to the stream; awaits a drain when the stream is full. */
  async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    this.handOver();
    if (this.out.writableNeedDrain) {
      // One listener pair per wait, removed when either fires (no listener pile-up).
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          this.out.off('drain', onDrain);
          reject(e);
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
    if (this.failed) throw this.failed;
  }

  // Feeds the encoded rows to the hash and the stream; the chunk is theirs from then on.
  private handOver(): void {
    if (this.used === 0) return;
    const full = this.chunk;
    const bytes = full.subarray(0, this.used);
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    this.hash?.update(bytes);
    this.bytes += bytes.length;
    // The stream is done with the bytes when its callback runs (written or failed);
    // only standard-size chunks go back to the pool.
    this.out.write(bytes, () => {
      if (!this.ended && full.length === CHUNK_BYTES && this.spare.length < MAX_SPARE_CHUNKS)
        this.spare.push(full);
    });
  }

  /** Flushes, closes and renames the file into place. */
  async close(): Promise<RowFileInfo> {
    try {
      await this.flush();
      await new Promise<void>((resolve, reject) => {
        this.out.end((e?: Error | null) => (e ? reject(e) : resolve()));
      });
    } finally {
      this.release();
    }
    if (this.failed) throw this.failed;
    await rename(this.tmp, this.path);
    return {
      rows: this.rows,
      bytes: this.bytes,
      sha256: this.hash?.digest('hex') ?? '',
      columns: this.columns,
    };
  }

  /** Discards the file. */
  async abort(): Promise<void> {
    this.release();
    this.out.destroy();
    await rm(this.tmp, { force: true });
  }

  /** Chunks kept for reuse (for tests). */
  get spareChunks(): number {
    return this.spare.length;
  }

  // Lets the chunks go: a writer kept after close (e.g. by a caller's closure) no longer
  // holds up to 20 MiB of them.
  private release(): void {
    this.ended = true;
    this.spare.length = 0;
    this.chunk = EMPTY;
    this.used = 0;
  }

  // Appends one line (without its newline). A full chunk is handed to the stream eagerly;
  // the caller's flush() awaits drains.
  private push(s: string): void {
    // At most 3 bytes per UTF-16 unit; write() would cut a line that did not fit.
    const max = s.length * 3 + 1;
    if (this.used + max > this.chunk.length) {
      this.handOver();
      if (max > this.chunk.length) this.chunk = Buffer.allocUnsafe(max);
    }
    this.used += this.chunk.write(s, this.used, 'utf8');
    this.chunk[this.used++] = 10;
  }
}

/** Hex SHA-256 of a file's bytes, read in 1 MiB chunks. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A row file opened for reading: its columns and an iterator over its rows. */
export interface RowReader extends AsyncIterable<RowValues> {
  readonly path: string;
  /** Column names (the header), available after `open`. */
  readonly columns: readonly string[];
  /** Index of a column, or -1. */
  indexOf(name: string): number;
  /**
   * The rows in batches (one per ~1 MB read): the fast way through big files, as it
   * avoids a promise per row. A reader is iterated once, either this way or row by row.
   */
  batches(): AsyncIterable<RowValues[]>;
  /**
   * The rows as raw lines (JSON text, no newline) in batches, for callers that decode
   * only some cells with a {@link RowScanner} and copy the rest verbatim. Counts as
   * iterating the reader.
   */
  lineBatches(): AsyncIterable<string[]>;
}

/**
 * Opens a row file: reads the header, then iterates rows in chunks (fast on big files;
 * one JSON.parse per line). A malformed line fails with its line number.
 */
export async function openRows(path: string): Promise<RowReader> {
  const source = fileLineBatches(path);
  let pending: string[] = [];
  for (;;) {
    const next = await source.next();
    if (next.done) {
      throw new LeadliftError(
        'snapshot.emptyFile',
        `Row file ${path} is empty; it should start with a header line.`,
        {
          details: { path },
        },
      );
    }
    pending = next.value;
    if (pending.length > 0) break;
  }
  const columns = parseLine(pending.shift()!, path, 1);
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) {
    throw new LeadliftError(
      'snapshot.badHeader',
      `Row file ${path} has no header of column names on line 1.`,
      {
        details: { path },
      },
    );
  }
  const names = columns as string[];
  const index = new Map(names.map((n, i) => [n, i]));
  let started = false;
  async function* lineBatches(): AsyncGenerator<string[]> {
    if (started) throw new Error(`Row file ${path} is already being read; open it again to read it twice.`);
    started = true;
    let lines = pending;
    pending = [];
    for (;;) {
      if (lines.length > 0) yield lines;
      const next = await source.next();
      if (next.done) return;
      lines = next.value;
    }
  }
  async function* batches(): AsyncGenerator<RowValues[]> {
    let lineNo = 1;
    for await (const lines of lineBatches()) {
      const rows = new Array<RowValues>(lines.length);
      for (let i = 0; i < lines.length; i++) rows[i] = parseLine(lines[i]!, path, ++lineNo) as RowValues;
      yield rows;
    }
  }
  return {
    path,
    columns: names,
    indexOf: (name) => index.get(name) ?? -1,
    batches,
    lineBatches,
    async *[Symbol.asyncIterator]() {
      for await (const rows of batches()) yield* rows;
    },
  };
}

function parseLine(line: string, path: string, lineNo: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new LeadliftError(
      'snapshot.badLine',
      `Row file ${path} has a malformed line ${lineNo}; re-run extract.`,
      {
        details: { path, line: lineNo },
      },
    );
  }
}

/** Throws the error of a malformed row line (1-based line number, header = line 1). */
export function badLine(path: string, lineNo: number): never {
  throw new LeadliftError(
    'snapshot.badLine',
    `Row file ${path} has a malformed line ${lineNo}; re-run extract.`,
    {
      details: { path, line: lineNo },
    },
  );
}

/**
 * Finds the cells of a row line without building its values, so a caller decodes only
 * the cells it needs and copies the others (long texts) verbatim. Lines are expected as
 * JSON.stringify writes them; whitespace between cells is tolerated. Structure (array,
 * strings, separators) is validated; the inside of strings without escapes is not.
 * Reused across lines: `scan` overwrites the previous result.
 */
export class RowScanner {
  /** Cells found by the last `scan`. */
  count = 0;
  private line = '';
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);

  /** Scans one line; false when it is not a flat JSON array of scalars. */
  scan(line: string): boolean {
    this.line = line;
    this.count = 0;
    const n = line.length;
    let pos = skipSpace(line, 0);
    if (line.charCodeAt(pos) !== 91) return false; // [
    pos = skipSpace(line, pos + 1);
    if (line.charCodeAt(pos) === 93) return skipSpace(line, pos + 1) === n; // ]
    let nextBackslash = -1;
    let k = 0;
    for (;;) {
      pos = skipSpace(line, pos);
      const c = line.charCodeAt(pos);
      let end: number;
      let escaped = 0;
      if (c === 34) {
        // "…": find the closing quote; walk char by char only when a backslash is inside.
        let q = line.indexOf('"', pos + 1);
        if (q < 0) return false;
        if (nextBackslash <= pos) {
          nextBackslash = line.indexOf('\\', pos + 1);
          if (nextBackslash < 0) nextBackslash = n;
        }
        if (nextBackslash < q) {
          escaped = 1;
          let i = pos + 1;
          for (;;) {
            if (i >= n) return false;
            const ch = line.charCodeAt(i);
            if (ch === 92) i += 2;
            else if (ch === 34) break;
            else i++;
          }
          q = i;
          nextBackslash = -1;
        }
        end = q + 1;
      } else {
        if (c === 91 || c === 123 || Number.isNaN(c)) return false; // nested values or end of line
        end = pos;
        while (end < n) {
          const ch = line.charCodeAt(end);
          if (ch === 44 || ch === 93 || ch === 32 || ch === 9 || ch === 13) break;
          end++;
        }
        if (end === pos) return false;
      }
      if (k === this.starts.length) this.grow();
      this.starts[k] = pos;
      this.ends[k] = end;
      this.escaped[k] = escaped;
      k++;
      pos = skipSpace(line, end);
      const d = line.charCodeAt(pos);
      if (d === 44) {
        pos++;
        continue;
      }
      if (d !== 93 || skipSpace(line, pos + 1) !== n) return false;
      this.count = k;
      return true;
    }
  }

  /** The value of cell `i`, or undefined when the cell is not valid JSON. */
  value(i: number): CellValue | undefined {
    const line = this.line;
    const s = this.starts[i]!;
    const e = this.ends[i]!;
    const c = line.charCodeAt(s);
    if (c === 34) {
      if (this.escaped[i] === 0) return line.slice(s + 1, e - 1);
      try {
        return JSON.parse(line.slice(s, e)) as string;
      } catch {
        return undefined;
      }
    }
    const len = e - s;
    if (c === 110) return len === 4 && line.startsWith('null', s) ? null : undefined;
    if (c === 116) return len === 4 && line.startsWith('true', s) ? true : undefined;
    if (c === 102) return len === 5 && line.startsWith('false', s) ? false : undefined;
    if (c === 45 || (c >= 48 && c <= 57)) {
      const v = Number(line.slice(s, e));
      return Number.isNaN(v) ? undefined : v;
    }
    return undefined;
  }

  /** The JSON text of cell `i`, as it is in the line. */
  raw(i: number): string {
    return this.line.slice(this.starts[i]!, this.ends[i]!);
  }

  /**
   * The line's text from the start of cell `from` to the end of cell `to` (inclusive),
   * separators included: copies a run of unchanged cells in one slice.
   */
  rawRange(from: number, to: number): string {
    return this.line.slice(this.starts[from]!, this.ends[to]!);
  }

  /** The first character code of cell `i` (34 for a string, 110 for null, …). */
  kind(i: number): number {
    return this.line.charCodeAt(this.starts[i]!);
  }

  private grow(): void {
    const cap = this.starts.length * 2;
    const s = new Int32Array(cap);
    s.set(this.starts);
    const e = new Int32Array(cap);
    e.set(this.ends);
    const x = new Uint8Array(cap);
    x.set(this.escaped);
    this.starts = s;
    this.ends = e;
    this.escaped = x;
  }
}

function skipSpace(line: string, pos: number): number {
  for (;;) {
    const c = line.charCodeAt(pos);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return pos;
    pos++;
  }
}

/**
 * The raw lines of a row file, header first, without their newlines (empty lines are
 * skipped). For copying rows without parsing them; use {@link openRows} to read values.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  for await (const lines of fileLineBatches(path)) yield* lines;
}

/** A byte range of a row file holding whole lines: [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The rows of a row file cut into about `parts` byte ranges of whole lines (fewer when
 * the file is small), for reading in parallel with {@link readLineBatches}. The header
 * is in none of them.
 */
export async function splitRowFile(
  path: string,
  parts: number,
): Promise<{ columns: string[]; ranges: ByteRange[] }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size === 0) {
      throw new LeadliftError(
        'snapshot.emptyFile',
        `Row file ${path} is empty; it should start with a header line.`,
        {
          details: { path },
        },
      );
    }
    const headerEnd = await nextLineStart(handle, 0, size);
    const headerText = await readBytes(handle, 0, headerEnd);
    const columns = parseLine(headerText.replace(/^\uFEFF/, '').trim(), path, 1);
    if (headerEnd === 0 || !Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) {
      throw new LeadliftError(
        'snapshot.badHeader',
        `Row file ${path} has no header of column names on line 1.`,
        {
          details: { path },
        },
      );
    }
    const ranges: ByteRange[] = [];
    let start = headerEnd;
    const n = Math.max(1, Math.floor(parts));
    for (let k = 1; k <= n && start < size; k++) {
      const target = k === n ? size : headerEnd + Math.floor(((size - headerEnd) * k) / n);
      const end = target >= size ? size : await nextLineStart(handle, Math.max(target, start), size);
      if (end > start) ranges.push({ start, end });
      start = end;
    }
    return { columns: columns as string[], ranges };
  } finally {
    await handle.close();
  }
}

// The offset just after the first newline at or after `from` (or the file size).
async function nextLineStart(handle: FileHandle, from: number, size: number): Promise<number> {
  const buf = Buffer.alloc(64 * 1024);
  let pos = from;
  while (pos < size) {
    const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += bytesRead;
  }
  return size;
}

async function readBytes(handle: FileHandle, start: number, end: number): Promise<string> {
  const buf = Buffer.alloc(end - start);
  await handle.read(buf, 0, buf.length, start);
  return buf.toString('utf8');
}

/**
 * The raw lines of a byte range of a row file (see {@link splitRowFile}), or of the
 * whole file with the header first, in batches (one per chunk read). Empty lines are
 * skipped.
 */
export function readLineBatches(path: string, range?: ByteRange): AsyncGenerator<string[]> {
  return fileLineBatches(path, range);
}

// Lines in batches, one per chunk read. The bytes are cut into lines first and decoded
// by stretches: a stretch of ASCII lines (nearly all of them) is decoded as Latin-1 into
// a one-byte string, and only the few lines around a non-ASCII character as UTF-8. One
// emoji per thousand lines made every 1 MiB chunk decode into a two-byte string before,
// which doubled the bytes that splitting, scanning and re-encoding the lines walk over.
async function* fileLineBatches(path: string, range?: ByteRange): AsyncGenerator<string[]> {
  if (range && range.end <= range.start) return;
  const options = range
    ? { highWaterMark: 1 << 20, start: range.start, end: range.end - 1 }
    : { highWaterMark: 1 << 20 };
  // A byte order mark is dropped at the start of what is read, as TextDecoder does.
  let atStart = true;
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(path, options)) {
    const buf = rest ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const lines: string[] = [];
    const end = buf.lastIndexOf(10) + 1;
    if (end === 0) {
      rest = buf;
      yield lines;
      continue;
    }
    let from = 0;
    if (atStart) {
      from = bomLength(buf);
      atStart = false;
    }
    decodeLines(buf, from, end, lines);
    rest = end < buf.length ? buf.subarray(end) : undefined;
    yield lines;
  }
  if (rest) {
    const tail = rest.toString('utf8', atStart ? bomLength(rest) : 0);
    if (tail.length > 0) yield [tail];
  }
}

/** Bytes below which a stretch with a non-ASCII character is decoded whole, as UTF-8. */
const UTF8_STRETCH_BYTES = 4096;

/** Appends the non-empty lines of buf[from, to) (which ends with a newline) to `out`. */
function decodeLines(buf: Buffer, from: number, to: number, out: string[]): void {
  if (from >= to) return;
  if (isAscii(buf.subarray(from, to))) {
    splitLines(buf.toString('latin1', from, to), out);
    return;
  }
  if (to - from > UTF8_STRETCH_BYTES) {
    // Halve at a line end, so the ASCII lines on either side stay one-byte.
    const mid = buf.indexOf(10, from + ((to - from) >> 1));
    if (mid >= 0 && mid + 1 < to) {
      decodeLines(buf, from, mid + 1, out);
      decodeLines(buf, mid + 1, to, out);
      return;
    }
  }
  splitLines(buf.toString('utf8', from, to), out);
}

function splitLines(text: string, out: string[]): void {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    if (nl > start) out.push(text.slice(start, nl));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
}

function bomLength(buf: Buffer): number {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/**
 * Copies a row file keeping the header and the rows for which `keep(i)` is true (i
 * counts rows from 0, header excluded; empty lines are dropped). Given several files
 * (with the same columns), concatenates them: the first header is kept, the others are
 * skipped, and i counts on across files. Works on bytes: no decoding or parsing, so it
 * runs at disk speed. Written under a temporary name and renamed, like {@link RowWriter}.
 */
export async function copyRows(
  source: string | readonly string[],
  destPath: string,
  keep: (row: number) => boolean,
): Promise<RowFileInfo> {
  const sources = typeof source === 'string' ? [source] : source;
  const first = sources[0] ?? '(no file)';
  const tmp = `${destPath}.tmp-${process.pid}`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  let failed: Error | undefined;
  out.on('error', (e) => {
    failed = e;
  });
  const hash = createHash('sha256');
  let header: Buffer | undefined;
  let rows = 0;
  let bytes = 0;
  let row = 0;
  // 'keep' for the first file's header, 'skip' for the others', 'none' once read.
  let headerMode: 'keep' | 'skip' | 'none' = 'keep';
  try {
    // The pieces are handed over as they are, not copied into one buffer: they are views
    // of the chunks the read stream allocated (a new one per read) and nothing reuses them.
    const emit = async (pieces: Buffer[]) => {
      if (pieces.length === 0) return;
      let full = false;
      for (const piece of pieces) {
        hash.update(piece);
        bytes += piece.length;
        if (!out.write(piece)) full = true;
      }
      if (full) await new Promise<void>((resolve) => out.once('drain', resolve));
      if (failed) throw failed;
    };
    // Scans complete lines of `buf`; returns where the incomplete tail starts.
    const scan = (buf: Buffer, pieces: Buffer[], final: boolean): number => {
      let start = 0;
      let runStart = -1;
      for (;;) {
        let nl = buf.indexOf(10, start);
        if (nl < 0) {
          if (!final || start >= buf.length) break;
          nl = buf.length;
        }
        const empty = nl === start;
        let kept = false;
        if (!empty) {
          if (headerMode === 'none') {
            kept = keep(row);
            row++;
            if (kept) rows++;
          } else {
            if (headerMode === 'keep') header = Buffer.from(buf.subarray(start, nl));
            kept = headerMode === 'keep';
            headerMode = 'none';
          }
        }
        if (kept) {
          if (runStart < 0) runStart = start;
        } else if (runStart >= 0) {
          pieces.push(buf.subarray(runStart, start));
          runStart = -1;
        }
        if (nl === buf.length) {
          // Last line without a newline: copy it with one.
          if (runStart >= 0) pieces.push(buf.subarray(runStart, nl), Buffer.from('\n'));
          return buf.length;
        }
        start = nl + 1;
      }
      if (runStart >= 0) pieces.push(buf.subarray(runStart, start));
      return start;
    };
    for (const path of sources) {
      let rest: Buffer | undefined;
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        const buf = rest ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
        const pieces: Buffer[] = [];
        const end = scan(buf, pieces, false);
        rest = end < buf.length ? Buffer.from(buf.subarray(end)) : undefined;
        await emit(pieces);
      }
      if (rest) {
        const pieces: Buffer[] = [];
        scan(rest, pieces, true);
        await emit(pieces);
      }
      if (!header) {
        throw new LeadliftError(
          'snapshot.emptyFile',
          `Row file ${path} is empty; it should start with a header line.`,
          {
            details: { path },
          },
        );
      }
      headerMode = 'skip';
    }
    if (!header) {
      throw new LeadliftError('snapshot.emptyFile', `No row file to copy to ${destPath}.`, {
        details: { path: destPath },
      });
    }
    await new Promise<void>((resolve, reject) => {
      out.end((e?: Error | null) => (e ? reject(e) : resolve()));
    });
    if (failed) throw failed;
    await rename(tmp, destPath);
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
  const columns = parseLine(header.toString('utf8'), first, 1) as string[];
  return { rows, bytes, sha256: hash.digest('hex'), columns };
}
