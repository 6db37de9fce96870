// `leadlift train`: a table of training examples (CSV or one SELECT), or a cleaned snapshot
// (labels and point-in-time features built from it) → a run folder per target with the
// selected model, its evaluation against the baseline and the gates.

import type { Command } from 'commander';
import { closest, LeadliftError } from '../../errors.js';
import { TARGETS, type Target } from '../../features/index.js';
import { type FlatTableInput, runTrainFlat, type TrainRunSummary } from '../../pipeline/train.js';
import { runTrainCleaned } from '../../pipeline/train-cleaned.js';
import { formatRecords } from '../../text-table.js';
import { gateConfigOf, type TrainConfig } from '../../train/config.js';
import type { TrainFlatOptions } from '../../train/index.js';
import { SPLIT_MODES, type SplitMode } from '../../train/split.js';
import type { CommandContext } from '../context.js';
import { intFlag } from '../format.js';

interface TrainFlags {
  cleaned?: string;
  target?: string[];
  featureWindowHours?: string;
  trainingExamplesCsv?: string;
  trainingExamplesQueryFile?: string;
  sourceUrl?: string;
  labelCol?: string;
  timeCol?: string;
  idCols?: string;
  excludeCols?: string;
  positiveLabel?: string;
  split?: string;
  runsDir?: string;
  runName?: string;
  seed?: string;
  testFraction?: string;
  validationFraction?: string;
  recentCheck?: boolean;
  nBoot?: string;
  gatePrAucRelative?: string;
  gateBrierRelative?: string;
}

function fractionFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!/^\d*\.?\d+$/.test(value.trim()) || !(x > 0 && x < 1)) {
    throw new LeadliftError('cli.badFlag', `${flag} "${value}" must be a number between 0 and 1, e.g. 0.2.`, {
      details: { flag, value },
    });
  }
  return x;
}

function positiveFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0) {
    throw new LeadliftError('cli.badFlag', `${flag} "${value}" must be a positive number, e.g. 1.05.`, {
      details: { flag, value },
    });
  }
  return x;
}

function listFlag(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const fmt = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));

