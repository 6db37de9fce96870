// The write path shared by persist-scores and rollback-scores: inside one transaction,
// fill a session staging table, take the writers' lock, count new and changed keys,
// append the changed rows to the history, then upsert. A failure anywhere rolls all of
// it back, so the tables are exactly as they were.

import { randomUUID } from 'node:crypto';
import type { Dialect, SourceAdapter, SqlValue, TargetAdapter } from '../db/adapter.js';
import { hooksFor } from '../db/hooks.js';
import {
  castParam,
  changedRowsSql,
  columnArrayInsert,
  stageDiffCountSql,
  stagingTable,
  upsertFromStageSql,
  writersLockSql,
} from '../db/keyed-table.js';
import { ExitCode, LeadliftError } from '../errors.js';
import type { ProgressTask } from '../progress.js';
import type { RefType } from '../schema/reference.js';
import { STAGE_COLUMNS } from './run-input.js';
import { COMPARE_COLUMNS, historyTable, KEY_COLUMNS, scoresTable, VALUE_COLUMNS } from './tables.js';

/** Physical names of the two tables of `table` in `dialect`. */
export interface TableNames {
  readonly scores: string;
  readonly history: string;
}

/** The quoted physical names of the scores table `table` and its history. */
export function tableNames(adapter: { hooks: TargetAdapter['hooks'] }, table: string): TableNames {
  const s = scoresTable(table);
  const h = historyTable(table);
  return {
    scores: adapter.hooks.tableName(s.schema, s.name),
    history: adapter.hooks.tableName(h.schema, h.name),
  };
}

/** Every column of the history table a write fills (history_id is numbered by the database). */
const HISTORY_INSERT_COLUMNS = [
  'write_id',
  'action',
  ...STAGE_COLUMNS,
  'previous_run_name',
  'forced',
  'force_reason',
  'written_at_utc',
] as const;

/** Rows per insertRows call into the staging table: progress and fault tests count these. */
export const STAGE_CHUNK_ROWS = 5000;

const STAGE_TABLE = 'leadlift_scores_stage';

/** The staging table's definition in `dialect`. */
export function stageFor(dialect: Dialect) {
  return stagingTable(dialect, STAGE_TABLE, stageColumnTypes());
}

/** The staging columns with their types (those of the scores table). */
function stageColumnTypes(): { name: string; type: RefType }[] {
  const types = new Map(scoresTable().columns.map((c) => [c.name, c.type]));
  return STAGE_COLUMNS.map((name) => ({ name, type: types.get(name) as RefType }));
}

/**
 * Checks that both tables exist with every column leadlift writes: one `SELECT … WHERE
 * 1 = 0` each. Throws `scores.tableMissing` (exit 4) naming the table and the fix.
 */
export async function assertTablesExist(
  run: (sql: string) => Promise<unknown>,
  names: TableNames,
  table: string,
): Promise<void> {
  const q = (c: string) => `${c}`;
  const checks: [string, readonly string[]][] = [
    [names.scores, scoresTable(table).columns.map((c) => c.name)],
    [names.history, historyTable(table).columns.map((c) => c.name)],
  ];
  for (const [phys, cols] of checks) {
    try {
      await run(`SELECT ${cols.map(q).join(', ')} FROM ${phys} WHERE 1 = 0`);
    } catch (e) {
      throw new LeadliftError(
        'scores.tableMissing',
        `The table ${phys} is missing, lacks leadlift's columns or can't be read with this login. Create both score tables with \`leadlift scores-table --create --target-url URL\` (same --table), or pass the --table it was created as.`,
        { exitCode: ExitCode.database, cause: e },
      );
    }
  }
}

/**
 * Runs `fn` (a write transaction) and turns "another writer holds the lock" from the
 * driver (SQLite SQLITE_BUSY, PostgreSQL lock_not_available, SQL Server lock timeout 1222 or
 * the writers' lock timing out, 51000)
 * into `scores.busy` (exit 5), which a scheduler can retry. Other errors pass unchanged.
 */
export async function busyAsExit5<T>(table: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const cause =
      e instanceof LeadliftError ? (e.cause as { code?: unknown; number?: unknown } | undefined) : undefined;
    const code = cause?.code;
    if (
      code === 'SQLITE_BUSY' ||
      code === 'SQLITE_LOCKED' ||
      code === '55P03' ||
      cause?.number === 1222 ||
      cause?.number === 51000
    ) {
      throw new LeadliftError(
        'scores.busy',
        `Another writer holds the lock on ${table} and its history; nothing was written. Run again when it has finished (the scheduled daily job retries on exit code 5).`,
        { exitCode: ExitCode.busy, cause: e },
      );
    }
    throw e;
  }
}

/** A source adapter's query collected into rows (read-only connections). */
export async function readAll(source: SourceAdapter, sql: string, params: Record<string, SqlValue> = {}) {
  const out: Record<string, SqlValue>[] = [];
  for await (const row of source.stream(sql, params)) out.push(row);
  return out;
}

