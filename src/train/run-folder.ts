// The run folder of a flat-table training run, compatible with the seed pipeline's
// tmp/runs/<run>/: training_examples.csv, predictions.csv, metrics.json, model.json,
// scaler.json and manifest.json. Written under a temporary name, then renamed, so a
// folder under its final name is always complete. See docs/run-folder.md.

import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LeadliftError } from '../errors.js';
import type { Calibrator } from '../models/calibration/index.js';
import type { Model } from '../models/model.js';
import type { StandardScaler } from '../models/scaler.js';
import { formatCsvChunks } from './csv.js';
import type { Preprocessing } from './encoding.js';
import { reasonAt, reasonsText } from './reasons.js';
import { cellText } from './table.js';
import type { ModelView, TrainResult } from './train.js';

/** File names inside a run folder. */
export const RUN_FILES = {
  trainingExamples: 'training_examples.csv',
  predictions: 'predictions.csv',
  metrics: 'metrics.json',
  model: 'model.json',
  scaler: 'scaler.json',
  manifest: 'manifest.json',
} as const;

/** model.json: the selected model, its calibrator and the encoding it reads. */
export interface RunModelFile {
  readonly format: 'leadlift.run-model/1';
  readonly label_col: string;
  readonly feature_cols: readonly string[];
  readonly candidate: 'logreg' | 'gbt';
  /** 'codes': categoricals as integer codes; 'oneHot': categoricals one-hot (see preprocessing). */
  readonly view: ModelView;
  readonly preprocessing: Preprocessing;
  readonly model: Model;
  readonly calibrator: Calibrator;
}

/** model.json of a result. */
export function runModelJson(r: TrainResult): RunModelFile {
  return {
    format: 'leadlift.run-model/1',
    label_col: r.table.labelCol,
    feature_cols: r.table.featureCols,
    candidate: r.selected.name,
    view: r.selected.view,
    preprocessing: r.preprocessing,
    model: r.selected.model,
    calibrator: r.selected.calibrator,
  };
}

/** scaler.json: the preprocessing and the baseline's standard scaler (on the one-hot view). */
export function runScalerJson(r: TrainResult): {
  format: 'leadlift.scaler/1';
  preprocessing: Preprocessing;
  standard_scaler: StandardScaler | null;
  standard_scaler_of: 'logreg';
} {
  const lr = r.baseline.model;
  return {
    format: 'leadlift.scaler/1',
    preprocessing: r.preprocessing,
    standard_scaler: lr.kind === 'logreg' ? lr.scaler : null,
    standard_scaler_of: 'logreg',
  };
}

/**
 * What a caller adds to a run folder beyond the flat-table files, written with them before
 * the rename (snapshot mode adds the label population and features.json).
 */
