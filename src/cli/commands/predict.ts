// `leadlift predict`: score every enrollment whose feature window has closed with a saved
// training run's artifacts, into a self-contained predict run folder.

import type { Command } from 'commander';
import { LeadliftError } from '../../errors.js';
import { parseWindow } from '../../extract/window.js';
import { type PredictInput, type PredictRun, runPredict } from '../../pipeline/predict.js';
import type { CommandContext } from '../context.js';
import { requireFlag } from '../format.js';

interface PredictFlags {
  artifactsDir?: string;
  since?: string;
  until?: string;
  snapshot?: string;
  runsDir?: string;
  runName?: string;
  sourceUrl?: string;
  outcomesQueryFile?: string;
}

/** Human lines of a predict run (shared with daily). */
export function predictSummary(run: PredictRun): string[] {
  const live = run.metrics.live as Record<string, unknown>;
  const v = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');
  const lines = [`Run ${run.dir}`];
  if (run.nScored === 0) {
    lines.push(
      'No enrollment in this window has a closed feature window: 0 rows scored (the run folder records the empty window).',
    );
  } else {
    lines.push(
      `${run.nScored.toLocaleString('en-US')} enrollments scored for ${run.target} with the model of run ${run.sourceRun}; ` +
        `${run.nLabeled.toLocaleString('en-US')} have a realized label.`,
    );
    if (run.nLabeled > 0) {
      lines.push(
        `Live on realized labels: PR-AUC ${v(live.pr_auc)}, ROC-AUC ${v(live.roc_auc)}, Brier ${v(live.brier)}`,
      );
    }
  }
  if (!run.gatesPassed) {
    lines.push(
      `Note: the source run's gates did not pass; persist-scores refuses these scores unless forced with a reason.`,
    );
  }
  return lines;
}

/** The JSON summary of a predict run (shared with daily). */
export function predictJson(run: PredictRun): Record<string, unknown> {
  return {
    run: run.dir,
    run_name: run.runName,
    source_run: run.sourceRun,
    target: run.target,
    rows_scored: run.nScored,
    rows_with_realized_label: run.nLabeled,
    live: run.metrics.live,
    source_gates_passed: run.gatesPassed,
    snapshot: run.snapshotDir,
    cleaned: run.cleanedDir,
    timings_seconds: run.timings,
  };
}

/** The input of predict from --since/--until or --snapshot. */
export function predictInputOf(
  flags: { since?: string; until?: string; snapshot?: string; outcomesQueryFile?: string },
  lookbackDays: number,
): PredictInput {
  if (flags.snapshot !== undefined) {
    if (flags.since !== undefined || flags.until !== undefined) {
      throw new LeadliftError(
        'cli.conflictingFlags',
        'Give either --snapshot DIR or --since and --until (to extract a window), not both.',
      );
    }
    if (flags.outcomesQueryFile !== undefined) {
      throw new LeadliftError(
        'cli.conflictingFlags',
        '--outcomes-query-file applies only with --since/--until (it replaces the outcomes query of the extraction); --snapshot reads data already extracted. Drop one of them.',
      );
    }
    return { kind: 'snapshot', dir: flags.snapshot };
  }
  const hint = 'or pass --snapshot DIR (a cleaned folder or a snapshot)';
  const window = parseWindow(
    requireFlag('--since', flags.since, hint),
    requireFlag('--until', flags.until, hint),
    lookbackDays,
  );
  return {
    kind: 'window',
    window,
    ...(flags.outcomesQueryFile ? { queryOverrides: { outcomes: flags.outcomesQueryFile } } : {}),
  };
}

export function registerPredict(program: Command, ctx: CommandContext): void {
  program
    .command('predict')
    .summary(
      'score enrollments with a saved training run (model.json, scaler.json) into a predict run folder',
    )
    .description(
      [
        'Scores every enrollment whose first outbound touch lies in the window and whose feature window (the hours after that touch the model may see, as in training) has closed, skipping leads that already reached the outcome before then.',
        'With --since/--until it extracts that window from the source (read-only, audited as command "predict"), checks it (exit 3 on a failed check) and cleans it; with --snapshot it reads a cleaned folder, or cleans a snapshot first.',
        "Writes <runs-dir>/<run-name>/: predictions.csv (train's columns; split \"scored\", in_sample 0; y_true where the label window has closed), metrics.json (counts, live PR-AUC/ROC-AUC/Brier on realized labels, the source run's gates), model.json, scaler.json and features.json copied from the source run, and manifest.json with the sha256 of every file and of the source run's manifest. See docs/predict.md.",
        'Artifacts trained on other feature columns are refused, naming the missing and extra columns (exit 2). An empty window is a success with zero rows.',
      ].join('\n\n'),
    )
    .option('--artifacts-dir <dir>', 'the training run folder whose model scores the rows (required)')
    .option('--since <date>', 'window start, inclusive: YYYY-MM-DD (UTC) or ISO-8601 time')
    .option('--until <date>', 'window end, exclusive; also the as-of time for closed windows')
    .option('--snapshot <dir>', 'instead of a window: a cleaned folder, or a snapshot (cleaned first)')
    .option(
      '--source-url <url>',
      'with --since/--until: sqlite:FILE | postgres://… | mssql://… (env LEADLIFT_SOURCE_URL)',
    )
    .option(
      '--outcomes-query-file <file>',
      "with --since/--until: SQL file replacing the pack's outcomes.sql",
    )
    .option('--runs-dir <dir>', 'parent folder of run folders (default tmp/runs)')
    .option(
      '--run-name <name>',
      'run folder name (default predict-<UTC start>, e.g. predict-20260301T061500Z)',
    )
    .action(async (flags: PredictFlags, cmd: Command) => {
      const config = await ctx.config(cmd, { runsDir: flags.runsDir, sourceUrl: flags.sourceUrl });
      const artifactsDir = requireFlag('--artifacts-dir', flags.artifactsDir, 'e.g. tmp/runs/<training run>');
      const run = await runPredict({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        artifactsDir,
        input: predictInputOf(flags, config.lookbackDays),
        runsDir: config.runsDir,
        runName: flags.runName,
        progress: ctx.progress(cmd),
      });
      for (const line of predictSummary(run)) ctx.say(cmd, line);
      ctx.json(cmd, { ok: true, ...predictJson(run) });
    });
}
