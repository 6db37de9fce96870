// Probability calibration of raw model scores: Platt, isotonic, or none, chosen on validation.

export { type IsotonicCalibrator, applyIsotonic, fitIsotonic } from './isotonic.js';
export { type PlattCalibrator, applyPlatt, fitPlatt } from './platt.js';
export {
  type CalibrationChoice,
  type Calibrator,
  type IdentityCalibrator,
  type SelectCalibrationOptions,
  applyCalibrator,
  selectCalibration,
} from './select.js';