/** What {@link applyStaged} writes into the history besides the values. */
export interface WriteMeta {
  readonly action: 'upsert' | 'rollback';
  readonly forced: boolean;
  readonly forceReason: string | null;
  readonly nowIso: string;
}

/**
 * `INSERT INTO <history> … SELECT` of the staging rows that are new or differ from the
 * table (parameters @write_id, @action, @forced, @force_reason, @now).
 */
export function historyInsertSql(dialect: Dialect, names: TableNames, stageSqlName: string): string {
  const q = hooksFor(dialect).quoteIdent;
  const changed = changedRowsSql(dialect, {
    target: names.scores,
    stage: stageSqlName,
    keyColumns: KEY_COLUMNS,
    compareColumns: COMPARE_COLUMNS,
  });
  return (
    `INSERT INTO ${names.history} (${HISTORY_INSERT_COLUMNS.map(q).join(', ')}) SELECT ` +
    [
      castParam(dialect, 'write_id', 'text'),
      castParam(dialect, 'action', 'text'),
      ...STAGE_COLUMNS.map((col) => `s.${q(col)}`),
      `t.${q('run_name')}`,
      castParam(dialect, 'forced', 'int'),
      castParam(dialect, 'force_reason', 'longtext'),
      castParam(dialect, 'now', 'timestamp'),
    ].join(', ') +
    ` FROM ${changed.from} WHERE ${changed.where}`
  );
}

/** Counts of one write. */
export interface WriteCounts {
  readonly staged: number;
  readonly inserted: number;
  readonly updated: number;
  readonly writeId: string;
  /** sha256-able templates of every statement run (for the audit log). */
  readonly statements: readonly string[];
}

/**
 * Inside the caller's transaction: creates the staging table, fills it (`fill`), locks
 * out other writers, counts, appends the new and changed rows to the history and
 * upserts them. Returns the counts. Rows equal to what the table holds are left alone.
 */
export async function applyStaged(
  target: TargetAdapter,
  names: TableNames,
  meta: WriteMeta,
  fill: (stage: { insertName: string; sqlName: string }) => Promise<void>,
): Promise<WriteCounts> {
  const dialect = target.hooks.dialect;
  const stage = stageFor(dialect);
  const statements: string[] = [];
  const exec = async (sqls: readonly string[]) => {
    statements.push(...sqls);
    await target.execute(sqls);
  };
  await exec(stage.create);
  await fill(stage);
  await exec(stage.analyze);
  await exec(writersLockSql(dialect, names.scores));
  const spec = {
    target: names.scores,
    stage: stage.sqlName,
    keyColumns: KEY_COLUMNS,
    valueColumns: VALUE_COLUMNS,
    compareColumns: COMPARE_COLUMNS,
  };
  const countSql = stageDiffCountSql(dialect, spec);
  statements.push(countSql);
  const [c] = await target.query(countSql);
  const stagedSql = `SELECT COUNT(*) AS n FROM ${stage.sqlName}`;
  statements.push(stagedSql);
  const [n] = await target.query(stagedSql);
  const writeId = randomUUID();
  const historySql = historyInsertSql(dialect, names, stage.sqlName);
  statements.push(historySql);
  await target.query(historySql, {
    write_id: writeId,
    action: meta.action,
    forced: meta.forced ? 1 : 0,
    force_reason: meta.forceReason,
    now: meta.nowIso,
  });
  const upsertSql = upsertFromStageSql(dialect, {
    ...spec,
    createdColumn: 'created_at_utc',
    updatedColumn: 'updated_at_utc',
    nowSql: castParam(dialect, 'now', 'timestamp'),
  });
  statements.push(upsertSql);
  await target.query(upsertSql, { now: meta.nowIso });
  await exec(stage.drop);
  return {
    staged: Number(n?.n ?? 0),
    inserted: Number(c?.inserted ?? 0),
    updated: Number(c?.updated ?? 0),
    writeId,
    statements,
  };
}

/**
 * Fills the staging table from rows, in chunks, ticking `task`: one array per column per
 * statement where the dialect can (PostgreSQL), else `insertRows` chunks of
 * {@link STAGE_CHUNK_ROWS}.
 */
export async function stageRows(
  target: TargetAdapter,
  stage: { readonly insertName: string; readonly sqlName: string },
  rows: readonly (readonly SqlValue[])[],
  task?: ProgressTask,
): Promise<void> {
  const fast = columnArrayInsert(target.hooks.dialect, stage.sqlName, stageColumnTypes());
  const per = fast ? Math.min(fast.rowsPerStatement, STAGE_CHUNK_ROWS) : STAGE_CHUNK_ROWS;
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    if (fast) await target.query(fast.sql, fast.params(chunk));
    else await target.insertRows(stage.insertName, STAGE_COLUMNS, chunk);
    task?.tick(chunk.length);
  }
}
