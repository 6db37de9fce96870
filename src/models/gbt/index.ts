// Histogram gradient-boosted trees: the main scoring model.

export { type FitGbtOptions, fitGbt } from './fit.js';
export { type FeatureImportance, featureImportance } from './importance.js';
export { type GbtModel, type GbtTree, THRESHOLD_INFINITY } from './model.js';
export { GBT_METRICS, type GbtMetric, type GbtParams, resolveGbtParams } from './params.js';
export { predictProbaGbt, predictRawGbt } from './predict.js';
export { shapValues } from './shap.js';
