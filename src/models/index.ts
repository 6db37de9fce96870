// The models' public API: estimators, calibration, explanations and the shared model operations.

export * from './calibration/index.js';
export { type Contributions, type Reason, type RowReasons, topReasons } from './contributions.js';
export * from './gbt/index.js';
export * from './logreg/index.js';
export { explain, type Model, modelFromJson, predictProba, predictRaw } from './model.js';
export { type ParamSpec, resolveParams } from './params.js';
export { fitStandardScaler, type StandardScaler, transformStandard } from './scaler.js';
