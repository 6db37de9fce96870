// The scheduled daily job, wired: take the per-target lock, clear what crashed jobs left
// half-written, then either predict (and hand the scores to the persist step) or retrain a
// candidate model that never replaces the serving one by itself. The lock is released in
// finally and on SIGINT/SIGTERM.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AuditLog, queryHash } from '../audit/index.js';
import { qualityError } from '../check/index.js';
import { cleanSnapshot } from '../clean/index.js';
import type { Config } from '../config/schema.js';
import { acquireJobLock, type JobLock, pidAlive } from '../daily/lock.js';
import { openSource, redactUrl } from '../db/index.js';
import { ExitCode, LeadliftError } from '../errors.js';
import { parseWindow, type Window, windowFromDaysBack } from '../extract/window.js';
import { TARGETS } from '../features/index.js';
import { loadRunArtifacts } from '../predict/artifacts.js';
import { removeDeadTempFolders } from '../predict/run-folder.js';
import { type Progress, silentProgress } from '../progress.js';
import type { EntityName } from '../schema/entities.js';
import { openSnapshot } from '../snapshot/manifest.js';
import { trainOptionsOfConfig } from '../train/config.js';
import { runExtract, snapshotId } from './extract.js';
import { type PredictRun, runPredict } from './predict.js';
import { runTrainFlat, type TrainRunSummary } from './train.js';
import { runTrainCleaned } from './train-cleaned.js';

/** The persist step daily hands a predict run to (persist-scores in the CLI). */
export type PersistStep = (args: {
  readonly predictionsCsv: string;
  readonly metricsJson: string;
  readonly command: 'daily';
}) => Promise<{ readonly inserted: number; readonly updated: number }>;

/** What daily does: score with the serving model, or retrain a candidate. */
export type DailyMode = 'predict' | 'train';
export const DAILY_MODES: readonly DailyMode[] = ['predict', 'train'];

/** Default days back of the daily window. */
export const DEFAULT_DAYS_BACK = 90;

/**
 * The daily window: `[since, until)` from explicit bounds, else the `daysBack` whole UTC
 * days ending at the start of `now`'s UTC day (today is never included: its data is
 * still arriving).
 */
export function dailyWindow(
  o: {
    readonly since?: string | undefined;
    readonly until?: string | undefined;
    readonly daysBack?: number | undefined;
  },
  now: Date,
  lookbackDays: number,
): Window {
  if (o.since !== undefined || o.until !== undefined) {
    if (o.daysBack !== undefined) {
      throw new LeadliftError(
        'cli.conflictingFlags',
        '--days-back sets the window itself; give either --days-back N or --since and --until, not both.',
      );
    }
    if (o.since === undefined || o.until === undefined) {
      throw new LeadliftError(
        'cli.missingFlag',
        'Give both --since and --until, or neither (then --days-back applies).',
      );
    }
    return parseWindow(o.since, o.until, lookbackDays);
  }
  return windowFromDaysBack(o.daysBack ?? DEFAULT_DAYS_BACK, now, lookbackDays);
}

/**
 * The lock name of a job: one daily job at a time per target, that is per label (the
 * serving run's label column) and score database.
 */
export function lockNameOf(target: string, labelCol: string): string {
  return `daily-${labelCol.replace(/[^A-Za-z0-9_]/g, '_')}-${createHash('sha256').update(target).digest('hex').slice(0, 12)}`;
}