export function registerTrain(program: Command, ctx: CommandContext): void {
  program
    .command('train')
    .summary('train and evaluate lead-scoring models on a flat table of training examples')
    .description(
      [
        "Flat-table mode (the seed's gold view): one row per example, a 0/1 label column, every other column a feature unless named as time, id or excluded.",
        "Splits off a test set (the latest --test-fraction by --time-col, else a seeded stratified random split), fits logistic regression (the baseline) and gradient-boosted trees, calibrates both (none or Platt), selects on a validation slice of the training rows, evaluates on the test rows with bootstrap 95% intervals and applies the gates (default: PR-AUC >= reference x 1.05 and Brier <= the reference's; the reference is the logistic-regression baseline when the trees are selected, and the best simpler scorer — rules, campaign comparator or the no-skill prior — when selection keeps the baseline, reported as baseline kept).",
        'Writes <runs-dir>/<run-name>/ (see docs/run-folder.md) even when a gate fails, then exits 3 with the reason.',
        'Non-numeric columns are categoricals: integer codes for the trees, one-hot (32 most frequent values) for the logistic regression; blank/NA cells are missing.',
        'Also reported on the same test rows, not gated: a rules baseline (the engagement score eng_score mapped to [0, 1]; without it a constant) and, with --cleaned, the current-campaign comparator (historical booking rate of the variant, else step, else campaign). With an org_id id column, metrics.json also holds PR-AUC, ROC-AUC and Brier per org (by_org).',
      ].join('\n\n'),
    )
    .option(
      '--training-examples-csv <file>',
      'the training table as CSV (header line; "," ";" or tab separated)',
    )
    .option(
      '--training-examples-query-file <file>',
      'instead of a CSV: a file with one read-only SELECT returning the table, run against --source-url',
    )
    .option(
      '--source-url <url>',
      'with --training-examples-query-file: sqlite:FILE | postgres://… | mssql://… (env LEADLIFT_SOURCE_URL)',
    )
    .option(
      '--cleaned <dir>',
      'train on a folder written by `leadlift clean`: labels and point-in-time features are built from it',
    )
    .option(
      '--target <name...>',
      `with --cleaned: targets to train, one run each (default all: ${TARGETS.join(', ')})`,
    )
    .option(
      '--feature-window-hours <h>',
      'with --cleaned: hours after the first touch that features may see (default 24)',
    )
    .option('--label-col <name>', 'the label column: 0/1, yes/no or true/false (required for a table)')
    .option('--positive-label <value>', 'for a label with two other values: the one meaning 1')
    .option(
      '--time-col <name>',
      'a date/time column (ISO 8601, UTC unless an offset is given): time-ordered splits',
    )
    .option('--id-cols <a,b>', 'key columns copied to the outputs, not used as features')
    .option('--exclude-cols <x,y>', 'columns left out (e.g. ones that leak the outcome)')
    .option(
      '--split <mode>',
      'time (latest rows by --time-col; default with --time-col) | random (stratified, seeded; default without) | tail (last rows in file order)',
    )
    .option('--test-fraction <f>', 'share of rows held out for the test (default 0.2)')
    .option(
      '--validation-fraction <f>',
      'share of training rows used for early stopping, calibration and selection (default 0.2)',
    )
    .option(
      '--no-recent-check',
      'time-ordered splits: let the trees win on the whole validation slice alone (default: config train.recentCheck, true: they must also win on its most recent half)',
    )
    .option('--seed <n>', 'seed of every random choice (default 42)')
    .option('--n-boot <n>', 'bootstrap resamples per interval (default 1000)')
    .option(
      '--gate-pr-auc-relative <x>',
      'gate: selected PR-AUC >= the reference PR-AUC x this (default: config train.gates.prAucRelative, 1.05)',
    )
    .option(
      '--gate-brier-relative <x>',
      'gate: selected Brier <= the reference Brier x this (default: config train.gates.brierRelative, 1)',
    )
    .option('--runs-dir <dir>', 'parent folder of run folders (default tmp/runs)')
    .option('--run-name <name>', 'run folder name (default the UTC start time, e.g. 20260301T061500Z)')
    .action(async (flags: TrainFlags, cmd: Command) => {
      const config = await ctx.config(cmd, { runsDir: flags.runsDir, sourceUrl: flags.sourceUrl });
      if (flags.cleaned !== undefined) {
        await trainOnCleaned(flags, config.runsDir, config.train, cmd, ctx);
        return;
      }
      const input = inputOf(flags, config.sourceUrl);
      if (flags.labelCol === undefined || flags.labelCol === '') {
        throw new LeadliftError(
          'cli.missingFlag',
          '--label-col is required: name the 0/1 label column of the table.',
          {
            details: { flag: '--label-col' },
          },
        );
      }
      if (flags.split !== undefined && !SPLIT_MODES.includes(flags.split as SplitMode)) {
        throw new LeadliftError(
          'cli.badFlag',
          `--split "${flags.split}" is not a split mode; use one of ${SPLIT_MODES.join(', ')}.`,
          { details: { flag: '--split', value: flags.split } },
        );
      }
      const run = await runTrainFlat({
        cwd: ctx.io.cwd,
        input,
        spec: {
          labelCol: flags.labelCol,
          timeCol: flags.timeCol,
          idCols: listFlag(flags.idCols),
          excludeCols: listFlag(flags.excludeCols),
          positiveLabel: flags.positiveLabel,
        },
        runsDir: config.runsDir,
        runName: flags.runName,
        train: trainOptionsOf(flags, config.train),
        progress: ctx.progress(cmd),
      });
      report(run, cmd, ctx);
    });
}

/** Training options from flags, shared by both input modes. */
function trainOptionsOf(flags: TrainFlags, config: TrainConfig): TrainFlatOptions {
  const gates = gateConfigOf({
    prAucRelative: positiveFlag(
      '--gate-pr-auc-relative',
      flags.gatePrAucRelative,
      config.gates.prAucRelative,
    ),
    brierRelative: positiveFlag('--gate-brier-relative', flags.gateBrierRelative, config.gates.brierRelative),
  });
  return {
    seed: intFlag('--seed', flags.seed, 0, 4_294_967_295) ?? 42,
    testFraction: fractionFlag('--test-fraction', flags.testFraction, 0.2),
    validationFraction: fractionFlag('--validation-fraction', flags.validationFraction, 0.2),
    recentCheck: flags.recentCheck === false ? false : config.recentCheck,
    nBoot: intFlag('--n-boot', flags.nBoot, 0, 100_000) ?? 1000,
    gates,
    ...(flags.split ? { split: flags.split as SplitMode } : {}),
  };
}

