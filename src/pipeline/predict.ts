// `predict`, wired: a window extracted from the source (or a snapshot / cleaned folder on
// disk) → cleaned tables → point-in-time features → the saved model's scores, reasons and
// realized labels → a self-contained predict run folder. Owns no math.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { QUALITY_FILE, type QualityReport, qualityError } from '../check/index.js';
import { CLEAN_REPORT_FILE, cleanSnapshot, openCleanTables } from '../clean/index.js';
import type { Config } from '../config/schema.js';
import { LeadliftError } from '../errors.js';
import type { Window } from '../extract/window.js';
import { buildTrainingSet } from '../features/index.js';
import { loadRunArtifacts, type RunArtifacts } from '../predict/artifacts.js';
import {
  liveMetrics,
  predictPredictionsCsv,
  type ScoredTable,
  writePredictRunFolder,
} from '../predict/run-folder.js';
import { assertSameFeatures, featureStrings, scoreAndExplain } from '../predict/score.js';
import { type Progress, silentProgress } from '../progress.js';
import type { EntityName } from '../schema/entities.js';
import { openSnapshot } from '../snapshot/manifest.js';
import { RUN_FILES } from '../train/index.js';
import { gitCommit, VERSION } from '../version.js';
import { runExtract } from './extract.js';
import { runNameOf } from './train.js';

/** Where predict's rows come from. */
export type PredictInput =
  | {
      /** Extract [since, until) from the configured source (audited), check and clean it. */
      readonly kind: 'window';
      readonly window: Window;
      readonly queryOverrides?: Partial<Record<EntityName, string>>;
    }
  | {
      /** A folder written by `leadlift clean`, or a raw snapshot (cleaned first, into cleanedDir). */
      readonly kind: 'snapshot';
      readonly dir: string;
    };

/** Options of {@link runPredict}. */
export interface RunPredictOptions {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The training run whose model.json and scaler.json score the rows. */
  readonly artifactsDir: string;
  readonly input: PredictInput;
  /** Parent of the predict run folder. Default config.runsDir. */
  readonly runsDir?: string | undefined;
  /** Run folder name. Default `predict-<UTC start>`, e.g. predict-20260301T061500Z. */
  readonly runName?: string | undefined;
  /** The command named in the audit log for the extract. Default `predict`. */
  readonly command?: string;
  readonly progress?: Progress;
  readonly now?: () => Date;
  /** Runs on the complete temporary run folder before its rename (crash simulation in tests). */
  readonly beforeRename?: (tmp: string) => Promise<void> | void;
}

/** What a predict run did. */
export interface PredictRun {
  readonly dir: string;
  readonly runName: string;
  readonly target: string;
  readonly sourceRun: string;
  /** Rows scored (enrollments whose feature window closed, decided in the window). */
  readonly nScored: number;
  /** Scored rows whose label window has closed (y_true known). */
  readonly nLabeled: number;
  readonly metrics: Record<string, unknown>;
  /** The source run's gates passed (persist refuses a failed model). */
  readonly gatesPassed: boolean;
  readonly snapshotDir: string;
  readonly cleanedDir: string;
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * Scores every enrollment whose feature window has closed, decided within the window,
 * with the saved artifacts, and writes `<runsDir>/<runName>/`. Throws `predict.*` input
 * errors (exit 2), the first failed data-quality check (exit 3), database errors (exit 4).
 * An empty window writes a run with zero rows.
 */
export async function runPredict(o: RunPredictOptions): Promise<PredictRun> {
  const now = o.now ?? (() => new Date());
  const started = now();
  const progress = o.progress ?? silentProgress;
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = (t - t0) / 1000;
    t0 = t;
  };
  const runName = o.runName ?? `predict-${runNameOf(started)}`;
  if (!/^[\w.-]+$/.test(runName) || runName.startsWith('.')) {
    throw new LeadliftError(
      'predict.badRunName',
      `--run-name "${runName}" must be letters, digits, ".", "_" or "-" and not start with "."; it names a folder.`,
    );
  }
  const runsDir = resolve(o.cwd, o.runsDir ?? o.config.runsDir);
  const dir = join(runsDir, runName);
  if (existsSync(dir)) {
    throw new LeadliftError(
      'train.runExists',
      `The run folder ${dir} already exists; runs are never overwritten. Choose another --run-name or remove it.`,
    );
  }
  const art = await loadRunArtifacts(o.artifactsDir, o.cwd);
  lap('artifacts');

  const { cleanedDir, snapshotDir, inputFacts } = await cleanedInput(o, progress, now);
  lap('extract_clean');

  const tables = await openCleanTables(cleanedDir);
  const set = await buildTrainingSet(
    tables,
    { targets: [art.target], featureWindowHours: art.featureWindowHours },
    progress,
  );
  assertSameFeatures(art.model.feature_cols, set.features.names, o.artifactsDir);
  lap('features');

  const since = Date.parse(tables.manifest.source_snapshot.window.since);
  const labels = set.labels[art.target]!;
  const rows: number[] = [];
  for (let r = 0; r < set.nRows; r++) {
    if (labels.scorable[r] === 1 && set.decisionTs[r]! >= since) rows.push(r);
  }
  const task = progress.task('score', 1);
  const scored = scoreAndExplain(art.model, featureStrings(set, rows));
  task.done(`${rows.length.toLocaleString('en-US')} rows`);
  const table: ScoredTable = {
    labelCol: art.target,
    orgId: rows.map((r) => set.keys.orgId[r]!),
    enrollmentId: rows.map((r) => set.keys.enrollmentId[r]!),
    decisionTs: Float64Array.from(rows, (r) => set.decisionTs[r]!),
    scores: scored.scores,
    yTrue: Int8Array.from(rows, (r) => (labels.eligible[r] === 1 ? labels.y[r]! : -1)),
    reasons: scored.reasons,
  };
  lap('score');

