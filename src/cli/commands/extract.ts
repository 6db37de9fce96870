// `leadlift extract`: source DB → immutable snapshot folder, checked.

import type { Command } from 'commander';
import { formatQualityTable, qualityError } from '../../check/index.js';
import { LeadliftError } from '../../errors.js';
import { parseWindow, windowFromDaysBack } from '../../extract/window.js';
import { runExtract } from '../../pipeline/extract.js';
import { formatRecords } from '../../text-table.js';
import type { CommandContext } from '../context.js';
import { intFlag, requireFlag } from '../format.js';

interface ExtractFlags {
  since?: string;
  until?: string;
  daysBack?: string;
  sourceUrl?: string;
  queryDir?: string;
  out?: string;
  lookbackDays?: string;
  outcomesQueryFile?: string;
  piiKeyEnv?: string;
}

export function registerExtract(program: Command, ctx: CommandContext): void {
  program
    .command('extract')
    .summary('extract a window of the source DB into a snapshot (PII hashed), then check it')
    .description(
      'Streams every canonical entity created in [--since, --until) (plus --lookback-days before it) from the source\n' +
        'database, read-only, through a query pack into an immutable snapshot folder with manifest.json, replacing PII\n' +
        'by keyed hashes (key from LEADLIFT_PII_KEY; demo DBs use a built-in key). Then runs the quality checks and\n' +
        'writes quality.json. Exit code 3 when a check with severity error fails.',
    )
    .option('--since <date>', 'window start, inclusive: YYYY-MM-DD (UTC) or ISO-8601 time')
    .option('--until <date>', 'window end, exclusive: YYYY-MM-DD (UTC) or ISO-8601 time')
    .option('--days-back <n>', 'instead of --since/--until: the last n whole UTC days before today')
    .option(
      '--source-url <url>',
      'source DB: sqlite:FILE | postgres://… | mssql://… (env LEADLIFT_SOURCE_URL)',
    )
    .option('--query-dir <dir>', "query pack folder (default: the shipped pack for the source's dialect)")
    .option('--out <dir>', 'snapshot folder to create (default: <snapshotsDir>/<timestamp>)')
    .option('--lookback-days <n>', 'days before --since also extracted for history features (default 30)')
    .option('--outcomes-query-file <file>', "SQL file replacing the pack's outcomes.sql")
    .option(
      '--pii-key-env <name>',
      'environment variable holding the PII hashing key (default LEADLIFT_PII_KEY)',
    )
    .action(async (flags: ExtractFlags, cmd: Command) => {
      const config = await ctx.config(cmd, {
        sourceUrl: flags.sourceUrl,
        queryDir: flags.queryDir,
        lookbackDays: intFlag('--lookback-days', flags.lookbackDays, 0, 3650),
        piiKeyEnv: flags.piiKeyEnv,
      });
      if (flags.daysBack !== undefined && (flags.since !== undefined || flags.until !== undefined)) {
        throw new LeadliftError(
          'cli.conflictingFlags',
          '--days-back sets the window itself; give either --days-back N or --since and --until, not both.',
        );
      }
      const window =
        flags.daysBack !== undefined
          ? windowFromDaysBack(
              intFlag('--days-back', flags.daysBack, 1, 3650) ?? 1,
              new Date(),
              config.lookbackDays,
            )
          : parseWindow(
              requireFlag('--since', flags.since, 'or use --days-back N'),
              requireFlag('--until', flags.until, 'or use --days-back N'),
              config.lookbackDays,
            );
      const result = await runExtract({
        config,
        window,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        outDir: flags.out,
        queryOverrides: flags.outcomesQueryFile ? { outcomes: flags.outcomesQueryFile } : {},
        progress: ctx.progress(cmd),
      });
      const entities = Object.entries(result.manifest.entities).map(([name, m]) => ({
        entity: name,
        rows: m.rows.toLocaleString('en-US'),
        'ignored columns': m.ignored_columns.join(', ') || '-',
      }));
      const enrollments = result.manifest.entities.enrollments.rows;
      ctx.say(cmd, `Snapshot ${result.dir}`);
      ctx.say(cmd, `Window [${window.since}, ${window.until}) with ${window.lookbackDays} days of look-back`);
      ctx.say(cmd, formatRecords(entities));
      if (enrollments === 0)
        ctx.say(cmd, 'No enrollments in this window: the snapshot holds no rows to score.');
      ctx.say(cmd, '');
      ctx.say(cmd, formatQualityTable(result.quality));
      ctx.json(cmd, {
        ok: result.quality.ok,
        snapshot: result.dir,
        manifest: result.manifest,
        quality: result.quality,
      });
      const failure = qualityError(result.quality);
      if (failure) ctx.fail(failure);
    });
}
