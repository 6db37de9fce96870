// An RFC 4180 CSV reader into string columns (quoted fields, doubled quotes, CRLF), and
// the writer the run folder uses. Flat training tables are small enough (≤ a few
// million cells) to hold as strings before typing; the run folder's own CSV files are
// written in chunks of rows, as they grow with the rows (1M rows: hundreds of MB).

import { LeadliftError, listSome } from '../errors.js';

/** A CSV table held column-major as strings: `columns[j][i]` is field `header[j]` of data row `i`. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly columns: readonly (readonly string[])[];
  readonly nRows: number;
  /** The field separator used. */
  readonly delimiter: string;
}

/**
 * The separator of `text`: the most frequent of `,`, `;` and tab outside quotes on the
 * header line; `,` when none occurs. UCI-style files use `;`.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, c] of counts) if (c > counts.get(best)!) best = d;
  return best;
}

/**
 * Parses CSV `text` with a header line. `source` names the input in messages. Blank
 * lines are skipped. A row with a field count other than the header's throws
 * `train.csvMalformed` listing the first offending lines; an unterminated quote too.
 * The delimiter defaults to {@link detectDelimiter}.
 */
export function parseCsv(text: string, source: string, delimiter = detectDelimiter(text)): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = () => {
    record.push(field);
    if (!(record.length === 1 && record[0] === '' && !fieldStarted)) {
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      record.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) {
    throw new LeadliftError(
      'train.csvMalformed',
      `${source}: a quoted field opened on line ${recordLine} is never closed. Close the quote (a quote inside a field is written "").`,
    );
  }
  if (field !== '' || record.length > 0 || fieldStarted) endRecord();
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) {
    throw new LeadliftError(
      'train.emptyTable',
      `${source} is empty; it needs a header line and at least one data row.`,
    );
  }
  const width = header.length;
  const bad: string[] = [];
  let nBad = 0;
  for (let r = 1; r < records.length; r++) {
    if (records[r]!.length !== width) {
      nBad++;
      if (bad.length < 5) bad.push(`line ${lines[r]} has ${records[r]!.length}`);
    }
  }
  if (nBad > 0) {
    throw new LeadliftError(
      'train.csvMalformed',
      `${source}: ${nBad} row(s) do not have the header's ${width} fields (${listSome(bad)}). Quote fields that contain "${delimiter}" or line breaks.`,
      { details: { rows: nBad } },
    );
  }
  const nRows = records.length - 1;
  const columns = header.map((_, j) => {
    const col = new Array<string>(nRows);
    for (let r = 0; r < nRows; r++) col[r] = records[r + 1]![j]!;
    return col;
  });
  return { header: header.map((h) => h.trim()), columns, nRows, delimiter };
}

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A CSV text from a header and rows (`\n` line ends, trailing newline). */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const out: string[] = [header.map(csvField).join(',')];
  for (const r of rows) out.push(r.map(csvField).join(','));
  return `${out.join('\n')}\n`;
}

/**
 * Rows per chunk of {@link formatCsvChunks}: a few hundred KB of text at a time. Small
 * enough that a chunk's cell strings die young (8192-row chunks of a 60-feature table
 * grew the old generation by ~60 MB while training_examples.csv was written, at 185k rows).
 */
export const CSV_CHUNK_ROWS = 1024;

/**
 * The text of {@link formatCsv}(header, rows) in chunks of {@link CSV_CHUNK_ROWS} rows (the
 * header is the first chunk), row `i` made by `row(i)` only when its chunk is: one string
 * of a million rows would be hundreds of MB, near V8's string length limit.
 */
export function* formatCsvChunks(
  header: readonly string[],
  nRows: number,
  row: (i: number) => readonly (string | number)[],
): Generator<string> {
  yield `${header.map(csvField).join(',')}\n`;
  for (let start = 0; start < nRows; start += CSV_CHUNK_ROWS) {
    const end = Math.min(nRows, start + CSV_CHUNK_ROWS);
    const lines = new Array<string>(end - start);
    for (let i = start; i < end; i++) lines[i - start] = `${row(i).map(csvField).join(',')}\n`;
    yield lines.join('');
  }
}
