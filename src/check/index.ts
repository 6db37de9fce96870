// The check stage's public API.

export { type ColumnKind, type SnapshotColumn, snapshotColumnSpecs } from '../snapshot/values.js';
export {
  CHECK_IDS,
  type CheckConfig,
  type CheckId,
  checkConfigSchema,
  DEFAULT_SEVERITIES,
} from './config.js';
export {
  type EntityVolume,
  type Finding,
  formatQualityTable,
  QUALITY_FILE,
  QUALITY_FORMAT,
  type QualityReport,
  writeQualityReport,
} from './report.js';
export {
  type CheckShardResult,
  qualityError,
  REFERENCES,
  type Reference,
  RowChecker,
  type RowCheckSetup,
  type RunChecksOptions,
  rowCheckSetup,
  runChecks,
} from './run.js';
export { findPreviousSnapshot, snapshotVolume } from './volume.js';
