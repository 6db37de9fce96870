// The demo generator's marker: a database holding dbo.leadlift_demo_info with
// generator = 'leadlift-demo' is a demo database (extract may use the built-in PII key;
// persist-scores may write into it although it is the source).

import type { DialectHooks } from './adapter.js';

/** Runs one SELECT and returns its rows: a source's stream or a target's query. */
export type SelectRows = (sql: string) => Promise<readonly Record<string, unknown>[]>;

/** True when the database carries the demo generator's marker table; false when it doesn't or can't be read. */
export async function hasDemoMarker(hooks: DialectHooks, select: SelectRows): Promise<boolean> {
  try {
    const rows = await select(
      `SELECT value FROM ${hooks.tableName('dbo', 'leadlift_demo_info')} WHERE name = 'generator'`,
    );
    return rows.some((r) => r.value === 'leadlift-demo');
  } catch {
    return false;
  }
}
