// Choosing how to turn raw scores into probabilities: none (the model's own sigmoid),
// Platt or isotonic, by cross-validated Brier score on the validation slice, then refit
// on all of it.

import { LeadliftError } from '../../errors.js';
import { sigmoidAll } from '../../numeric/logistic.js';
import { brierKernel } from '../../numeric/metric-kernels.js';
import { SeededRng } from '../../numeric/rng.js';
import { applyIsotonic, fitIsotonic, type IsotonicCalibrator } from './isotonic.js';
import { applyPlatt, checkInputs, fitPlatt, type PlattCalibrator } from './platt.js';

/** The model's own probabilities: sigmoid of the raw score. */
export interface IdentityCalibrator {
  readonly kind: 'none';
}

/** A serializable map from raw scores to probabilities. */
export type Calibrator = IdentityCalibrator | PlattCalibrator | IsotonicCalibrator;

/** Probabilities from raw scores (log-odds) with any {@link Calibrator}. */
export function applyCalibrator(cal: Calibrator, raw: Float64Array): Float64Array {
  switch (cal.kind) {
    case 'none':
      return sigmoidAll(raw);
    case 'platt':
      return applyPlatt(cal, raw);
    case 'isotonic':
      return applyIsotonic(cal, raw);
  }
}

/** Options of {@link selectCalibration}. */
export interface SelectCalibrationOptions {
  /** Folds of the cross-fit on the validation rows. Default 5. */
  readonly nFolds?: number;
  /** Seed of the fold assignment. Default 0. */
  readonly seed?: number;
}

/** The chosen calibrator and the cross-validated Brier score of each candidate. */
export interface CalibrationChoice {
  readonly calibrator: Calibrator;
  readonly brier: { readonly none: number; readonly platt: number; readonly isotonic: number };
  /** Why the choice was made, in one line. */
  readonly reason: string;
}

/**
 * Picks the calibration with the lowest Brier score on `raw`/`y` (validation rows, not
 * training rows). Platt and isotonic are scored out-of-fold (k-fold cross-fit, so
 * isotonic's flexibility is not rewarded for memorizing), 'none' directly; ties prefer
 * the simpler method (none, then Platt). The winner is refit on all rows. When the rows
 * hold one class or fewer than 2·nFolds rows, 'none' is kept and the reason says why.
 */
export function selectCalibration(
  raw: Float64Array,
  y: Uint8Array,
  options: SelectCalibrationOptions = {},
): CalibrationChoice {
  const nFolds = options.nFolds ?? 5;
  if (!Number.isInteger(nFolds) || nFolds < 2) {
    throw new LeadliftError(
      'evaluate.invalidOption',
      `selectCalibration: nFolds must be an integer ≥ 2; got ${nFolds}.`,
    );
  }
  checkInputs('selectCalibration', raw, y);
  const n = raw.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const none = brierKernel(y, sigmoidAll(raw), undefined);
  if (pos === 0 || pos === n || n < 2 * nFolds) {
    return {
      calibrator: { kind: 'none' },
      brier: { none, platt: Number.NaN, isotonic: Number.NaN },
      reason: `kept the model's own probabilities: ${n} validation rows with ${pos} positives are too few to fit a calibration`,
    };
  }
  // Folds: a seeded permutation dealt round-robin.
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  new SeededRng(options.seed ?? 0, 0xca1).shuffle(perm);
  const fold = new Uint8Array(n);
  for (let k = 0; k < n; k++) fold[perm[k]!] = k % nFolds;
  const oofPlatt = new Float64Array(n);
  const oofIso = new Float64Array(n);
  for (let f = 0; f < nFolds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? testIdx : trainIdx).push(i);
    const rTrain = Float64Array.from(trainIdx, (i) => raw[i]!);
    const yTrain = Uint8Array.from(trainIdx, (i) => y[i]!);
    const rTest = Float64Array.from(testIdx, (i) => raw[i]!);
    const pPlatt = applyPlatt(fitPlatt(rTrain, yTrain), rTest);
    const pIso = applyIsotonic(fitIsotonic(rTrain, yTrain), rTest);
    testIdx.forEach((i, k) => {
      oofPlatt[i] = pPlatt[k]!;
      oofIso[i] = pIso[k]!;
    });
  }
  const platt = brierKernel(y, oofPlatt, undefined);
  const isotonic = brierKernel(y, oofIso, undefined);
  const brier = { none, platt, isotonic };
  if (none <= platt && none <= isotonic) {
    return {
      calibrator: { kind: 'none' },
      brier,
      reason: `model's own probabilities have the lowest Brier (${none.toFixed(5)})`,
    };
  }
  if (platt <= isotonic) {
    return {
      calibrator: fitPlatt(raw, y),
      brier,
      reason: `Platt has the lowest cross-validated Brier (${platt.toFixed(5)})`,
    };
  }
  return {
    calibrator: fitIsotonic(raw, y),
    brier,
    reason: `isotonic has the lowest cross-validated Brier (${isotonic.toFixed(5)})`,
  };
}
