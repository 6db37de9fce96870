// Trains on a cleaned snapshot: builds labels and point-in-time features, then runs the
// flat-table trainer once per target on the enrollments eligible for it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCleanTables } from '../clean/index.js';
import { LeadliftError } from '../errors.js';
import {
  buildTrainingSet,
  type Target,
  type TrainingSet,
  writeTrainingExamplesCsv,
} from '../features/index.js';
import { type Progress, silentProgress } from '../progress.js';
import { jsonText, type TrainFlatOptions } from '../train/index.js';
import { type RunTrainFlatOptions, runNameOf, runTrainFlat, type TrainFlatRun } from './train.js';
import { defaultTargetThreads, mapLimited, runTrainFlatInWorker } from './train-flat-parallel.js';

/** The feature list with definitions and families, written into every snapshot-mode run folder. */
export const FEATURES_FILE = 'features.json';

/**
 * metrics.json `population` of a target: how the cleaned snapshot's enrollments became the
 * eligible rows (every exclusion counted by its first reason).
 */
export function populationOf(set: TrainingSet, target: Target): Record<string, unknown> {
  const l = set.labels[target]!;
  return {
    target,
    as_of_utc: new Date(set.asOf).toISOString(),
    feature_window_hours: set.featureWindowHours,
    enrollments_read: set.enrollmentsRead,
    enrollments_without_touch: set.enrollmentsWithoutTouch,
    n_rows: set.nRows,
    exclusions: l.exclusions,
    n_eligible: l.nEligible,
    n_positive: l.nPositive,
  };
}

/** features.json: every feature column with its family, definition and categories (if any). */
export function featuresJsonText(set: TrainingSet): string {
  return jsonText({
    format: 'leadlift.features/1',
    feature_window_hours: set.featureWindowHours,
    features: set.featureDefs.map((d) => ({
      name: d.name,
      family: d.family,
      definition: d.definition,
      ...(d.categories !== undefined ? { categories: d.categories } : {}),
    })),
  });
}

export interface RunTrainCleanedOptions {
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
  /**
   * Targets trained at once, each in a worker thread (1: one after another on this
   * thread). Same run folders either way. Default {@link defaultTargetThreads}.
   */
  readonly threads?: number | undefined;
}

export interface TrainCleanedResult {
  readonly set: TrainingSet;
  readonly runs: readonly { readonly target: Target; readonly run: TrainFlatRun }[];
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
  // Targets train at once in worker threads when memory allows (see defaultTargetThreads);
  // each writes its own run folder and the runs are listed in target order either way.
  const threads = o.threads ?? defaultTargetThreads(set.targets.map((t) => set.labels[t]!.nEligible));
  const work = await mkdtemp(join(tmpdir(), 'leadlift-train-'));
  let runs: { target: Target; run: TrainFlatRun }[];
  try {
    runs = await mapLimited(set.targets, threads, async (target) => {
      const labels = set.labels[target]!;
      const csv = join(work, `${target}.csv`);
      const t1 = performance.now();
      await writeTrainingExamplesCsv(csv, set, { only: (r) => labels.eligible[r] === 1 });
      const timings = { features: featureSeconds, write_examples: (performance.now() - t1) / 1000 };
      const options: RunTrainFlatOptions = {
        cwd: o.cwd,
        input: { kind: 'csv', path: csv },
        spec: {
          labelCol: target,
          timeCol: 'decision_ts_utc',
          idCols: ['org_id', 'enrollment_id'],
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
      const run =
        threads > 1 ? await runTrainFlatInWorker(options, `${target}: `) : await runTrainFlat(options);
      return { target, run };
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { set, runs };
}