/** --cleaned: labels and features from a cleaned folder, one run per target. */
async function trainOnCleaned(
  flags: TrainFlags,
  runsDir: string,
  trainConfig: TrainConfig,
  cmd: Command,
  ctx: CommandContext,
): Promise<void> {
  if (
    flags.trainingExamplesCsv !== undefined ||
    flags.trainingExamplesQueryFile !== undefined ||
    flags.labelCol !== undefined
  ) {
    throw new LeadliftError(
      'cli.conflictingFlags',
      '--cleaned builds its own labels and features; leave out --training-examples-csv, --training-examples-query-file and --label-col.',
    );
  }
  const targets = flags.target?.map((t) => {
    if (!(TARGETS as readonly string[]).includes(t)) {
      const near = closest(t, TARGETS);
      throw new LeadliftError(
        'cli.badFlag',
        `--target "${t}" is not a target; use ${TARGETS.join(', ')}${near ? ` (did you mean ${near}?)` : ''}.`,
        { details: { flag: '--target', value: t } },
      );
    }
    return t as Target;
  });
  const hours =
    flags.featureWindowHours === undefined
      ? undefined
      : positiveFlag('--feature-window-hours', flags.featureWindowHours, 24);
  const result = await runTrainCleaned({
    cwd: ctx.io.cwd,
    cleanedDir: flags.cleaned!,
    targets,
    featureWindowHours: hours,
    runsDir,
    runName: flags.runName,
    train: trainOptionsOf(flags, trainConfig),
    progress: ctx.progress(cmd),
  });
  for (const { target, run } of result.runs) {
    const l = result.set.labels[target]!;
    ctx.say(
      cmd,
      `\n${target}: ${l.nEligible.toLocaleString('en-US')} eligible enrollments (${l.nPositive.toLocaleString('en-US')} positive); excluded ${Object.entries(
        l.exclusions,
      )
        .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
    report(run, cmd, ctx);
  }
}

/** How a gate status reads in the summary. */
export const GATE_STATUS = {
  passed: 'passed',
  baseline_kept: 'baseline kept (may serve)',
  failed: 'FAILED',
} as const;

/** Prints one run's summary, its JSON, and fails with exit 3 when its gates failed. */
function report(run: TrainRunSummary, cmd: Command, ctx: CommandContext): void {
  const r = run.result;
  const sel = r.evaluation.selected;
  const base = r.evaluation.baseline;
  const iv = (m: { point: number | null; lower: number | null; upper: number | null }, d = 3) =>
    m.point === null
      ? 'n/a'
      : m.lower === null
        ? fmt(m.point, d)
        : `${fmt(m.point, d)} [${fmt(m.lower, d)}, ${fmt(m.upper, d)}]`;
  ctx.say(cmd, `Run ${run.dir}`);
  ctx.say(
    cmd,
    `${r.table.nRows.toLocaleString('en-US')} rows, ${r.table.featureCols.length} features; split ${r.options.split}: ` +
      `${r.splitOf.filter((s) => s !== 'test').length} train (incl. validation), ${sel.n_samples} test`,
  );
  ctx.say(cmd, `Selected ${r.selection.selected}: ${r.selection.reason}`);
  ctx.say(cmd, '');
  ctx.say(
    cmd,
    formatRecords(
      (
        [
          [`selected (${r.selection.selected})`, sel],
          ['baseline (logreg)', base],
          ['rules', r.evaluation.rules],
          ...(r.evaluation.comparator ? [['campaign comparator', r.evaluation.comparator] as const] : []),
        ] as const
      ).map(([name, m]) => {
        return {
          model: name,
          'PR-AUC [95% CI]': iv(m.pr_auc),
          'ROC-AUC': iv(m.roc_auc),
          Brier: iv(m.brier, 4),
          'lift@10%': iv(m.lift.top_10pct, 2),
        };
      }),
    ),
  );
  const top = [...r.importance]
    .sort((a, b) => b.mean_abs_contribution - a.mean_abs_contribution)
    .slice(0, 5)
    .map((f) => f.feature);
  ctx.say(cmd, '');
  ctx.say(cmd, `Top features: ${top.join(', ')}`);
  ctx.say(cmd, `Gates: ${GATE_STATUS[r.gates.status]} (against ${r.gates.reference}) — ${r.gates.reason}`);
  ctx.json(cmd, {
    ok: r.gates.passed,
    run: run.dir,
    selected: r.selection.selected,
    selection_reason: r.selection.reason,
    test: { selected: sel, baseline: base, rules: r.evaluation.rules, comparator: r.evaluation.comparator },
    by_org: r.byOrg,
    gates: r.gates,
    top_features: top,
  });
  if (!r.gates.passed) {
    ctx.fail(
      new LeadliftError('train.gateFailed', `${r.gates.reason} — the run folder ${run.dir} records it.`, {
        exitCode: 3,
      }),
    );
  }
}

function inputOf(flags: TrainFlags, sourceUrl: string): FlatTableInput {
  const csv = flags.trainingExamplesCsv;
  const query = flags.trainingExamplesQueryFile;
  if (csv !== undefined && query !== undefined) {
    throw new LeadliftError(
      'cli.conflictingFlags',
      'Give either --training-examples-csv or --training-examples-query-file, not both.',
    );
  }
  if (csv !== undefined) return { kind: 'csv', path: csv };
  if (query !== undefined) return { kind: 'query', queryFile: query, sourceUrl };
  throw new LeadliftError(
    'cli.missingFlag',
    'train needs a table of training examples: --training-examples-csv FILE, or --training-examples-query-file FILE with --source-url URL.',
    { details: { flag: '--training-examples-csv' } },
  );
}
