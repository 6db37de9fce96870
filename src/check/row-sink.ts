// Check as a row sink of extract: every row is checked as extract writes it, so the
// checks that extract runs need no second read of the snapshot files. Loaded by
// extract's worker threads by URL (see RowSinks in extract.ts), hence its own module.

import type { CellValue } from '../snapshot/rows.js';
import { type CheckShardResult, RowChecker, type RowCheckSetup } from './shard.js';

/** A row checker behind extract's RowSink interface; `setup` comes from rowCheckSetup. */
export function createRowSink(setup: unknown): {
  write(row: readonly CellValue[]): void;
  result(): CheckShardResult;
} {
  const checker = new RowChecker(setup as RowCheckSetup);
  return { write: (row) => checker.checkValues(row), result: () => checker.result() };
}

/** The URL extract's worker threads load this module from. */
export const ROW_SINK_MODULE = import.meta.url;
