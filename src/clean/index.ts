// The clean stage's public API.

export { type CleanConfig, cleanConfigSchema } from './config.js';
export {
  CLEAN_REPORT_FILE,
  CLEAN_REPORT_FORMAT,
  CLEANED_FORMAT,
  type CleanedEntityManifest,
  type CleanedManifest,
  type CleanReport,
  type CleanRuleCount,
  formatCleanTable,
} from './report.js';
export { CLEAN_RULE_DOCS, CLEAN_RULE_IDS, type CleanRuleId } from './rules.js';
export { type CleanOptions, cleanSnapshot } from './run.js';
export { type CleanTables, openCleanTables } from './tables.js';
