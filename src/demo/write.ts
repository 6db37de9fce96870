// Writes the demo into a target database: the reference schema (tables first, indexes
// after the rows, which is faster for a bulk load), the rows in batches (a transaction per
// group of batches, never the whole DB in memory), then the marker table that tells
// extract the database is demo data.

import type { SqlValue, TargetAdapter } from '../db/adapter.js';
import { ddlFor } from '../db/index.js';
import { LeadliftError } from '../errors.js';
import type { Progress } from '../progress.js';
import { silentProgress } from '../progress.js';
import { REFERENCE_TABLES } from '../schema/reference.js';
import { DEMO_GENERATOR_VERSION, DemoGenerator } from './generate.js';
import type { DemoOptions } from './options.js';
import { DEMO_INFO_TABLE } from './tables.js';
import type { DemoTruth } from './truth.js';

/** Options of {@link writeDemoDb}: the demo options plus batching. */
export interface WriteDemoOptions extends Partial<DemoOptions> {
  /** Enrollments per transaction. Default 2000. */
  readonly transactionEnrollments?: number;
  /**
   * Enrollments per generated batch handed to `insertRows`. Small batches let the
   * generated strings die young (measured: 250 is 2–3× faster to generate than 2000).
   * Default 250.
   */
  readonly batchEnrollments?: number;
}

/** The marker table's value of `generator`, which extract looks for. */
export const DEMO_MARKER = 'leadlift-demo';
/** The marker while a load is under way: not demo data for extract yet, but `--force` may drop it. */
export const DEMO_MARKER_INCOMPLETE = 'leadlift-demo-incomplete';

/**
 * Creates the reference schema in `target` (which must not have it yet), writes a demo DB
 * with planted effects, and returns its ground truth. Deterministic in the options' seed.
 * Throws `demo.badFlag` for invalid options; database errors as the adapter reports them.
 */
export async function writeDemoDb(
  target: TargetAdapter,
  options: WriteDemoOptions = {},
  progress: Progress = silentProgress,
): Promise<DemoTruth> {
  const { transactionEnrollments = 2000, batchEnrollments = 250, ...demo } = options;
  const g = new DemoGenerator(demo);
  const dialect = target.hooks.dialect;

  const schemaTask = progress.task('demo-db: create tables');
  await target.execute([...ddlFor(dialect, { part: 'tables' }), markerDdl(target)]);
  // Marked at once, so a load that fails halfway can be dropped with --force and retried.
  await target.transaction(() =>
    target.insertRows(markerTable(), DEMO_INFO_TABLE.columns, [['generator', DEMO_MARKER_INCOMPLETE]]),
  );
  schemaTask.done(`${REFERENCE_TABLES.length + 1} tables`);

  const rowsTask = progress.task('demo-db: enrollments', g.options.enrollments);
  const it = g.batches(batchEnrollments);
  let next = it.next();
  let done = 0;
  let rows = 0;
  while (!next.done) {
    await target.transaction(async () => {
      const until = done + transactionEnrollments;
      while (!next.done && done < until) {
        for (const t of next.value.tables) {
          await target.insertRows(t.spec.table, t.spec.columns, t.rows);
          rows += t.rows.length;
        }
        rowsTask.tick(next.value.enrollmentsDone - done);
        done = next.value.enrollmentsDone;
        // Only now may the generator reuse the rows just inserted.
        next = it.next();
      }
    });
  }
  rowsTask.done(`${done.toLocaleString('en-US')} enrollments, ${rows.toLocaleString('en-US')} rows`);

  const indexTask = progress.task('demo-db: create indexes');
  await target.execute(ddlFor(dialect, { part: 'indexes' }));
  await target.execute(target.hooks.updateStatistics);
  indexTask.done();

  const truth = g.truth();
  const marker: SqlValue[][] = [
    ['version', DEMO_GENERATOR_VERSION],
    ['seed', String(truth.seed)],
    ['enrollments', String(truth.options.enrollments)],
    ['orgs', String(truth.options.orgs)],
    ['start', truth.options.start],
    ['days', String(truth.options.days)],
    ['as_of', truth.window.as_of],
  ];
  const h = target.hooks;
  await target.transaction(async () => {
    await target.insertRows(markerTable(), DEMO_INFO_TABLE.columns, marker);
    await target.execute([
      `UPDATE ${h.tableName(DEMO_INFO_TABLE.schema, DEMO_INFO_TABLE.name)} SET ${h.quoteIdent('value')} = '${DEMO_MARKER}' WHERE ${h.quoteIdent('name')} = 'generator'`,
    ]);
  });
  return truth;
}

