// persist-scores: writes a run's scores into the scores table (upsert keyed on org_id,
// enrollment_id, label_col) and appends what changed to its history, in one transaction.
// A dry run reads the table over a read-only connection (or none, offline) and says what
// would be inserted and updated. See docs/scores.md.

import { AuditLog, queryHash } from '../audit/index.js';
import type { Config } from '../config/schema.js';
import type { DialectHooks, SourceFingerprint, TargetAdapter } from '../db/adapter.js';
import { hasDemoMarker } from '../db/demo-marker.js';
import { openSource, openTarget, parseDbUrl } from '../db/index.js';
import { ExitCode, LeadliftError } from '../errors.js';
import { type Progress, silentProgress } from '../progress.js';
import { readRunScores, SCORE_SPLITS, type ScoreSplit, STAGE_COLUMNS } from './run-input.js';
import { COMPARE_COLUMNS, DEFAULT_SCORES_TABLE, parseScoresTable } from './tables.js';
import { applyStaged, assertTablesExist, busyAsExit5, readAll, stageRows, tableNames } from './write.js';

export type { ScoreSplit } from './run-input.js';

/** Input of {@link persistScores}. */
export interface PersistScoresInput {
  /** Configuration: `targetUrl` (when `targetUrl` isn't given), `sourceUrl` (never written), `auditLog`. */
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `<run>/predictions.csv`. */
  readonly predictionsCsv: string;
  /** `<run>/metrics.json`; the run's manifest.json must sit beside it. */
  readonly metricsJson: string;
  /** `test` (default): out-of-sample rows (in_sample = 0); `train`: in-sample rows; `all`: both. */
  readonly split?: ScoreSplit;
  /** Default `dbo.lead_scores`; the history table is `<name>_history` in the same schema. */
  readonly table?: string;
  /** Database to write; default `config.targetUrl`; neither → `scores.noTarget`. */
  readonly targetUrl?: string;
  /** Read-only: count what would be inserted and updated, write nothing. Default false. */
  readonly dryRun?: boolean;
  /** With dryRun: connect to nothing (inserted/updated are then null). Default false. */
  readonly offline?: boolean;
  /** Write a run whose gates failed; the reason is recorded in the history and the audit log. */
  readonly force?: { readonly reason: string };
  /** The command named in the audit log. Default `persist-scores`. */
  readonly command?: string;
  readonly progress?: Progress;
  /** The clock for created_at_utc / updated_at_utc / written_at_utc. Default now. */
  readonly now?: () => Date;
  /** Wraps the write connection once opened (fault-injection tests). Default none. */
  readonly wrapTarget?: (target: TargetAdapter) => TargetAdapter;
}

/** What {@link persistScores} did (or, in a dry run, would do). */
export interface PersistScoresResult {
  /** The table as given (e.g. `dbo.lead_scores`). */
  readonly table: string;
  /** The run name (manifest.json `run_name`). */
  readonly run: string;
  readonly dryRun: boolean;
  /** Selected rows per value of predictions.csv's `split` column. */
  readonly rowsBySplit: Readonly<Record<string, number>>;
  /** Rows selected by `split`. */
  readonly selected: number;
  /** Keys new to the table. Null in an offline dry run. */
  readonly inserted: number | null;
  /** Keys whose score, rank, decile, reasons, split, model version or run changed. Null offline. */
  readonly updated: number | null;
  /** Keys already holding exactly these values (left untouched). Null offline. */
  readonly unchanged: number | null;
  /** Whether the run's gates had failed and --force wrote it anyway. */
  readonly forced: boolean;
  /** Where the write went (never credentials); null offline. */
  readonly target: SourceFingerprint | null;
}

