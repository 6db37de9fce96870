import { averagePrecision, brierScore, isAvailable, type MetricValue, rocAuc } from '../evaluate/index.js';
import { removeStaleTemps } from '../snapshot/stale.js';
import { formatCsv, jsonText, type RowReasonText, RUN_FILES, reasonsText } from '../train/index.js';
import { writeRunFiles } from '../train/run-folder.js';
import { ranksOf } from './score.js';

/** predictions.csv header of a predict run (the same columns as train's). */
export const PREDICTION_COLUMNS = [
  'org_id',
  'enrollment_id',
  'decision_ts_utc',
  'label_col',
  'score',
  'y_true',
  'split',
  'in_sample',
  'rank',
  'decile',
  'reasons',
] as const;

/** The split value of every predict row. */
export const SCORED_SPLIT = 'scored';

/** The scored rows of a predict run. */
export interface ScoredTable {
  readonly labelCol: string;
  readonly orgId: readonly string[];
  readonly enrollmentId: readonly string[];
  /** ms since epoch. */
  readonly decisionTs: Float64Array;
  readonly scores: Float64Array;
  /** 0/1 realized label, or -1 while the label window is open. */
  readonly yTrue: Int8Array;
  readonly reasons: readonly RowReasonText[];
}

/** predictions.csv text of scored rows, in the given order. */
export function predictPredictionsCsv(t: ScoredTable): string {
  const { rank, decile } = ranksOf(t.scores);
  const rows = t.scores.length;
  const out: (string | number)[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    out[i] = [
      t.orgId[i]!,
      t.enrollmentId[i]!,
      new Date(t.decisionTs[i]!).toISOString(),
      t.labelCol,
      t.scores[i]!,
      t.yTrue[i]! < 0 ? '' : t.yTrue[i]!,
      SCORED_SPLIT,
      0,
      rank[i]!,
      decile[i]!,
      reasonsText(t.reasons[i]!),
    ];
  }
  return formatCsv(PREDICTION_COLUMNS, out);
}

/** A metric point as metrics.json writes it: a number, or `{unavailable, code, reason}`. */
function metricEntry(v: MetricValue): number | { unavailable: true; code: string; reason: string } {
  return isAvailable(v)
    ? v
    : typeof v === 'number'
      ? { unavailable: true, code: 'nonFiniteScores', reason: 'not finite' }
      : { unavailable: true, code: v.code, reason: v.reason };
}

/**
 * The live block of a predict run's metrics.json: PR-AUC, ROC-AUC and Brier of the rows
 * with a realized label; each unavailable (with the reason) when there are none or one
 * class only.
 */
export function liveMetrics(t: ScoredTable): Record<string, unknown> {
  const idx: number[] = [];
  for (let i = 0; i < t.yTrue.length; i++) if (t.yTrue[i]! >= 0) idx.push(i);
  const y = Uint8Array.from(idx, (i) => t.yTrue[i]!);
  const s = Float64Array.from(idx, (i) => t.scores[i]!);
  const nPositive = y.reduce((a, b) => a + b, 0);
  if (idx.length === 0) {
    const none = {
      unavailable: true,
      code: 'empty',
      reason: 'no scored row has a realized label yet (every label window is still open)',
    };
    return { n_samples: 0, n_positive: 0, positive_rate: null, pr_auc: none, roc_auc: none, brier: none };
  }
  return {
    n_samples: idx.length,
    n_positive: nPositive,
    positive_rate: nPositive / idx.length,
    pr_auc: metricEntry(averagePrecision(y, s)),
    roc_auc: metricEntry(rocAuc(y, s)),
    brier: metricEntry(brierScore(y, s)),
  };
}

/** Files and hashes written by {@link writePredictRunFolder}. */
export interface WrittenPredictRun {
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Writes `dir` via the sibling `<dir>.tmp-<pid>` renamed at the end: predictions.csv,
 * metrics.json, the `copies` (artifacts, byte for byte) and manifest.json (`manifest` plus
 * `files`: the sha256 of every other file). Throws `train.runExists` when `dir` exists.
 * `beforeRename` runs on the complete temporary folder (tests use it to simulate a crash).
 */
export async function writePredictRunFolder(
  dir: string,
  content: {
    readonly predictionsCsv: string;
    readonly metrics: Record<string, unknown>;
    readonly copies: Readonly<Record<string, Buffer>>;
    readonly manifest: Record<string, unknown>;
  },
  beforeRename?: (tmp: string) => Promise<void> | void,
): Promise<WrittenPredictRun> {
  const files = await writeRunFiles(
    dir,
    {
      [RUN_FILES.predictions]: content.predictionsCsv,
      [RUN_FILES.metrics]: jsonText(content.metrics),
      ...content.copies,
    },
    content.manifest,
    beforeRename,
  );
  return { files };
}

/**
 * Folder names of writes not yet renamed into place: `<name>.tmp-<pid>` (runs),
 * `.<name>.tmp-<pid>-<ms>` (cleaned folders), `.<name>.partial-<pid>` (snapshots).
 */
const TMP_NAME = /\.(?:tmp|partial)-(\d+)(?:-\d+)?$/;

/** True when `name` is a temporary folder name of a run or cleaned folder. */
export function isTempName(name: string): boolean {
  return TMP_NAME.test(name);
}

/**
 * Removes the temporary folders in `parent` left by processes that are no longer alive
 * (a crash mid-write): names `*.tmp-<pid>…` or `*.partial-<pid>` whose pid is not running. Returns the names
 * removed. A missing `parent` is fine.
 */
export function removeDeadTempFolders(parent: string, alive: (pid: number) => boolean): Promise<string[]> {
  return removeStaleTemps(parent, TMP_NAME, alive);
}