function markerTable(): string {
  return `${DEMO_INFO_TABLE.schema}.${DEMO_INFO_TABLE.name}`;
}

/** The marker table's DDL: two short text columns, in a type every dialect accepts. */
function markerDdl(target: TargetAdapter): string {
  const h = target.hooks;
  const [name, value] = DEMO_INFO_TABLE.columns;
  return `CREATE TABLE ${h.tableName(DEMO_INFO_TABLE.schema, DEMO_INFO_TABLE.name)} (${h.quoteIdent(name)} VARCHAR(100) NOT NULL PRIMARY KEY, ${h.quoteIdent(value)} VARCHAR(400))`;
}

/** Whether a table exists, asked portably: a query that reads no rows fails when it doesn't. */
async function tableExists(target: TargetAdapter, schema: string, name: string): Promise<boolean> {
  try {
    await target.query(`SELECT COUNT(*) AS n FROM ${target.hooks.tableName(schema, name)} WHERE 1 = 0`);
    return true;
  } catch {
    return false;
  }
}

/** What a target database holds already: the reference tables, and whether they are demo data. */
export async function inspectDemoTarget(
  target: TargetAdapter,
): Promise<{ tables: string[]; isDemo: boolean }> {
  const tables: string[] = [];
  for (const t of REFERENCE_TABLES) {
    if (await tableExists(target, t.schema, t.name)) tables.push(`${t.schema}.${t.name}`);
  }
  let isDemo = false;
  if (await tableExists(target, DEMO_INFO_TABLE.schema, DEMO_INFO_TABLE.name)) {
    const h = target.hooks;
    const rows = await target.query(
      `SELECT ${h.quoteIdent('value')} AS v FROM ${h.tableName(DEMO_INFO_TABLE.schema, DEMO_INFO_TABLE.name)} WHERE ${h.quoteIdent('name')} = 'generator'`,
    );
    isDemo = rows.some((r) => r.v === DEMO_MARKER || r.v === DEMO_MARKER_INCOMPLETE);
    tables.push(markerTable());
  }
  return { tables, isDemo };
}

/**
 * Drops the reference tables and the marker table from a database that holds demo data.
 * Refuses (`demo.notDemoDb`, exit 2) when the tables exist without the demo marker: that
 * is somebody's real data.
 */
export async function dropDemoTables(target: TargetAdapter, label: string): Promise<void> {
  const { tables, isDemo } = await inspectDemoTarget(target);
  if (tables.length === 0) return;
  if (!isDemo) {
    throw new LeadliftError(
      'demo.notDemoDb',
      `${label} already has reference tables (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}) without the demo marker table dbo.leadlift_demo_info, so it may hold real data; demo-db will not drop them even with --force. Use an empty database.`,
      { details: { tables } },
    );
  }
  const drops = [...REFERENCE_TABLES]
    .reverse()
    .map((t) => `DROP TABLE IF EXISTS ${target.hooks.tableName(t.schema, t.name)}`);
  drops.push(`DROP TABLE IF EXISTS ${target.hooks.tableName(DEMO_INFO_TABLE.schema, DEMO_INFO_TABLE.name)}`);
  await target.execute(drops);
}