export interface RunFolderExtras {
  /** What the examples came from: a flat table, or a cleaned snapshot's built features. Default 'flat-table'. */
  readonly mode?: RunMode;
  /** Keys appended to metrics.json after leadlift's own; reusing one of its keys throws. Default none. */
  readonly metrics?: Readonly<Record<string, unknown>>;
  /** More files, name → text; reusing a {@link RUN_FILES} name throws. Default none. */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * metrics.json of a result: the seed's keys first, then leadlift's, then `extraMetrics`.
 * No timings (deterministic). Throws `train.runFileClash` when an extra key is taken.
 */
/** What a run's training examples came from. */
export type RunMode = 'flat-table' | 'cleaned-snapshot';

export function runMetricsJson(
  r: TrainResult,
  extraMetrics: Readonly<Record<string, unknown>> = {},
  mode: RunMode = 'flat-table',
): Record<string, unknown> {
  const t = r.evaluation.selected;
  const tr = r.trainEvaluation;
  const seedPart = (e: typeof t) => ({
    n_samples: e.n_samples,
    n_positive: e.n_positive,
    positive_rate: e.positive_rate,
    pr_auc: e.pr_auc.point,
    roc_auc: e.roc_auc.point,
  });
  const count = (s: string) => r.splitOf.filter((x) => x === s).length;
  const sel = r.candidates.find((c) => c.name === r.selected.name)!;
  const importance = [...r.importance].sort(
    (a, b) => b.mean_abs_contribution - a.mean_abs_contribution || (a.feature < b.feature ? -1 : 1),
  );
  const own: Record<string, unknown> = {
    format: 'leadlift.metrics/1',
    mode,
    label_col: r.table.labelCol,
    feature_cols: r.table.featureCols,
    train: { ...seedPart(tr), in_sample: true },
    test: seedPart(t),
    precision_at_k: t.precision_at_k,
    model_path: RUN_FILES.model,
    scaler_path: RUN_FILES.scaler,
    label_mapping: r.table.labelMapping,
    time_col: r.table.timeCol,
    id_cols: r.table.idCols,
    split: {
      mode: r.options.split,
      seed: r.options.seed,
      test_fraction: r.options.testFraction,
      validation_fraction: r.options.validationFraction,
      recent_check: r.options.recentCheck && r.options.split !== 'random',
      n_train: count('train'),
      n_validation: count('validation'),
      n_test: count('test'),
    },
    candidates: r.candidates,
    selection: { selected: r.selected.name, baseline: 'logreg', reason: r.selection.reason },
    calibration: sel.calibration,
    evaluation: {
      bootstrap: { n_boot: r.options.nBoot, seed: r.options.seed, confidence: 0.95 },
      selected: t,
      baseline: r.evaluation.baseline,
      rules: r.evaluation.rules,
      comparator: r.evaluation.comparator,
    },
    by_org: r.byOrg,
    gates: { ...r.gates, config: r.options.gates },
    importance,
  };
  const taken = Object.keys(extraMetrics).filter((k) => k in own);
  if (taken.length > 0) {
    throw new LeadliftError(
      'train.runFileClash',
      `Extra metrics.json keys ${taken.map((k) => `"${k}"`).join(', ')} are already written by the trainer; rename them.`,
    );
  }
  return { ...own, ...extraMetrics };
}

function ranksWithin(r: TrainResult): { rank: Int32Array; decile: Int32Array } {
  const n = r.scores.length;
  const rank = new Int32Array(n);
  const decile = new Int32Array(n);
  for (const s of ['train', 'validation', 'test'] as const) {
    const rows = r.splitOf.flatMap((x, i) => (x === s ? [i] : []));
    rows.sort((a, b) => r.scores[b]! - r.scores[a]! || a - b);
    rows.forEach((i, k) => {
      rank[i] = k + 1;
      decile[i] = Math.ceil(((k + 1) * 10) / rows.length);
    });
  }
  return { rank, decile };
}

/** predictions.csv in chunks (see {@link predictionsCsv}). */
export function predictionsCsvChunks(r: TrainResult): Generator<string> {
  const t = r.table;
  const header = [
    ...t.idCols,
    ...(t.timeMs ? ['decision_ts_utc'] : []),
    'label_col',
    'score',
    'y_true',
    'split',
    'in_sample',
    'rank',
    'decile',
    'reasons',
  ];
  const { rank, decile } = ranksWithin(r);
  return formatCsvChunks(header, r.splitOf.length, (i) => {
    const split = r.splitOf[i]!;
    return [
      ...t.ids.map((c) => c[i]!),
      ...(t.timeMs ? [new Date(t.timeMs[i]!).toISOString()] : []),
      t.labelCol,
      r.scores[i]!,
      t.y[i]!,
      split,
      split === 'test' ? 0 : 1,
      rank[i]!,
      decile[i]!,
      reasonsText(reasonAt(r.reasons, i)),
    ];
  });
}

/** predictions.csv: one row per input row, in input order. */
export function predictionsCsv(r: TrainResult): string {
  return [...predictionsCsvChunks(r)].join('');
}

/** training_examples.csv in chunks (see {@link trainingExamplesCsv}). */
export function trainingExamplesCsvChunks(r: TrainResult): Generator<string> {
  const t = r.table;
  const header = [
    ...t.idCols,
    ...(t.timeMs ? ['decision_ts_utc'] : []),
    ...t.featureCols,
    t.labelCol,
    'split',
  ];
  return formatCsvChunks(header, r.splitOf.length, (i) => [
    ...t.ids.map((c) => c[i]!),
    ...(t.timeMs ? [new Date(t.timeMs[i]!).toISOString()] : []),
    ...t.features.map((c) => cellText(c, i)),
    t.y[i]!,
    r.splitOf[i]!,
  ]);
}

/** training_examples.csv: keys, decision time, raw features, the 0/1 label and the split. */
export function trainingExamplesCsv(r: TrainResult): string {
  return [...trainingExamplesCsvChunks(r)].join('');
}

/** JSON as written to the run folder: 2-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** sha256 of a text or bytes, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Throws `train.runExists` when `dir` already exists (runs are never overwritten). */
export async function assertRunFree(dir: string): Promise<void> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new LeadliftError(
      'train.runExists',
      `The run folder ${dir} already exists; runs are never overwritten. Choose another --run-name or remove it.`,
    );
  }
}

