// The score tables: DDL, persist-scores, rollback-scores. See docs/scores.md.

export { type CreateScoresTablesInput, type CreateScoresTablesResult, createScoresTables } from './create.js';
export {
  type PersistScoresInput,
  type PersistScoresResult,
  persistScores,
  resolveTargetUrl,
  type ScoreSplit,
} from './persist.js';
export { type RollbackScoresInput, type RollbackScoresResult, rollbackScores } from './rollback.js';
export { PREDICTION_SPLITS, REQUIRED_PREDICTION_COLUMNS, SCORE_SPLITS } from './run-input.js';
export {
  DEFAULT_SCORES_TABLE,
  historyTable,
  parseScoresTable,
  scoresDdl,
  scoresDdlFilePath,
  scoresDdlFileText,
  scoresTable,
} from './tables.js';