  const live = liveMetrics(table);
  const metrics = predictMetrics(art, table, set, live, tables.manifest.source_snapshot.window);
  const manifest = {
    format: 'leadlift.run-manifest/1',
    run_name: runName,
    mode: 'predict',
    created_at_utc: started.toISOString(),
    source_run: {
      name: art.runName,
      dir: art.dir,
      manifest_sha256: art.manifestSha256,
    },
    input: { ...inputFacts, cleaned_dir: cleanedDir, rows_scored: rows.length },
    config: { label_col: art.target, feature_window_hours: art.featureWindowHours },
    versions: { leadlift: VERSION, node: process.version, git_commit: gitCommit() },
    metrics_path: RUN_FILES.metrics,
  };
  await writePredictRunFolder(
    dir,
    { predictionsCsv: predictPredictionsCsv(table), metrics, copies: art.copies, manifest },
    o.beforeRename,
  );
  lap('write');
  return {
    dir,
    runName,
    target: art.target,
    sourceRun: art.runName,
    nScored: rows.length,
    nLabeled: (live.n_samples as number) ?? 0,
    metrics,
    gatesPassed: art.gates?.passed === true,
    snapshotDir,
    cleanedDir,
    timings,
  };
}

function predictMetrics(
  art: RunArtifacts,
  table: ScoredTable,
  set: Awaited<ReturnType<typeof buildTrainingSet>>,
  live: Record<string, unknown>,
  window: { readonly since: string; readonly until: string },
): Record<string, unknown> {
  const l = set.labels[art.target]!;
  let notScorable = 0;
  for (let r = 0; r < set.nRows; r++) notScorable += l.scorable[r] === 1 ? 0 : 1;
  return {
    format: 'leadlift.predict-metrics/1',
    mode: 'predict',
    label_col: art.target,
    feature_cols: art.model.feature_cols,
    model_path: RUN_FILES.model,
    scaler_path: RUN_FILES.scaler,
    source_run: art.runName,
    window: { since: window.since, until: window.until, as_of_utc: new Date(set.asOf).toISOString() },
    counts: {
      enrollments_read: set.enrollmentsRead,
      enrollments_without_touch: set.enrollmentsWithoutTouch,
      not_scorable: notScorable,
      before_window: set.nRows - notScorable - table.scores.length,
      scored: table.scores.length,
      with_realized_label: live.n_samples,
      realized_positive: live.n_positive,
    },
    live,
    gates: art.gates,
  };
}

async function cleanedInput(
  o: RunPredictOptions,
  progress: Progress,
  now: () => Date,
): Promise<{ cleanedDir: string; snapshotDir: string; inputFacts: Record<string, unknown> }> {
  const cleanedRoot = resolve(o.cwd, o.config.cleanedDir);
  if (o.input.kind === 'window') {
    const extract = await runExtract({
      config: o.config,
      window: o.input.window,
      cwd: o.cwd,
      env: o.env,
      command: o.command ?? 'predict',
      ...(o.input.queryOverrides ? { queryOverrides: o.input.queryOverrides } : {}),
      progress,
      now,
    });
    const failure = qualityError(extract.quality);
    if (failure) throw failure;
    const snapshot = await openSnapshot(extract.dir);
    const cleanedDir = join(cleanedRoot, snapshot.manifest.snapshot_id);
    await cleanSnapshot(snapshot, o.config.clean, cleanedDir, { progress });
    return {
      cleanedDir,
      snapshotDir: extract.dir,
      inputFacts: {
        kind: 'window',
        since: o.input.window.since,
        until: o.input.window.until,
        lookback_days: o.input.window.lookbackDays,
        snapshot_id: snapshot.manifest.snapshot_id,
      },
    };
  }
  const dir = resolve(o.cwd, o.input.dir);
  if (existsSync(join(dir, CLEAN_REPORT_FILE))) {
    const tables = await openCleanTables(dir);
    return {
      cleanedDir: dir,
      snapshotDir: tables.manifest.source_snapshot.dir,
      inputFacts: { kind: 'cleaned', snapshot_id: tables.manifest.source_snapshot.snapshot_id },
    };
  }
  const snapshot = await openSnapshot(dir);
  await refuseFailedQuality(dir);
  const cleanedDir = join(cleanedRoot, snapshot.manifest.snapshot_id);
  if (existsSync(join(cleanedDir, CLEAN_REPORT_FILE))) {
    const tables = await openCleanTables(cleanedDir);
    if (tables.manifest.source_snapshot.snapshot_id === snapshot.manifest.snapshot_id) {
      return {
        cleanedDir,
        snapshotDir: dir,
        inputFacts: { kind: 'snapshot', snapshot_id: snapshot.manifest.snapshot_id, cleaned: 'reused' },
      };
    }
  }
  await cleanSnapshot(snapshot, o.config.clean, cleanedDir, { progress });
  return {
    cleanedDir,
    snapshotDir: dir,
    inputFacts: { kind: 'snapshot', snapshot_id: snapshot.manifest.snapshot_id, cleaned: 'now' },
  };
}

/** A snapshot whose quality.json records a failed check is refused like a fresh extract (exit 3). */
async function refuseFailedQuality(dir: string): Promise<void> {
  let report: QualityReport;
  try {
    report = JSON.parse(await readFile(join(dir, QUALITY_FILE), 'utf8')) as QualityReport;
  } catch {
    return;
  }
  const failure = report.ok === false ? qualityError(report) : undefined;
  if (failure) throw failure;
}
