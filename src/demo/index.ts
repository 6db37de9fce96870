// The demo data generator's public surface: a realistic Agent Cory DB from a seed, with
// planted effects and a ground-truth file (docs/demo-data.md).

export { buildCatalog, type CampaignDef, type Catalog, type StepDef, type VariantDef } from './catalog.js';
export {
  DEFAULT_BATCH_ENROLLMENTS,
  DEMO_GENERATOR_VERSION,
  type DemoBatch,
  DemoGenerator,
  type DemoTableRows,
  generateDemoInMemory,
} from './generate.js';
export { MESS_RATES, PLACEHOLDERS } from './messiness.js';
export { LABEL_WINDOWS, MODEL } from './model.js';
export {
  DEMO_DEFAULTS,
  DEMO_LIMITS,
  type DemoOptions,
  type DemoOptionsInput,
  resolveDemoOptions,
} from './options.js';
export {
  DEMO_INFO_TABLE,
  DEMO_TABLE_ORDER,
  DEMO_TABLES,
  type DemoTableKey,
  type DemoTableSpec,
} from './tables.js';
export {
  type ArmStats,
  type DemoTruth,
  defaultTruthPath,
  type EffectIds,
  type EffectKind,
  type EffectTarget,
  type MessinessTruth,
  type TruthEffect,
  writeTruthFile,
} from './truth.js';
export {
  DEMO_MARKER,
  dropDemoTables,
  inspectDemoTarget,
  type WriteDemoOptions,
  writeDemoDb,
} from './write.js';
