// Trains on a cleaned snapshot: builds labels and point-in-time features, then runs the
// flat-table trainer once per target on the enrollments eligible for it. The examples are
// handed over in memory as a typed table (no CSV written and parsed back, no string per
// cell): at 1M enrollments the parsed CSV held one string per cell, gigabytes of them.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openCleanTables } from '../clean/index.js';
import { ExitCode, LeadliftError } from '../errors.js';
import {
  buildTrainingSet,
  type Target,
  type TrainingSet,
  trainingExamplesHeader,
} from '../features/index.js';
import { type Progress, silentProgress } from '../progress.js';
import { DEFAULT_MAX_ONE_HOT } from '../train/encoding.js';
import type { TrainFlatOptions } from '../train/index.js';
import { sha256 } from '../train/run-folder.js';
import {
  EXAMPLES_ID_COLS,
  EXAMPLES_TIME_COL,
  examplesFlatTableOf,
  FEATURES_FILE,
  featuresJsonText,
  populationOf,
} from '../train/training-set.js';
import {
  type RunTrainFlatOptions,
  runNameOf,
  runTrainFlat,
  summaryOf,
  type TrainRunSummary,
} from './train.js';
import { mapLimited, oneHotWidth, runTrainFlatInWorker, targetThreadsPlan } from './train-flat-parallel.js';

export interface RunTrainCleanedOptions {
  /**
   * Targets trained at once, each in a worker thread (1: one after another on this
   * thread). Same run folders either way. Default {@link targetThreadsPlan}.
   */
  readonly threads?: number | undefined;
  readonly cwd: string;
  /** A folder written by `leadlift clean`. */
  readonly cleanedDir: string;
  /** Targets to train; default all three. */
  readonly targets?: readonly Target[] | undefined;
  /** Hours after the decision time that features may see. Default 24. */
  readonly featureWindowHours?: number | undefined;
  readonly runsDir?: string | undefined;
  /** Base run name; each target's run is `<name>-<target>`. Default the UTC start time. */
  readonly runName?: string | undefined;
  readonly train?: TrainFlatOptions;
  readonly progress?: Progress;
  readonly now?: Date;
}

export interface TrainCleanedResult {
  readonly set: TrainingSet;
  /** One run per target, without per-row data (see {@link TrainRunSummary}); the folders hold it. */
  readonly runs: readonly { readonly target: Target; readonly run: TrainRunSummary }[];
}

/** Builds the training set of a cleaned folder and trains one run per target. */
export async function runTrainCleaned(o: RunTrainCleanedOptions): Promise<TrainCleanedResult> {
  const progress = o.progress ?? silentProgress;
  const now = o.now ?? new Date();
  const t0 = performance.now();
  const tables = await openCleanTables(resolve(o.cwd, o.cleanedDir));
  const set = await buildTrainingSet(
    tables,
    {
      ...(o.featureWindowHours !== undefined ? { featureWindowHours: o.featureWindowHours } : {}),
      ...(o.targets !== undefined ? { targets: o.targets } : {}),
    },
    progress,
  );
  const featureSeconds = (performance.now() - t0) / 1000;
  const base = o.runName ?? runNameOf(now);
  const manifestSha = sha256(await readFile(join(tables.dir, 'manifest.json')));
  // Every target is checked before any trains, so a run without eligible rows fails at once.
  for (const target of set.targets) {
    const labels = set.labels[target]!;
    if (labels.nEligible === 0) {
      const why = Object.entries(labels.exclusions)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ');
      throw new LeadliftError(
        'train.noEligibleRows',
        `No enrollment in ${o.cleanedDir} is eligible for ${target} (exclusions: ${why}). Extract a longer window: the label window must have elapsed before the snapshot's end.`,
        { details: { target, exclusions: labels.exclusions } },
      );
    }
  }
  // Targets train at once in worker threads when memory allows (see targetThreadsPlan);
  // each writes its own run folder and the runs are listed in target order either way.
  let threads = o.threads;
  if (threads === undefined) {
    const plan = targetThreadsPlan(
      set.targets.map((t) => set.labels[t]!.nEligible),
      oneHotWidth(
        set.featureDefs.map((d) => d.categories?.length),
        o.train?.maxOneHot ?? DEFAULT_MAX_ONE_HOT,
      ),
      undefined,
      (line) => progress.task('warning').done(line),
    );
    threads = plan.threads;
    if (set.targets.length > 1)
      progress.task('targets').done(`${set.targets.length} targets, ${plan.reason}`);
  }
  // Options are built inside the call, not held in a variable across the await: the
  // examples table can then be collected while a worker trains on its copy.
  const optionsOf = (target: Target): RunTrainFlatOptions => {
    const t1 = performance.now();
    const table = examplesFlatTableOf(set, target, `${o.cleanedDir} (${target} examples)`);
    const timings = { features: featureSeconds, examples: (performance.now() - t1) / 1000 };
    return {
      cwd: o.cwd,
      input: {
        kind: 'flat',
        table,
        columns: trainingExamplesHeader(set).length,
        facts: { kind: 'cleaned-snapshot', path: o.cleanedDir, manifest_sha256: manifestSha },
      },
      spec: {
        labelCol: target,
        timeCol: EXAMPLES_TIME_COL,
        idCols: [...EXAMPLES_ID_COLS],
        excludeCols: set.targets.filter((t) => t !== target),
      },
      runsDir: o.runsDir,
      runName: set.targets.length > 1 ? `${base}-${target}` : base,
      ...(o.train ? { train: o.train } : {}),
      progress,
      now,
      timings,
      extras: {
        mode: 'cleaned-snapshot',
        metrics: { population: populationOf(set, target) },
        files: { [FEATURES_FILE]: featuresJsonText(set) },
      },
    };
  };
  // Targets training now: the last one still running explains on both cores.
  const running = new SharedArrayBuffer(4);
  const count = new Int32Array(running);
  const settled = await mapLimited(set.targets, threads, async (target) => {
    Atomics.add(count, 0, 1);
    try {
      const run =
        threads > 1
          ? await runTrainFlatInWorker(optionsOf(target), `${target}: `, running)
          : summaryOf(await runTrainFlat(optionsOf(target)));
      return { target, run };
    } catch (error) {
      return { target, error };
    } finally {
      Atomics.sub(count, 0, 1);
    }
  });
  const runs: { target: Target; run: TrainRunSummary }[] = [];
  for (const r of settled) if (r.run !== undefined) runs.push({ target: r.target, run: r.run });
  const failed = settled.find((r) => r.run === undefined);
  if (failed) throw withWrittenRuns(failed.error, runs);
  return { set, runs };
}

/**
 * The first failed target's error, naming the run folders the other targets wrote (every
 * target runs to its end, so a failure does not depend on which thread finished first).
 */
function withWrittenRuns(error: unknown, runs: readonly { target: Target; run: TrainRunSummary }[]): unknown {
  if (runs.length === 0) return error;
  const written = runs.map((r) => r.run.dir);
  const note = ` The other targets' run folders were written: ${written.join(', ')}.`;
  if (error instanceof LeadliftError) {
    return new LeadliftError(error.code, `${error.message}${note}`, {
      exitCode: error.exitCode,
      details: { ...error.details, written_runs: written },
      cause: error,
    });
  }
  return new LeadliftError('train.targetFailed', `${(error as Error).message ?? String(error)}${note}`, {
    exitCode: ExitCode.internal,
    details: { written_runs: written },
    cause: error,
  });
}
