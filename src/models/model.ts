// Any fitted model, and the operations every model supports: raw scores, probabilities,
// per-row contributions, and loading a model back from model.json.

import { LeadliftError } from '../errors.js';
import type { Frame } from '../numeric/frame.js';
import type { Contributions } from './contributions.js';
import type { GbtModel } from './gbt/model.js';
import { predictProbaGbt, predictRawGbt } from './gbt/predict.js';
import { shapValues } from './gbt/shap.js';
import type { LogregModel } from './logreg/model.js';
import { contributionsLogreg, predictProbaLogreg, predictRawLogreg } from './logreg/predict.js';

/** A fitted model of any kind (discriminated by `kind`). */
export type Model = LogregModel | GbtModel;

/** Raw scores (log-odds) of every row of `x`. */
export function predictRaw(model: Model, x: Frame): Float64Array {
  return model.kind === 'gbt' ? predictRawGbt(model, x) : predictRawLogreg(model, x);
}

/** Probabilities of the positive class of every row of `x` (before any calibration). */
export function predictProba(model: Model, x: Frame): Float64Array {
  return model.kind === 'gbt' ? predictProbaGbt(model, x) : predictProbaLogreg(model, x);
}

/** Options of {@link explain}. */
export interface ExplainOptions {
  /**
   * Trees only: TreeSHAP by path pattern or row by row (see ShapOptions.byPattern; its
   * default depends on the number of rows, so a caller explaining a table in row blocks
   * passes the choice for the whole table to get the same values). Default as shapValues.
   */
  readonly byPattern?: boolean;
}

/**
 * Per-row additive contributions to the raw score: exact TreeSHAP for trees,
 * coefficient × standardized value for logistic regression.
 */
export function explain(model: Model, x: Frame, options: ExplainOptions = {}): Contributions {
  return model.kind === 'gbt'
    ? shapValues(model, x, options.byPattern === undefined ? {} : { byPattern: options.byPattern })
    : contributionsLogreg(model, x);
}

/**
 * Checks that a parsed model.json holds a model this version can use and returns it
 * typed. Throws `models.invalidModelFile` naming what is wrong.
 */
export function modelFromJson(value: unknown): Model {
  const problems: string[] = [];
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) {
    problems.push('it is not a JSON object');
  } else if (v.kind !== 'gbt' && v.kind !== 'logreg') {
    problems.push(`kind is ${JSON.stringify(v.kind)} (allowed: "gbt", "logreg")`);
  } else if (v.formatVersion !== 1) {
    problems.push(`formatVersion is ${JSON.stringify(v.formatVersion)}; this leadlift reads version 1`);
  } else {
    const names = v.featureNames;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
      problems.push('featureNames is not a list of names');
    const nF = Array.isArray(names) ? names.length : 0;
    if (v.kind === 'logreg') {
      if (!numbers(v.coefficients, nF)) problems.push(`coefficients is not ${nF} numbers`);
      if (typeof v.intercept !== 'number') problems.push('intercept is not a number');
      const sc = v.scaler as Record<string, unknown> | undefined;
      if (!sc || !numbers(sc.mean, nF) || !numbers(sc.scale, nF))
        problems.push(`scaler lacks ${nF} means and scales`);
    } else {
      if (typeof v.initScore !== 'number') problems.push('initScore is not a number');
      if (!Array.isArray(v.trees)) problems.push('trees is not a list');
      else
        v.trees.forEach((t: unknown, k: number) => {
          checkTree(t, k, nF, problems);
        });
    }
  }
  if (problems.length > 0) {
    throw new LeadliftError(
      'models.invalidModelFile',
      `The model file is not a leadlift model: ${problems.slice(0, 5).join('; ')}. Re-run train to produce it.`,
      { details: { problems } },
    );
  }
  return value as Model;
}

const TREE_NODE_ARRAYS = [
  'splitFeature',
  'threshold',
  'leftChild',
  'rightChild',
  'internalCount',
  'splitGain',
];

/** Adds the problems of tree `k` (of a model with `nF` features) to `problems`. */
function checkTree(tree: unknown, k: number, nF: number, problems: string[]): void {
  const t = (tree ?? {}) as Record<string, unknown>;
  const L = t.numLeaves;
  if (typeof L !== 'number' || L < 1) {
    problems.push(`tree ${k} has no numLeaves`);
    return;
  }
  for (const key of TREE_NODE_ARRAYS) {
    if (!numbers(t[key], L - 1)) problems.push(`tree ${k}.${key} is not ${L - 1} numbers`);
  }
  if (!Array.isArray(t.defaultLeft) || t.defaultLeft.length !== L - 1) problems.push(`tree ${k}.defaultLeft`);
  if (!numbers(t.leafValue, L) || !numbers(t.leafCount, L))
    problems.push(`tree ${k} leaves are not ${L} numbers`);
  if (numbers(t.splitFeature, L - 1) && (t.splitFeature as number[]).some((f) => f < 0 || f >= nF)) {
    problems.push(`tree ${k} splits on a feature index outside 0..${nF - 1}`);
  }
}

function numbers(a: unknown, n: number): boolean {
  return Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number');
}
