// The recommend stage's public API: run folder + cleaned tables → recommendations, the
// store of proposals and their approval, change requests.

export {
  type Analysis,
  type AnalyzeInput,
  type Arm,
  analyze,
  type CampaignPath,
  type Comparison,
  type ComparisonKind,
  DEFAULT_BAR,
  type ElementStats,
  type Recommendation,
  type RecommendBar,
  type RecStatus,
  type StepRemovalFinding,
} from './analyze.js';
export { type PromptEdit, promptEdits, readingGrade, type TextProfile, textProfile } from './content.js';
export { EXPECTED_FEATURES, EXPECTED_FOLDS, expectedScores } from './expected.js';
export { loadRecData, type RecData } from './load.js';
export { type ExperimentPlan, experimentPlan, PLAN_DEFAULTS } from './plan.js';
export { recommendationLine, recommendationsMarkdown } from './report.js';
export {
  RECOMMENDATIONS_FILE,
  RECOMMENDATIONS_FORMAT,
  RECOMMENDATIONS_MD,
  type RunRecommendInput,
  type RunRecommendResult,
  resolveRunDir,
  runRecommend,
} from './run.js';
export {
  benjaminiHochberg,
  cohenH,
  type Interval,
  normalCdf,
  normalQuantile,
  srmChiSquare,
  twoProportionSampleSize,
  twoProportionZ,
  wilson,
} from './stats.js';
export {
  addProposals,
  changeRequest,
  findEntry,
  readStore,
  STATUSES,
  type Store,
  type StoreEntry,
  setStatus,
  storePathOf,
  TRANSITIONS,
  writeChangeRequest,
} from './store.js';
