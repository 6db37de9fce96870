// `leadlift scores-table`, `persist-scores` and `rollback-scores`: the score tables' DDL,
// writing a run's scores (upsert + history) and putting an earlier run's back.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { DIALECTS, type Dialect, parseDbUrl } from '../../db/index.js';
import { closest, LeadliftError } from '../../errors.js';
import {
  createScoresTables,
  DEFAULT_SCORES_TABLE,
  type PersistScoresResult,
  persistScores,
  rollbackScores,
  SCORE_SPLITS,
  type ScoreSplit,
  scoresDdl,
  scoresDdlFileText,
} from '../../scores/index.js';
import { formatRecords } from '../../text-table.js';
import type { CommandContext } from '../context.js';
import { requireFlag } from '../format.js';

const TARGET_HELP =
  'database holding the score tables: sqlite:FILE | postgres://user:pass@host/db | mssql://user:pass@host/db (env LEADLIFT_TARGET_URL); never the extraction source, except the embedded SQLite demo DB';
const TABLE_HELP = `scores table, schema.table or table; its history is <table>_history (default ${DEFAULT_SCORES_TABLE}; SQLite folds the schema into the name: dbo_lead_scores)`;

function parseChoice<T extends string>(flag: string, allowed: readonly T[]) {
  return (value: string): T => {
    const v = value.trim().toLowerCase();
    if ((allowed as readonly string[]).includes(v)) return v as T;
    const guess = closest(v, allowed);
    throw new InvalidArgumentError(
      `Unknown ${flag} "${value}"; allowed: ${allowed.join(', ')}.${guess ? ` Did you mean ${guess}?` : ''}`,
    );
  };
}

interface TableFlags {
  print?: boolean;
  create?: boolean;
  dialect?: Dialect;
  table?: string;
  targetUrl?: string;
}

interface PersistFlags {
  predictionsCsv?: string;
  metricsJson?: string;
  split: ScoreSplit;
  table?: string;
  targetUrl?: string;
  dryRun?: boolean;
  offline?: boolean;
  force?: boolean;
  reason?: string;
}

interface RollbackFlags {
  toRun?: string;
  table?: string;
  targetUrl?: string;
  dryRun?: boolean;
}

/** Registers `leadlift scores-table`. */
export function registerScoresTable(program: Command, ctx: CommandContext): void {
  program
    .command('scores-table')
    .summary('print the DDL of the score tables (lead_scores + history), or create them')
    .description(
      'Prints the DDL of the scores table and its append-only history for SQLite, PostgreSQL or SQL Server (what ' +
        'schema/lead-scores.<dialect>.sql holds; see docs/scores.md). With --create, creates both in --target-url in one ' +
        'transaction; tables and indexes that already exist are left as they are. --create is audited.',
    )
    .option('--print', 'print the DDL on stdout (the default without --create)')
    .option(
      '--create',
      'create both tables in the --target-url database (an SQLite file is created if missing)',
    )
    .addOption(
      new Option(
        '--dialect <name>',
        `SQL dialect to print: ${DIALECTS.join(' | ')} (default: the dialect of --target-url, else sqlite)`,
      ).argParser(parseChoice('dialect', DIALECTS)),
    )
    .option('--table <name>', TABLE_HELP)
    .option('--target-url <url>', TARGET_HELP)
    .action(async (flags: TableFlags, cmd: Command) => {
      const table = flags.table ?? DEFAULT_SCORES_TABLE;
      if (!flags.create) {
        if (flags.targetUrl !== undefined) {
          throw new LeadliftError(
            'scores.targetWithoutCreate',
            '--target-url is only used with --create; add --create to create the tables there, or drop --target-url to print the DDL.',
          );
        }
        printDdl(ctx, cmd, flags.dialect ?? 'sqlite', table);
        return;
      }
      const config = await ctx.config(cmd, { targetUrl: flags.targetUrl });
      if (config.targetUrl !== undefined && flags.dialect !== undefined) {
        const d = parseDbUrl(config.targetUrl, ctx.io.cwd, 'target').dialect;
        if (d !== flags.dialect) {
          throw new LeadliftError(
            'scores.dialectMismatch',
            `--dialect ${flags.dialect} does not match the target database, which is ${d}; drop --dialect or use ${d}.`,
          );
        }
      }
      const r = await createScoresTables({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        table,
        createFile: true,
      });
      if (flags.print) printDdl(ctx, cmd, r.target.dialect, table);
      ctx.say(
        cmd,
        `Score tables ${table} and ${table}_history are in ${r.target.dialect} database ${r.target.database} (created where missing).`,
      );
      ctx.json(cmd, {
        ok: true,
        table,
        history: `${table}_history`,
        target: r.target,
        statements: r.statements,
      });
    });
}

function printDdl(ctx: CommandContext, cmd: Command, dialect: Dialect, table: string): void {
  if (ctx.globals(cmd).json) ctx.json(cmd, { dialect, table, statements: scoresDdl(dialect, table) });
  else ctx.io.stdout(scoresDdlFileText(dialect, table));
}

function countsTable(r: PersistScoresResult): string {
  const splits = Object.entries(r.rowsBySplit).map(([split, rows]) => ({
    split,
    rows: rows.toLocaleString('en-US'),
  }));
  return formatRecords(splits.length > 0 ? splits : [{ split: '(none)', rows: '0' }]);
}

