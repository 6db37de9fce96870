// `leadlift daily`: the scheduled job. Predict mode scores the last --days-back days with
// the serving model and persists the scores; train mode retrains a candidate model that
// is never promoted by itself. One job at a time per target (exit 5 when locked).

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import { closest, LeadliftError } from '../../errors.js';
import {
  DAILY_MODES,
  type DailyMode,
  type DailyResult,
  DEFAULT_DAYS_BACK,
  dailyWindow,
  type PersistStep,
  runDaily,
} from '../../pipeline/daily.js';
import type { Progress } from '../../progress.js';
import { persistScores, resolveTargetUrl } from '../../scores/persist.js';
import { formatRecords } from '../../text-table.js';
import type { CommandContext } from '../context.js';
import { intFlag, requireFlag } from '../format.js';
import { predictJson, predictSummary } from './predict.js';

interface DailyFlags {
  artifactsDir?: string;
  mode?: string;
  daysBack?: string;
  since?: string;
  until?: string;
  outcomesQueryFile?: string;
  trainingExamplesQueryFile?: string;
  persistScores?: boolean;
  targetUrl?: string;
  sourceUrl?: string;
  runsDir?: string;
}

/** The persist step of the CLI's daily job: `persistScores` into the target's score table. */
export function persistStepOf(args: {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly progress: Progress;
}): PersistStep {
  return async ({ predictionsCsv, metricsJson, command }) => {
    const r = await persistScores({ ...args, predictionsCsv, metricsJson, command });
    // Counts are null only in offline dry runs, which daily never makes.
    return { inserted: r.inserted ?? 0, updated: r.updated ?? 0 };
  };
}

export function registerDaily(program: Command, ctx: CommandContext): void {
  program
    .command('daily')
    .summary('the scheduled job: predict and persist scores (or retrain a candidate), one job at a time')
    .description(
      [
        'Predict mode (default): extracts the last --days-back whole UTC days — [start of today − N days, start of today), half-open, in UTC; today is left out because its data is still arriving — checks and cleans them, scores every enrollment whose feature window has closed with the serving model (--artifacts-dir), writes a predict run folder and persists the scores (unless --no-persist-scores). Scores of a model whose gates failed are not persisted (exit 3).',
        'Train mode (--mode train, e.g. weekly with --days-back 120): trains a candidate run folder on the window; it never replaces the serving model — the summary says how to promote it.',
        'One job at a time per target: a lock file under the runs folder makes an overlapping job exit 5 naming the holder; a stale lock (its process gone, or older than 12 h) is reported and taken over. Folders left half-written by a crashed job are removed.',
        'Exit codes: 0 ok (also an empty window), 1 internal error, 2 usage or bad input, 3 a gate failed (data quality, or the model gates), 4 database, 5 another job holds the lock. See docs/daily.md.',
      ].join('\n\n'),
    )
    .option('--artifacts-dir <dir>', 'the serving model: a training run folder (required; never modified)')
    .option('--mode <mode>', `predict (default) or train`)
    .option(
      '--days-back <n>',
      `window length in whole UTC days ending at the start of today (default ${DEFAULT_DAYS_BACK})`,
    )
    .option('--since <date>', 'instead of --days-back: window start, inclusive (YYYY-MM-DD UTC or ISO-8601)')
    .option('--until <date>', 'instead of --days-back: window end, exclusive')
    .option('--outcomes-query-file <file>', "SQL file replacing the pack's outcomes.sql")
    .option(
      '--training-examples-query-file <file>',
      'mode train: train on this read-only SELECT (a flat table) instead of an extracted snapshot',
    )
    .option(
      '--no-persist-scores',
      'mode predict: write the predict run folder only, do not persist the scores',
    )
    .option(
      '--target-url <url>',
      'score database the scores are persisted to (env LEADLIFT_TARGET_URL); the lock is per label and target',
    )
    .option(
      '--source-url <url>',
      'source DB: sqlite:FILE | postgres://… | mssql://… (env LEADLIFT_SOURCE_URL)',
    )
    .option('--runs-dir <dir>', 'parent folder of run folders and of the lock file (default tmp/runs)')
    .action(async (flags: DailyFlags, cmd: Command) => {
      const config = await ctx.config(cmd, {
        runsDir: flags.runsDir,
        sourceUrl: flags.sourceUrl,
        targetUrl: flags.targetUrl,
      });
      const artifactsDir = requireFlag(
        '--artifacts-dir',
        flags.artifactsDir,
        'the serving training run, e.g. tmp/runs/<run>',
      );
      const mode = modeOf(flags.mode);
      const window = dailyWindow(
        {
          since: flags.since,
          until: flags.until,
          daysBack: intFlag('--days-back', flags.daysBack, 1, 3650),
        },
        new Date(),
        config.lookbackDays,
      );
      if (mode === 'predict' && flags.trainingExamplesQueryFile !== undefined) {
        throw new LeadliftError(
          'cli.conflictingFlags',
          '--training-examples-query-file is for --mode train; predict mode builds its features from the extracted window.',
        );
      }
      const persistOn = mode === 'predict' && flags.persistScores !== false;
      // Before the lock and the extract: a job that can't persist fails at once.
      if (persistOn) resolveTargetUrl(config, undefined, ctx.io.cwd);
      const progress = ctx.progress(cmd);
      const persist: PersistStep | null = persistOn
        ? persistStepOf({ config, cwd: ctx.io.cwd, env: ctx.io.env, progress })
        : null;
      const result = await runDaily({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        artifactsDir,
        mode,
        window,
        ...(flags.outcomesQueryFile ? { queryOverrides: { outcomes: flags.outcomesQueryFile } } : {}),
        trainingExamplesQueryFile: flags.trainingExamplesQueryFile,
        persist,
        progress,
      });
      report(result, artifactsDir, cmd, ctx);
    });
}