/** `scores.noTarget` / `scores.targetIsSource`: where writes may go. Returns the URL to use. */
export function resolveTargetUrl(
  config: Config,
  targetUrl: string | undefined,
  cwd: string,
): { readonly url: string; readonly sameAsSource: boolean } {
  const url = targetUrl ?? config.targetUrl;
  if (url === undefined || url === '') {
    throw new LeadliftError(
      'scores.noTarget',
      'No database to write scores to: pass --target-url URL or set LEADLIFT_TARGET_URL (or targetUrl in the config file). The source URL is never used for writes.',
    );
  }
  const t = parseDbUrl(url, cwd, 'target');
  let sameAsSource = false;
  try {
    const s = parseDbUrl(config.sourceUrl, cwd, 'source');
    if (s.dialect === 'sqlite' && t.dialect === 'sqlite') sameAsSource = !t.memory && s.file === t.file;
    else if (s.dialect !== 'sqlite' && t.dialect !== 'sqlite') {
      // On a server the rule is about the credential: the score tables may live in the
      // agent's own database, written by their own login; the extraction login never writes.
      sameAsSource =
        s.dialect === t.dialect &&
        s.host.toLowerCase() === t.host.toLowerCase() &&
        s.port === t.port &&
        (s.user ?? '') === (t.user ?? '');
    }
  } catch {
    // An unparsable source URL can't equal the target.
  }
  if (sameAsSource && t.dialect !== 'sqlite') {
    throw targetIsSource(t.redacted);
  }
  return { url, sameAsSource };
}

function targetIsSource(redacted: string): LeadliftError {
  return new LeadliftError(
    'scores.targetIsSource',
    `The target ${redacted} uses the extraction source's credential: scores are written with their own login (--target-url / LEADLIFT_TARGET_URL with another user; the score tables may be in the same database), never through the extraction credential. Of SQLite files, only the embedded demo database may be both source and target.`,
  );
}

/**
 * When the target is the source database (possible only for SQLite after
 * {@link resolveTargetUrl}), throws `scores.targetIsSource` unless it is the embedded demo
 * database (it carries the demo generator's marker table).
 */
export async function assertNotSource(
  sameAsSource: boolean,
  query: (sql: string) => Promise<Record<string, unknown>[]>,
  hooks: DialectHooks,
  redactedUrl: string,
): Promise<void> {
  if (sameAsSource && !(await hasDemoMarker(hooks, query))) {
    throw targetIsSource(redactedUrl);
  }
}

/**
 * Writes a run's scores: checks the run (all before connecting), then upserts the rows
 * selected by `split` and appends the changed ones to the history, in one transaction.
 * Throws (exit 2) bad-input errors from {@link readRunScores}, `scores.badSplit`,
 * `scores.noTarget`, `scores.targetIsSource`; (exit 3) `scores.gateFailed` without
 * `force`; (exit 4) `db.unreachable`, `scores.tableMissing`, `db.queryFailed`.
 */
