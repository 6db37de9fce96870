// The train stage's public API (flat-table mode): read and type a flat table, train and
// evaluate the candidates, and build or write the run folder.

export {
  type BaselineScores,
  COMPARATOR_COLS,
  comparatorScores,
  RULES_SCORE_COL,
  rulesScores,
} from './baselines.js';
export { type CsvTable, csvField, detectDelimiter, formatCsv, parseCsv } from './csv.js';
export {
  type CategoricalEncoding,
  DEFAULT_MAX_ONE_HOT,
  encodeCodes,
  encodeOneHot,
  type FeatureEncoding,
  fitPreprocessing,
  type NumericEncoding,
  oneHotNames,
  type Preprocessing,
} from './encoding.js';
export {
  type EvaluateScoresOptions,
  evaluateByOrg,
  evaluateScores,
  type MetricInterval,
  type ModelEvaluation,
  type OrgEvaluation,
  type PrecisionAtKValue,
} from './evaluation.js';
export {
  describeValue,
  formatContribution,
  type ReasonTable,
  type RowReasonText,
  reasonAt,
  reasonsOf,
  reasonsText,
} from './reasons.js';
export {
  jsonText,
  predictionsCsv,
  RUN_FILES,
  type RunFolderExtras,
  type RunModelFile,
  runMetricsJson,
  runModelJson,
  runScalerJson,
  trainingExamplesCsv,
  writeRunFolder,
} from './run-folder.js';
export { scoreWithRunModel } from './score.js';
export { type RowSplit, SPLIT_MODES, type SplitMode, splitRows, timeOrder } from './split.js';
export { type SyntheticOptions, syntheticFlatCsv } from './synthetic.js';
export {
  cellText,
  type FeatureColumn,
  type FlatTable,
  type FlatTableSpec,
  flatTableOf,
  isMissingCell,
  type TypedFeatureColumn,
} from './table.js';
export {
  type CandidateReport,
  type FeatureImportanceRow,
  type FittedCandidate,
  type ModelGateReport,
  type ModelView,
  ORG_ID_COL,
  PRIOR_DEFINITION,
  type RuleBaselineEvaluation,
  type TrainFlatOptions,
  type TrainResult,
  trainFlat,
} from './train.js';
