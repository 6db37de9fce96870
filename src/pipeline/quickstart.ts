// The main job on the embedded default, as the daily job runs it: a demo Agent Cory DB
// (built once, then reused), extract → check → clean on its whole window, the booking model
// trained and gated, every enrollment whose feature window has closed scored with it
// (predict), the scores written to lead_scores in the demo DB itself (the one database that
// may be both source and target, see docs/scores.md), and the recommendations drawn from the
// run.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CleanReport, cleanSnapshot } from '../clean/index.js';
import type { Config } from '../config/schema.js';
import { type DemoTruth, defaultTruthPath } from '../demo/index.js';
import { writeDemoSqlite } from '../demo/sqlite-file.js';
import { parseWindow } from '../extract/window.js';
import { type Progress, silentProgress } from '../progress.js';
import { type RunRecommendResult, runRecommend } from '../recommend/index.js';
import { createScoresTables, type PersistScoresResult, persistScores } from '../scores/index.js';
import { openSnapshot } from '../snapshot/manifest.js';
import { trainOptionsOfConfig } from '../train/config.js';
import { type RunExtractResult, runExtract } from './extract.js';
import { type PredictRun, runPredict } from './predict.js';
import { runTrainCleaned, type TrainCleanedResult } from './train-cleaned.js';

export interface QuickstartInput {
  readonly config: Config;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The demo SQLite file. Default tmp/demo/agent-cory.sqlite. */
  readonly dbFile?: string | undefined;
  /** Rebuild the demo DB even when one exists. Default false. */
  readonly fresh?: boolean;
  /** Demo size and seed when the DB is (re)built. Defaults: 5000 enrollments, seed 42. */
  readonly enrollments?: number | undefined;
  readonly seed?: number | undefined;
  readonly progress?: Progress;
}

export interface QuickstartResult {
  readonly demo: {
    readonly file: string;
    readonly truthPath: string;
    readonly reused: boolean;
    readonly truth: DemoTruth;
  };
  readonly extract: RunExtractResult;
  /** Absent when the quality gate failed and the run stopped. */
  readonly clean?: { readonly dir: string; readonly report: CleanReport };
  /** The booking model (T1) trained on the cleaned tables; absent when the quality gate failed. */
  readonly train?: TrainCleanedResult;
  /**
   * Its test rows' scores written to dbo_lead_scores of the demo DB (forced, with the
   * reason recorded, when the demo model failed its gates); absent when nothing was trained.
   */
  readonly scores?: PersistScoresResult;
  /** The predict run whose scores were persisted. */
  readonly predict?: PredictRun;
  /** Recommendations drawn from the booking run. */
  readonly recommend?: RunRecommendResult;
}

/** Default location of the demo DB. */
export const QUICKSTART_DB = 'tmp/demo/agent-cory.sqlite';

/** Runs the quickstart pipeline. */
export async function runQuickstart(input: QuickstartInput): Promise<QuickstartResult> {
  const progress = input.progress ?? silentProgress;
  const file = resolve(input.cwd, input.dbFile ?? QUICKSTART_DB);
  const truthPath = defaultTruthPath(file);
  let truth: DemoTruth;
  let reused = false;
  if (!input.fresh && existsSync(file) && existsSync(truthPath)) {
    truth = JSON.parse(await readFile(truthPath, 'utf8')) as DemoTruth;
    reused = true;
  } else {
    const demo = {
      ...(input.enrollments !== undefined ? { enrollments: input.enrollments } : {}),
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
    };
    truth = (await writeDemoSqlite(file, demo, { cwd: input.cwd, truthPath, force: true }, progress)).truth;
  }

  const { queryDir: _ignored, ...rest } = input.config;
  const config: Config = { ...rest, sourceUrl: `sqlite:${file.replaceAll('%', '%25')}` };
  const window = parseWindow(truth.window.start, truth.window.as_of, 0);
  const extract = await runExtract({ config, window, cwd: input.cwd, env: input.env, progress });
  const demoInfo = { file, truthPath, reused, truth };
  if (!extract.quality.ok) return { demo: demoInfo, extract };

  const snapshot = await openSnapshot(extract.dir);
  const cleanDir = join(resolve(input.cwd, config.cleanedDir), snapshot.manifest.snapshot_id);
  const report = await cleanSnapshot(snapshot, config.clean, cleanDir, { progress });
  const train = await runTrainCleaned({
    cwd: input.cwd,
    cleanedDir: cleanDir,
    targets: ['booked_call_within_7d'],
    runsDir: config.runsDir,
    runName: snapshot.manifest.snapshot_id,
    train: { ...trainOptionsOfConfig(config.train), nBoot: 200 },
    progress,
  });
  const done = { demo: demoInfo, extract, clean: { dir: cleanDir, report }, train };
  const t1 = train.runs.find((r) => r.target === 'booked_call_within_7d');
  if (!t1) return done;
  // The demo DB is both source and target: the one exception persist-scores allows. A demo
  // model that fails its gates is still written so the tables can be tried out, but as a
  // forced write whose reason the history and audit log keep (forced = 1).
  const gates = t1.run.result.gates;
  const predict = await runPredict({
    config,
    cwd: input.cwd,
    env: input.env,
    artifactsDir: t1.run.dir,
    input: { kind: 'snapshot', dir: cleanDir },
    runName: `predict-${snapshot.manifest.snapshot_id}`,
    command: 'quickstart',
    progress,
  });
  const scoresConfig: Config = { ...config, targetUrl: config.sourceUrl };
  const common = { config: scoresConfig, cwd: input.cwd, env: input.env, command: 'quickstart' };
  await createScoresTables(common);
  const scores = await persistScores({
    ...common,
    predictionsCsv: join(predict.dir, 'predictions.csv'),
    metricsJson: join(predict.dir, 'metrics.json'),
    ...(gates.passed ? {} : { force: { reason: `quickstart demo; model gates failed: ${gates.reason}` } }),
    progress,
  });
  const recommend = await runRecommend({
    config,
    cwd: input.cwd,
    env: input.env,
    runDir: t1.run.dir,
    cleanedDir: cleanDir,
    progress,
  });
  return { ...done, predict, scores, recommend };
}