/**
 * Writes every file of the run, and `extras`, into `dir` via a temporary sibling folder
 * renamed at the end. `manifest` receives the sha256 of the other files under `files`.
 * Returns the written file names. Throws `train.runFileClash` when an extra file or
 * metrics key reuses a name the trainer writes.
 */
export async function writeRunFolder(
  dir: string,
  r: TrainResult,
  manifest: Record<string, unknown>,
  extras: RunFolderExtras = {},
): Promise<string[]> {
  const extraFiles = extras.files ?? {};
  const reserved = new Set<string>(Object.values(RUN_FILES));
  const clash = Object.keys(extraFiles).filter((f) => reserved.has(f) || !/^[\w.-]+$/.test(f));
  if (clash.length > 0) {
    throw new LeadliftError(
      'train.runFileClash',
      `Extra run files ${clash.map((f) => `"${f}"`).join(', ')} reuse a run-folder file name or are not plain file names; rename them.`,
    );
  }
  const metricsText = jsonText(runMetricsJson(r, extras.metrics, extras.mode));
  await writeRunFiles(
    dir,
    {
      [RUN_FILES.trainingExamples]: trainingExamplesCsvChunks(r),
      [RUN_FILES.predictions]: predictionsCsvChunks(r),
      [RUN_FILES.metrics]: metricsText,
      [RUN_FILES.model]: jsonText(runModelJson(r)),
      [RUN_FILES.scaler]: jsonText(runScalerJson(r)),
      ...extraFiles,
    },
    manifest,
  );
  return [...Object.values(RUN_FILES), ...Object.keys(extraFiles)];
}

/** A run file's content: text, bytes, or text chunks written (and hashed) one at a time. */
export type RunFileData = string | Buffer | Iterable<string>;

/** Writes `data` to `path` and returns its sha256. */
async function writeHashed(path: string, data: RunFileData): Promise<string> {
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    await writeFile(path, data);
    return sha256(data);
  }
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    for (const chunk of data) {
      hash.update(chunk);
      // writeFile, unlike write, loops until the whole chunk is written.
      await file.writeFile(chunk);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/**
 * Writes a run folder whole or not at all: `files` and then manifest.json (`manifest` plus
 * `files`: the sha256 of every other file) into the sibling `<dir>.tmp-<pid>`, renamed to
 * `dir` at the end. Throws `train.runExists` when `dir` exists. `beforeRename` runs on the
 * complete temporary folder (tests use it to simulate a crash). Returns the hashes.
 */
export async function writeRunFiles(
  dir: string,
  files: Readonly<Record<string, RunFileData>>,
  manifest: Record<string, unknown>,
  beforeRename?: (tmp: string) => Promise<void> | void,
): Promise<Record<string, string>> {
  await assertRunFree(dir);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const hashes: Record<string, string> = {};
    for (const [name, data] of Object.entries(files)) hashes[name] = await writeHashed(join(tmp, name), data);
    await writeFile(join(tmp, RUN_FILES.manifest), jsonText({ ...manifest, files: hashes }));
    if (beforeRename) await beforeRename(tmp);
    await rename(tmp, dir);
    return hashes;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
