// The label + features stage's public API: cleaned tables → TrainingSet → training_examples.csv.

export { buildTrainingSet, DEFAULT_FEATURE_WINDOW_HOURS } from './build.js';
export { RATE_PRIOR_WEIGHT, smoothedRate } from './campaign.js';
export { csvField, trainingExamplesHeader, writeTrainingExamplesCsv } from './csv.js';
export { ENGAGEMENT_POINTS } from './engagement.js';
export {
  CTA_LEXICON,
  INTENT_LEXICON,
  INTENTS,
  type Intent,
  outboundTextStats,
  replyIntent,
  replySentiment,
  SENTIMENT_LEXICON,
} from './text.js';
export {
  EXCLUSION_REASONS,
  type ExclusionReason,
  type FeatureDef,
  type FeatureFamily,
  type FeatureOptions,
  TARGET_DEFS,
  TARGETS,
  type Target,
  type TargetLabels,
  type TrainingSet,
} from './types.js';
