// leadlift's public library API: re-exports only. The CLI is built on exactly these.

export * from './check/index.js';
export * from './clean/index.js';
export type { CliIo } from './cli/io.js';
export { runCli } from './cli/run.js';
export { loadConfig } from './config/load.js';
export { type Config, configSchema } from './config/schema.js';
export { acquireJobLock, type JobLock, type LockHolder } from './daily/lock.js';
export type {
  Dialect,
  DialectHooks,
  Row,
  SourceAdapter,
  SourceFingerprint,
  SqlParams,
  SqlValue,
  TargetAdapter,
} from './db/adapter.js';
export {
  assertSelectOnly,
  ddlFor,
  hooksFor,
  loadQueryPack,
  openSource,
  openTarget,
  parseDbUrl,
  redactUrl,
  shippedPackDir,
} from './db/index.js';
export { DemoGenerator, type DemoOptions, type DemoTruth, writeDemoDb } from './demo/index.js';
export { writeDemoSqlite } from './demo/sqlite-file.js';
export { ExitCode, isLeadliftError, LeadliftError } from './errors.js';
export * from './evaluate/index.js';
export { type ExtractOptions, type ExtractResult, extractSnapshot } from './extract/extract.js';
export { emailDomainType, PiiHasher, redactText } from './extract/pii.js';
export { parseWindow, type Window, windowFromDaysBack } from './extract/window.js';
export * from './features/index.js';
export * from './models/index.js';
export { type Dataset, type Frame, frameOf } from './numeric/frame.js';
export {
  DAILY_MODES,
  type DailyMode,
  type DailyResult,
  dailyWindow,
  type PersistStep,
  type RunDailyOptions,
  runDaily,
} from './pipeline/daily.js';
export { type RunExtractInput, type RunExtractResult, runExtract } from './pipeline/extract.js';
export {
  type PredictInput,
  type PredictRun,
  type RunPredictOptions,
  runPredict,
} from './pipeline/predict.js';
export { type QuickstartInput, type QuickstartResult, runQuickstart } from './pipeline/quickstart.js';
export { loadRunArtifacts, type RunArtifacts } from './predict/artifacts.js';
export { featureMismatch } from './predict/score.js';
export { type Progress, type ProgressTask, silentProgress } from './progress.js';
export * from './recommend/index.js';
export { ENTITIES, type EntityDef, type EntityName, entityDef, snapshotColumns } from './schema/entities.js';
export { REFERENCE_TABLES, type RefTable } from './schema/reference.js';
export * from './scores/index.js';
export { openSnapshot, type Snapshot, type SnapshotManifest } from './snapshot/manifest.js';
export { openRows, RowWriter } from './snapshot/rows.js';
