// rollback-scores: puts back the scores an earlier run wrote. The rows restored are
// exactly the keys that run wrote (its latest history entry per key, action 'upsert'),
// with the values it wrote; keys it never wrote are left alone. One transaction, recorded
// in the history as action 'rollback'. See docs/scores.md.

import { AuditLog, queryHash } from '../audit/index.js';
import type { Config } from '../config/schema.js';
import type { DialectHooks, SourceFingerprint } from '../db/adapter.js';
import { openSource, openTarget, parseDbUrl } from '../db/index.js';
import { stageDiffCountSql } from '../db/keyed-table.js';
import { LeadliftError, listSome } from '../errors.js';
import { type Progress, silentProgress } from '../progress.js';
import { assertNotSource, resolveTargetUrl } from './persist.js';
import { STAGE_COLUMNS } from './run-input.js';
import { COMPARE_COLUMNS, DEFAULT_SCORES_TABLE, KEY_COLUMNS, parseScoresTable } from './tables.js';
import {
  applyStaged,
  assertTablesExist,
  busyAsExit5,
  readAll,
  type TableNames,
  tableNames,
} from './write.js';

/** Input of {@link rollbackScores}. */
export interface RollbackScoresInput {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The run whose scores are put back (its run_name in the history). */
  readonly toRun: string;
  /** Default `dbo.lead_scores`. */
  readonly table?: string;
  /** Default `config.targetUrl`. */
  readonly targetUrl?: string;
  /** Read-only: count what would change, write nothing. */
  readonly dryRun?: boolean;
  /** The command named in the audit log. Default `rollback-scores`. */
  readonly command?: string;
  readonly progress?: Progress;
  readonly now?: () => Date;
}

/** What {@link rollbackScores} did or would do. */
export interface RollbackScoresResult {
  readonly table: string;
  readonly run: string;
  readonly dryRun: boolean;
  /** Keys the run wrote (all are restored to its values). */
  readonly keys: number;
  /** Keys missing from the table now, inserted again. */
  readonly inserted: number;
  /** Keys holding other values now, set back. */
  readonly updated: number;
  readonly unchanged: number;
  readonly target: SourceFingerprint;
}

/** SELECT of the values `run` last wrote per key (parameter @run). */
function runRowsSql(hooks: DialectHooks, names: TableNames): string {
  const q = hooks.quoteIdent;
  const key = KEY_COLUMNS.map(q).join(', ');
  return (
    `SELECT ${STAGE_COLUMNS.map((c) => `h.${q(c)}`).join(', ')} FROM ${names.history} AS h ` +
    `WHERE h.${q('history_id')} IN (SELECT MAX(${q('history_id')}) FROM ${names.history} ` +
    `WHERE ${q('run_name')} = @run AND ${q('action')} = 'upsert' GROUP BY ${key})`
  );
}

function unknownRun(run: string, table: string, known: readonly string[]): LeadliftError {
  return new LeadliftError(
    'scores.unknownRun',
    `No scores of run "${run}" are in the history of ${table}. ${known.length > 0 ? `Runs written, latest first: ${listSome(known)}.` : 'Nothing has been written yet.'} Pass one of those to --to-run.`,
  );
}

async function knownRuns(
  read: (sql: string) => Promise<Record<string, unknown>[]>,
  hooks: DialectHooks,
  names: TableNames,
) {
  const q = hooks.quoteIdent;
  const rows = await read(
    `SELECT ${q('run_name')} AS run_name, MAX(${q('history_id')}) AS last_id FROM ${names.history} WHERE ${q('action')} = 'upsert' GROUP BY ${q('run_name')}`,
  );
  return rows.sort((a, b) => Number(b.last_id) - Number(a.last_id)).map((r) => String(r.run_name));
}

/**
 * Restores the scores `toRun` wrote. Throws `scores.unknownRun` (exit 2) when the history
 * has no scores of that run, `scores.tableMissing` / `db.*` (exit 4).
 */