/** Registers `leadlift persist-scores`. */
export function registerPersistScores(program: Command, ctx: CommandContext): void {
  program
    .command('persist-scores')
    .summary("upsert a run's scores into lead_scores (+ history), or show what would change with --dry-run")
    .description(
      "Writes a run folder's scores into the scores table, keyed on (org_id, enrollment_id, label_col): new keys are " +
        'inserted, changed ones updated, equal ones left alone (a repeat writes nothing); every insert or change is also ' +
        'appended to <table>_history. One transaction: a failure leaves both tables as they were. Checks the run first ' +
        "(columns, ids, scores in 0..1, duplicate keys, the files' hashes in manifest.json, the gates) and writes nothing " +
        'when a check fails. Exit codes: 2 bad input, 3 gates failed (see --force), 4 database, 5 another writer holds the tables. See docs/scores.md.',
    )
    .option('--predictions-csv <file>', "the run's predictions.csv")
    .option('--metrics-json <file>', "the run's metrics.json (its manifest.json must be beside it)")
    .addOption(
      new Option(
        '--split <which>',
        'rows to write: test = out-of-sample rows (in_sample 0: test rows of a train run, every row of a predict run); train = in-sample rows (train + validation); all = both',
      )
        .argParser(parseChoice('--split', SCORE_SPLITS))
        .default('test'),
    )
    .option('--table <name>', TABLE_HELP)
    .option('--target-url <url>', TARGET_HELP)
    .option(
      '--dry-run',
      'read-only: print rows per split and how many keys would be inserted or updated; write nothing',
    )
    .option('--offline', 'with --dry-run: connect to no database (checks the run and counts rows only)')
    .option(
      '--force',
      'write a run whose gates failed (needs --reason; recorded in the history and audit log)',
    )
    .option('--reason <text>', 'why --force is used')
    .action(async (flags: PersistFlags, cmd: Command) => {
      if (flags.offline && !flags.dryRun) {
        throw new LeadliftError(
          'cli.conflictingFlags',
          '--offline only goes with --dry-run; add --dry-run or drop --offline.',
        );
      }
      if (flags.reason !== undefined && !flags.force) {
        throw new LeadliftError(
          'cli.conflictingFlags',
          '--reason goes with --force; add --force or drop --reason.',
        );
      }
      if (flags.force && (flags.reason === undefined || flags.reason.trim() === '')) {
        throw new LeadliftError(
          'scores.forceWithoutReason',
          '--force needs --reason "…" saying why scores of a run whose gates failed are written.',
        );
      }
      const config = await ctx.config(cmd, { targetUrl: flags.targetUrl });
      const r = await persistScores({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        predictionsCsv: requireFlag('--predictions-csv', flags.predictionsCsv),
        metricsJson: requireFlag('--metrics-json', flags.metricsJson),
        split: flags.split,
        ...(flags.table !== undefined ? { table: flags.table } : {}),
        dryRun: flags.dryRun === true,
        offline: flags.offline === true,
        ...(flags.force ? { force: { reason: flags.reason ?? '' } } : {}),
        progress: ctx.progress(cmd),
      });
      const verb = r.dryRun ? 'Dry run, nothing written' : 'Written';
      ctx.say(
        cmd,
        `${verb}: run ${r.run} → ${r.table} (--split ${flags.split}${r.forced ? ', forced past failed gates' : ''})`,
      );
      ctx.say(cmd, countsTable(r));
      if (r.inserted === null) {
        ctx.say(cmd, `${r.selected} rows selected; offline, so new vs changed keys are not known.`);
      } else {
        const would = r.dryRun ? 'would be ' : '';
        ctx.say(
          cmd,
          `${r.inserted} ${would}inserted, ${r.updated} ${would}updated, ${r.unchanged} unchanged (of ${r.selected} selected).`,
        );
      }
      ctx.json(cmd, { ok: true, ...r });
    });
}

/** Registers `leadlift rollback-scores`. */
export function registerRollbackScores(program: Command, ctx: CommandContext): void {
  program
    .command('rollback-scores')
    .summary('put back the scores an earlier run wrote, from the history')
    .description(
      'Restores, from <table>_history, exactly the keys --to-run wrote with the values it wrote (its latest entry per ' +
        'key); keys it never wrote are left alone. One transaction; every restored key is recorded in the history as ' +
        'action rollback. Audited. --dry-run counts what would change over a read-only connection.',
    )
    .option('--to-run <run>', 'run name whose scores are put back (run_name in the history)')
    .option('--table <name>', TABLE_HELP)
    .option('--target-url <url>', TARGET_HELP)
    .option('--dry-run', 'read-only: print how many keys would be inserted or set back; write nothing')
    .action(async (flags: RollbackFlags, cmd: Command) => {
      const config = await ctx.config(cmd, { targetUrl: flags.targetUrl });
      const r = await rollbackScores({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        toRun: requireFlag('--to-run', flags.toRun),
        ...(flags.table !== undefined ? { table: flags.table } : {}),
        dryRun: flags.dryRun === true,
        progress: ctx.progress(cmd),
      });
      const would = r.dryRun ? 'would be ' : '';
      ctx.say(
        cmd,
        `${r.dryRun ? 'Dry run, nothing written' : 'Rolled back'}: ${r.table} to the scores of run ${r.run}`,
      );
      ctx.say(
        cmd,
        `${r.keys} keys of that run: ${r.inserted} ${would}inserted, ${r.updated} ${would}set back, ${r.unchanged} already equal.`,
      );
      ctx.json(cmd, { ok: true, ...r });
    });
}