/** The label column of a run folder (metrics.json), or `unknown` when it can't be read: the run is checked properly later. */
async function labelColOf(runDir: string): Promise<string> {
  try {
    const m = JSON.parse(await readFile(join(runDir, 'metrics.json'), 'utf8')) as { label_col?: unknown };
    return typeof m.label_col === 'string' ? m.label_col : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Options of {@link runDaily}. */
export interface RunDailyOptions {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The serving model: a training run folder. Never written by daily. */
  readonly artifactsDir: string;
  /** Default 'predict'. */
  readonly mode?: DailyMode;
  readonly window: Window;
  readonly queryOverrides?: Partial<Record<EntityName, string>>;
  /** Mode train: train on this SELECT's flat table instead of an extracted snapshot. */
  readonly trainingExamplesQueryFile?: string | undefined;
  /** Mode predict: the persist step, or null for --no-persist-scores. */
  readonly persist: PersistStep | null;
  /** The target database URL the scores go to (names the lock; redacted). Default config.targetUrl. */
  readonly targetUrl?: string | undefined;
  readonly runsDir?: string | undefined;
  /** Maximum age of a lock before it is taken over. Default 12 h. */
  readonly lockMaxAgeMs?: number;
  /** Release the lock on SIGINT/SIGTERM (then end the process). Default true. */
  readonly handleSignals?: boolean;
  readonly progress?: Progress;
  readonly now?: () => Date;
  /** Runs while the lock is held, before any work (tests use it to overlap jobs). */
  readonly onLocked?: (lock: JobLock) => Promise<void> | void;
  /** Passed to predict: runs on the complete temporary run folder before its rename. */
  readonly beforeRename?: (tmp: string) => Promise<void> | void;
}

/** What a daily job did. */
export interface DailyResult {
  readonly mode: DailyMode;
  readonly window: Window;
  readonly lock: { readonly path: string; readonly tookOver: JobLock['tookOver'] };
  /** Temporary folders of crashed jobs that were removed. */
  readonly removedTemp: readonly string[];
  readonly predict?: PredictRun;
  /** Rows inserted/updated by the persist step; null when persisting was off. */
  readonly persisted?: { readonly inserted: number; readonly updated: number } | null;
  /** Mode train: the candidate run (never the serving model). */
  readonly candidate?: TrainRunSummary;
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * Runs one daily job under the per-target lock. Throws `daily.locked` (exit 5) when a
 * live job holds it, a data-quality or gate failure (exit 3: the serving model's gates
 * failed while persisting, or the candidate's gates failed), database errors (exit 4).
 */
export async function runDaily(o: RunDailyOptions): Promise<DailyResult> {
  const now = o.now ?? (() => new Date());
  const progress = o.progress ?? silentProgress;
  const mode = o.mode ?? 'predict';
  const runsDir = resolve(o.cwd, o.runsDir ?? o.config.runsDir);
  const target = o.targetUrl ?? o.config.targetUrl;
  const targetShown = target ? redactUrl(target) : 'none';
  const lock = acquireJobLock({
    dir: runsDir,
    name: lockNameOf(targetShown, await labelColOf(resolve(o.cwd, o.artifactsDir))),
    command: `daily --mode ${mode}`,
    target: targetShown,
    ...(o.lockMaxAgeMs !== undefined ? { maxAgeMs: o.lockMaxAgeMs } : {}),
    now,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    lock.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  if (o.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = (t - t0) / 1000;
    t0 = t;
  };
  try {
    if (o.onLocked) await o.onLocked(lock);
    const removedTemp: string[] = [];
    for (const d of [runsDir, resolve(o.cwd, o.config.cleanedDir), resolve(o.cwd, o.config.snapshotsDir)]) {
      removedTemp.push(...(await removeDeadTempFolders(d, pidAlive)));
    }
    const base = { mode, window: o.window, lock: { path: lock.path, tookOver: lock.tookOver }, removedTemp };
    // Millisecond names: two jobs in one second (a retry after a quick failure) never clash.
    const stamp = snapshotId(now());
    if (mode === 'train') {
      const candidate = await trainCandidate(o, runsDir, `candidate-${stamp}`, progress, now);
      lap('train');
      return { ...base, candidate, timings };
    }
    const predict = await runPredict({
      config: o.config,
      cwd: o.cwd,
      env: o.env,
      artifactsDir: o.artifactsDir,
      input: {
        kind: 'window',
        window: o.window,
        ...(o.queryOverrides ? { queryOverrides: o.queryOverrides } : {}),
      },
      runsDir,
      runName: `daily-${stamp}`,
      command: 'daily',
      progress,
      now,
      ...(o.beforeRename ? { beforeRename: o.beforeRename } : {}),
    });
    for (const [k, v] of Object.entries(predict.timings)) timings[k] = v;
    t0 = performance.now();
    if (o.persist === null) return { ...base, predict, persisted: null, timings };
    if (!predict.gatesPassed) {
      throw new LeadliftError(
        'daily.gateFailed',
        `The serving model (run ${predict.sourceRun}) did not pass its gates, so its scores are not persisted; the predict run ${predict.dir} records them. Serve a model whose gates passed, or run persist-scores with --force --reason.`,
        { exitCode: ExitCode.gate, details: { run: predict.dir, source_run: predict.sourceRun } },
      );
    }
    const persisted = await o.persist({
      predictionsCsv: resolve(predict.dir, 'predictions.csv'),
      metricsJson: resolve(predict.dir, 'metrics.json'),
      command: 'daily',
    });
    lap('persist');
    return { ...base, predict, persisted, timings };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    lock.release();
  }
}

/** Mode train: a candidate run next to the serving one, trained on the window. */
async function trainCandidate(
  o: RunDailyOptions,
  runsDir: string,
  runName: string,
  progress: Progress,
  now: () => Date,
): Promise<TrainRunSummary> {
  const art = await loadRunArtifacts(o.artifactsDir, o.cwd);
  if (o.trainingExamplesQueryFile !== undefined) {
    const queryFile = o.trainingExamplesQueryFile;
    const sql = await readFile(resolve(o.cwd, queryFile), 'utf8').catch((e: unknown) => {
      throw new LeadliftError(
        'train.fileNotFound',
        `--training-examples-query-file ${queryFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`,
        { cause: e },
      );
    });
    const source = await openSource(o.config.sourceUrl, { cwd: o.cwd });
    const fingerprint = source.fingerprint;
    const audit = new AuditLog({ path: o.config.auditLog, cwd: o.cwd, env: o.env, now });
    // The other targets' columns, when the query returns them, are labels: left out, never features.
    let header: readonly string[];
    try {
      header = await audit.record(
        {
          command: 'daily',
          action: 'read',
          source: fingerprint,
          run: runName,
          details: { purpose: 'columns' },
        },
        () => source.stream(sql, {}, { label: queryFile }).columns(),
        () => ({ queryHashes: [queryHash(sql)] }),
      );
    } finally {
      await source.close();
    }
    const otherTargets = TARGETS.filter((t) => t !== art.target && header.includes(t));
    return audit.record(
      { command: 'daily', action: 'read', source: fingerprint, run: runName },
      () =>
        runTrainFlat({
          cwd: o.cwd,
          input: { kind: 'query', queryFile, sourceUrl: o.config.sourceUrl },
          spec: {
            labelCol: art.target,
            timeCol: 'decision_ts_utc',
            idCols: ['org_id', 'enrollment_id'],
            excludeCols: otherTargets,
          },
          runsDir,
          runName,
          train: trainOptionsOfConfig(o.config.train),
          progress,
          now: now(),
        }),
      (r) => ({ rowsRead: r.result.table.nRows, queryHashes: [queryHash(sql)] }),
    );
  }
  const extract = await runExtract({
    config: o.config,
    window: o.window,
    cwd: o.cwd,
    env: o.env,
    command: 'daily',
    ...(o.queryOverrides ? { queryOverrides: o.queryOverrides } : {}),
    progress,
    now,
  });
  const failure = qualityError(extract.quality);
  if (failure) throw failure;
  const snapshot = await openSnapshot(extract.dir);
  const cleanedDir = resolve(o.cwd, o.config.cleanedDir, snapshot.manifest.snapshot_id);
  await cleanSnapshot(snapshot, o.config.clean, cleanedDir, { progress });
  const trained = await runTrainCleaned({
    cwd: o.cwd,
    cleanedDir,
    targets: [art.target],
    featureWindowHours: art.featureWindowHours,
    runsDir,
    runName,
    train: trainOptionsOfConfig(o.config.train),
    progress,
    now: now(),
  });
  return trained.runs[0]!.run;
}
