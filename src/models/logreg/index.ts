// Logistic regression (standardized, L2): the baseline the seed pipeline used.

export { fitLogreg } from './fit.js';
export type { LogregModel } from './model.js';
export { type LogregParams, resolveLogregParams } from './params.js';
export { contributionsLogreg, predictProbaLogreg, predictRawLogreg } from './predict.js';