export async function persistScores(input: PersistScoresInput): Promise<PersistScoresResult> {
  const split = input.split ?? 'test';
  if (!SCORE_SPLITS.includes(split)) {
    throw new LeadliftError(
      'scores.badSplit',
      `Unknown split "${String(split)}"; allowed: ${SCORE_SPLITS.join(', ')} (test = out-of-sample rows, train = in-sample rows, all = both).`,
    );
  }
  const table = input.table ?? DEFAULT_SCORES_TABLE;
  parseScoresTable(table);
  const progress = input.progress ?? silentProgress;
  const now = input.now ?? (() => new Date());
  const command = input.command ?? 'persist-scores';
  const reading = progress.task('Checking the run');
  const run = await readRunScores({
    predictionsCsv: input.predictionsCsv,
    metricsJson: input.metricsJson,
    split,
    cwd: input.cwd,
  });
  reading.done(`${run.rows.length} of ${run.rowsInFile} rows selected (--split ${split})`);
  const force = input.force;
  if (force !== undefined && force.reason.trim() === '') {
    throw new LeadliftError(
      'scores.forceWithoutReason',
      '--force needs --reason "…" saying why a run whose gates failed is written.',
    );
  }
  if (!run.gatesPassed && force === undefined) {
    throw new LeadliftError(
      'scores.gateFailed',
      `Run ${run.runName} did not pass its gates (${run.gateReason}); its scores are not written. Fix the model, or write them anyway with --force --reason "…" (recorded in the history and the audit log).`,
      { exitCode: ExitCode.gate },
    );
  }
  const forced = !run.gatesPassed;
  const base = {
    table,
    run: run.runName,
    dryRun: input.dryRun === true,
    rowsBySplit: run.rowsBySplit,
    selected: run.rows.length,
    forced,
  };
  // Offline: nothing to connect to, so nothing to count against.
  if (input.dryRun === true && input.offline === true) {
    return { ...base, inserted: null, updated: null, unchanged: null, target: null };
  }
  const { url, sameAsSource } = resolveTargetUrl(input.config, input.targetUrl, input.cwd);
  const audit = new AuditLog({ path: input.config.auditLog, cwd: input.cwd, env: input.env, now });
  const details = {
    split,
    selected: run.rows.length,
    forced,
    ...(forced ? { force_reason: force!.reason } : {}),
  };

  if (input.dryRun === true) {
    const source = await openSource(url, { cwd: input.cwd });
    try {
      const names = tableNames(source, table);
      const statements: string[] = [];
      let rowsRead = 0;
      return await audit.record(
        { command, action: 'dry-run', source: source.fingerprint, table, run: run.runName },
        async () => {
          const read = (sql: string) => {
            statements.push(sql);
            return readAll(source, sql);
          };
          await assertNotSource(sameAsSource, read, source.hooks, parseDbUrl(url, input.cwd).redacted);
          await assertTablesExist(read, names, table);
          const q = source.hooks.quoteIdent;
          const sql = `SELECT ${['org_id', 'enrollment_id', ...COMPARE_COLUMNS].map(q).join(', ')} FROM ${names.scores} WHERE ${q('label_col')} = @label_col`;
          statements.push(sql);
          const existing = new Map<string, readonly unknown[]>();
          for await (const r of source.stream(sql, { label_col: run.labelCol })) {
            rowsRead++;
            existing.set(
              `${r.org_id}|${r.enrollment_id}`,
              COMPARE_COLUMNS.map((c) => r[c]),
            );
          }
          let inserted = 0;
          let updated = 0;
          // Staged row positions of the compared columns.
          const at = COMPARE_COLUMNS.map((c) => STAGE_COLUMNS.indexOf(c));
          for (const row of run.rows) {
            const old = existing.get(`${row[0]}|${row[1]}`);
            if (old === undefined) inserted++;
            else if (at.some((j, k) => !sameValue(old[k], row[j]))) updated++;
          }
          return {
            ...base,
            inserted,
            updated,
            unchanged: run.rows.length - inserted - updated,
            target: source.fingerprint,
          };
        },
        (r) => ({
          rowsRead,
          queryHashes: statements.map(queryHash),
          details: { ...details, would_insert: r.inserted ?? 0, would_update: r.updated ?? 0 },
        }),
      );
    } finally {
      await source.close();
    }
  }

  const opened = await openTarget(url, { cwd: input.cwd });
  const target = input.wrapTarget ? input.wrapTarget(opened) : opened;
  try {
    const names = tableNames(target, table);
    let statements: readonly string[] = [];
    return await audit.record(
      { command, action: 'write', source: target.fingerprint, table, run: run.runName },
      async () => {
        await assertNotSource(
          sameAsSource,
          (q) => target.query(q),
          target.hooks,
          parseDbUrl(url, input.cwd).redacted,
        );
        await assertTablesExist((s) => target.query(s), names, table);
        const task = progress.task('Writing scores', run.rows.length);
        const counts = await busyAsExit5(table, () =>
          target.transaction(() =>
            applyStaged(
              target,
              names,
              {
                action: 'upsert',
                forced,
                forceReason: forced ? force!.reason : null,
                nowIso: now().toISOString(),
              },
              (stage) => stageRows(target, stage, run.rows, task),
            ),
          ),
        );
        statements = counts.statements;
        task.done(`${counts.inserted} inserted, ${counts.updated} updated`);
        return {
          ...base,
          inserted: counts.inserted,
          updated: counts.updated,
          unchanged: run.rows.length - counts.inserted - counts.updated,
          target: target.fingerprint,
        };
      },
      (r) => ({
        rowsWritten: (r.inserted ?? 0) + (r.updated ?? 0),
        queryHashes: [...new Set(statements)].map(queryHash),
        details,
      }),
    );
  } finally {
    await opened.close();
  }
}

/** Equality of a stored value and a staged one (drivers may return numbers as strings). */
function sameValue(stored: unknown, staged: unknown): boolean {
  if (typeof staged === 'number') return Number(stored) === staged;
  return String(stored) === String(staged);
}
