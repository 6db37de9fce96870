// What the three source adapters share: a lazy QueryStream over batches of rows, value
// normalization (Date → ISO string, bigint → string, binary refused), and dynamic driver
// loading that turns a missing package into an install hint.

import type { QueryStream, Row, RowStream, SqlParams, SqlValue } from './adapter.js';
import { driverMissing, unsupportedValue } from './errors.js';
import { missingParamError } from './sql-guard.js';

/** One running statement, read batch by batch. */
export interface BatchSource {
  /** Result column names, in order. */
  readonly columns: readonly string[];
  /** Names the query in value errors (binary data and the like). */
  readonly label?: string | undefined;
  /**
   * The next rows as raw driver values in column order, one fresh array per row (the
   * stream normalizes it in place); null after the last.
   */
  next(): Promise<unknown[][] | null>;
  /** Ends the statement (early or after its end) and its transaction. Idempotent. */
  close(): Promise<void>;
}

/**
 * A QueryStream that opens its statement on first use (`columns()` or iteration), yields
 * every row of every batch as an object keyed by column name, and closes the statement
 * when iteration ends, breaks or throws. `onClose` runs once after the statement is
 * closed. A stream can be iterated once.
 */
export function createQueryStream(
  open: () => Promise<BatchSource>,
  onClose: () => void = () => {},
): QueryStream {
  return lazyStream(open, onClose, rowFromArray);
}

/**
 * Like {@link createQueryStream}, but yields every row as an array of normalized values in
 * result-column order (no per-row object; the caller maps names to indexes once).
 */
export function createRowStream(open: () => Promise<BatchSource>, onClose: () => void = () => {}): RowStream {
  return lazyStream(open, onClose, normalizeRow);
}

function lazyStream<T>(
  open: () => Promise<BatchSource>,
  onClose: () => void,
  shape: (columns: readonly string[], values: unknown[], label?: string) => T,
): AsyncIterable<T> & { columns(): Promise<readonly string[]>; batches(): AsyncIterable<T[]> } {
  let source: Promise<BatchSource> | undefined;
  let iterated = false;
  let closed = false;
  const start = (): Promise<BatchSource> => {
    // A statement that fails to open has nothing to close, but the adapter must still
    // learn that it is over, even when nobody iterates (only columns() was awaited).
    source ??= open().catch((e: unknown) => {
      if (!closed) {
        closed = true;
        onClose();
      }
      throw e;
    });
    return source;
  };
  const finish = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      if (source) await (await source.catch(() => null))?.close();
    } finally {
      onClose();
    }
  };
  // Batches as the source gives them, each row shaped in place: a per-row `yield` costs a
  // promise and a microtask per row, which readers of millions of rows feel.
  const claim = (): void => {
    if (iterated) throw new Error('a QueryStream can be iterated only once');
    iterated = true;
  };
  async function* read(): AsyncGenerator<T[]> {
    try {
      const s = await start();
      const { columns, label } = s;
      for (;;) {
        const batch = await s.next();
        if (batch === null) break;
        const shaped = new Array<T>(batch.length);
        for (let i = 0; i < batch.length; i++) shaped[i] = shape(columns, batch[i]!, label);
        yield shaped;
      }
    } finally {
      await finish();
    }
  }
  return {
    columns: async () => (await start()).columns,
    batches: () => {
      claim();
      return read();
    },
    [Symbol.asyncIterator](): AsyncIterator<T> {
      claim();
      return (async function* () {
        for await (const batch of read()) yield* batch;
      })();
    },
  };
}

/** Normalizes one driver value: Date → ISO-8601 UTC, bigint → string, JSON values → text; binary is refused. */
export function normalizeValue(v: unknown, column: string, label?: string): SqlValue {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return v.toString();
    case 'undefined':
      return null;
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      if (v instanceof Uint8Array) throw unsupportedValue(column, 'binary data', label);
      return JSON.stringify(v);
    default:
      throw unsupportedValue(column, `a ${typeof v}`, label);
  }
}

/**
 * Normalizes an array of driver values in column order, in place (see
 * {@link normalizeValue}); strings, numbers and nulls, by far the most values, pass as they are.
 */
export function normalizeRow(columns: readonly string[], values: unknown[], label?: string): SqlValue[] {
  for (let c = 0; c < values.length; c++) {
    const v = values[c];
    if (v === null || typeof v === 'string' || typeof v === 'number') continue;
    values[c] = normalizeValue(v, columns[c]!, label);
  }
  return values as SqlValue[];
}

/** Builds a row object from an array of driver values in column order. */
export function rowFromArray(columns: readonly string[], values: readonly unknown[], label?: string): Row {
  const row: Row = {};
  for (let c = 0; c < columns.length; c++) {
    const name = columns[c]!;
    row[name] = normalizeValue(values[c], name, label);
  }
  return row;
}

/** The values of `names` from `params`; throws `query.missingParam` naming any absent one (names only). */
export function pickParams(names: readonly string[], params: SqlParams, label?: string): SqlValue[] {
  const missing = names.filter((n) => !Object.hasOwn(params, n));
  if (missing.length > 0) throw missingParamError(missing, Object.keys(params), label);
  return names.map((n) => params[n] ?? null);
}

/**
 * Imports a driver package by name (a variable specifier, so the package stays optional
 * for the type checker and the bundle) and returns its default export when it has one.
 * A missing package becomes `db.driverMissing` naming it.
 */
export async function importDriver<T>(pkg: string, purpose: string): Promise<T> {
  try {
    const mod = (await import(pkg)) as { default?: unknown };
    return (mod.default ?? mod) as T;
  } catch (e) {
    throw driverMissing(pkg, purpose, e);
  }
}
