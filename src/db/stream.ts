// What the three source adapters share: a lazy QueryStream over batches of rows, value
// normalization (Date → ISO string, bigint → string, binary refused), and dynamic driver
// loading that turns a missing package into an install hint.

import type { QueryStream, Row, SqlParams, SqlValue } from './adapter.js';
import { driverMissing, unsupportedValue } from './errors.js';
import { missingParamError } from './sql-guard.js';

/** One running statement, read batch by batch. */
export interface BatchSource {
  /** Result column names, in order. */
  readonly columns: readonly string[];
  /** The next rows; null after the last. */
  next(): Promise<Row[] | null>;
  /** Ends the statement (early or after its end) and its transaction. Idempotent. */
  close(): Promise<void>;
}

/**
 * A QueryStream that opens its statement on first use (`columns()` or iteration), yields
 * every row of every batch, and closes the statement when iteration ends, breaks or throws.
 * `onClose` runs once after the statement is closed. A stream can be iterated once.
 */
export function createQueryStream(
  open: () => Promise<BatchSource>,
  onClose: () => void = () => {},
): QueryStream {
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
  return {
    columns: async () => (await start()).columns,
    [Symbol.asyncIterator](): AsyncIterator<Row> {
      if (iterated) throw new Error('a QueryStream can be iterated only once');
      iterated = true;
      return (async function* () {
        try {
          const s = await start();
          for (;;) {
            const batch = await s.next();
            if (batch === null) break;
            for (const row of batch) yield row;
          }
        } finally {
          await finish();
        }
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