export async function rollbackScores(input: RollbackScoresInput): Promise<RollbackScoresResult> {
  const table = input.table ?? DEFAULT_SCORES_TABLE;
  parseScoresTable(table);
  const now = input.now ?? (() => new Date());
  const progress = input.progress ?? silentProgress;
  const command = input.command ?? 'rollback-scores';
  const { url, sameAsSource } = resolveTargetUrl(input.config, input.targetUrl, input.cwd);
  const audit = new AuditLog({ path: input.config.auditLog, cwd: input.cwd, env: input.env, now });
  const run = input.toRun;

  if (input.dryRun === true) {
    const source = await openSource(url, { cwd: input.cwd });
    try {
      const names = tableNames(source, table);
      const statements: string[] = [];
      const read = (sql: string, params: Record<string, string> = {}) => {
        statements.push(sql);
        return readAll(source, sql, params);
      };
      return await audit.record(
        { command, action: 'dry-run', source: source.fingerprint, table, run },
        async () => {
          await assertTablesExist(read, names, table);
          const countSql = stageDiffCountSql(source.hooks.dialect, {
            target: names.scores,
            stage: `(${runRowsSql(source.hooks, names)})`,
            keyColumns: KEY_COLUMNS,
            compareColumns: COMPARE_COLUMNS,
          });
          const [c] = await read(countSql, { run });
          const [n] = await read(`SELECT COUNT(*) AS n FROM (${runRowsSql(source.hooks, names)}) AS r`, {
            run,
          });
          const keys = Number(n?.n ?? 0);
          if (keys === 0) throw unknownRun(run, table, await knownRuns(read, source.hooks, names));
          const inserted = Number(c?.inserted ?? 0);
          const updated = Number(c?.updated ?? 0);
          return {
            table,
            run,
            dryRun: true,
            keys,
            inserted,
            updated,
            unchanged: keys - inserted - updated,
            target: source.fingerprint,
          };
        },
        (r) => ({
          rowsRead: r.keys,
          queryHashes: statements.map(queryHash),
          details: { would_insert: r.inserted, would_update: r.updated },
        }),
      );
    } finally {
      await source.close();
    }
  }

  const target = await openTarget(url, { cwd: input.cwd });
  try {
    const names = tableNames(target, table);
    let statements: readonly string[] = [];
    return await audit.record(
      { command, action: 'rollback', source: target.fingerprint, table, run },
      async () => {
        await assertNotSource(
          sameAsSource,
          (s) => target.query(s),
          target.hooks,
          parseDbUrl(url, input.cwd).redacted,
        );
        await assertTablesExist((s) => target.query(s), names, table);
        const task = progress.task(`Restoring the scores of ${run}`);
        const q = target.hooks.quoteIdent;
        const fillSql = (stageName: string) =>
          `INSERT INTO ${stageName} (${STAGE_COLUMNS.map(q).join(', ')}) ${runRowsSql(target.hooks, names)}`;
        const counts = await busyAsExit5(table, () =>
          target.transaction(async () => {
            const c = await applyStaged(
              target,
              names,
              { action: 'rollback', forced: false, forceReason: null, nowIso: now().toISOString() },
              (stage) => target.query(fillSql(stage.sqlName), { run }).then(() => {}),
            );
            // Nothing of that run in the history: refuse rather than report an empty success.
            if (c.staged === 0)
              throw unknownRun(run, table, await knownRuns((s) => target.query(s), target.hooks, names));
            return c;
          }),
        );
        statements = [...counts.statements, fillSql('<stage>')];
        task.done(`${counts.inserted} inserted, ${counts.updated} set back`);
        return {
          table,
          run,
          dryRun: false,
          keys: counts.staged,
          inserted: counts.inserted,
          updated: counts.updated,
          unchanged: counts.staged - counts.inserted - counts.updated,
          target: target.fingerprint,
        };
      },
      (r) => ({
        rowsWritten: r.inserted + r.updated,
        queryHashes: [...new Set(statements)].map(queryHash),
        details: { keys: r.keys },
      }),
    );
  } finally {
    await target.close();
  }
}