function modeOf(value: string | undefined): DailyMode {
  if (value === undefined) return 'predict';
  if ((DAILY_MODES as readonly string[]).includes(value)) return value as DailyMode;
  const near = closest(value, DAILY_MODES);
  throw new LeadliftError(
    'cli.badFlag',
    `--mode "${value}" is not a mode; use ${DAILY_MODES.join(' or ')}${near ? ` (did you mean ${near}?)` : ''}.`,
    { details: { flag: '--mode', value } },
  );
}

function report(r: DailyResult, artifactsDir: string, cmd: Command, ctx: CommandContext): void {
  ctx.say(cmd, `leadlift daily (${r.mode}): window [${r.window.since}, ${r.window.until})`);
  if (r.lock.tookOver) {
    const h = r.lock.tookOver.holder;
    ctx.say(
      cmd,
      `Took over a stale lock${h ? ` of ${h.command} (pid ${h.pid} on ${h.host}, started ${h.started_at_utc})` : ''}: ${r.lock.tookOver.reason}.`,
    );
  }
  if (r.removedTemp.length > 0) {
    ctx.say(
      cmd,
      `Removed ${r.removedTemp.length} folder(s) left half-written by a crashed job: ${r.removedTemp.join(', ')}`,
    );
  }
  if (r.predict) for (const line of predictSummary(r.predict)) ctx.say(cmd, line);
  if (r.persisted) {
    ctx.say(
      cmd,
      `Persisted: ${r.persisted.inserted.toLocaleString('en-US')} inserted, ${r.persisted.updated.toLocaleString('en-US')} updated.`,
    );
  } else if (r.mode === 'predict') {
    ctx.say(cmd, 'Scores not persisted (--no-persist-scores).');
  }
  const candidate = r.candidate;
  if (candidate) {
    const g = candidate.result.gates;
    ctx.say(
      cmd,
      `Candidate run ${candidate.dir}: ${candidate.result.selection.selected} selected; gates ${g.passed ? 'passed' : 'FAILED'} — ${g.reason}`,
    );
    ctx.say(
      cmd,
      `The serving model (${artifactsDir}) is unchanged. To promote the candidate, point the scheduled job's --artifacts-dir at it, e.g.\n  ln -sfn ${resolve(candidate.dir)} tmp/runs/serving   # with --artifacts-dir tmp/runs/serving`,
    );
  }
  ctx.say(
    cmd,
    formatRecords(Object.entries(r.timings).map(([stage, s]) => ({ stage, seconds: s.toFixed(2) }))),
  );
  ctx.json(cmd, {
    ok: candidate ? candidate.result.gates.passed : true,
    mode: r.mode,
    window: r.window,
    lock: r.lock,
    removed_temp: r.removedTemp,
    predict: r.predict ? predictJson(r.predict) : null,
    persisted: r.persisted ?? null,
    candidate: candidate
      ? { run: candidate.dir, selected: candidate.result.selection.selected, gates: candidate.result.gates }
      : null,
    timings_seconds: r.timings,
  });
  if (candidate && !candidate.result.gates.passed) {
    ctx.fail(
      new LeadliftError(
        'daily.candidateGateFailed',
        `The candidate ${candidate.dir} failed its gates (${candidate.result.gates.reason}); do not promote it.`,
        { exitCode: 3 },
      ),
    );
  }
}
