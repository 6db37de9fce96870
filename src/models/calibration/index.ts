// Probability calibration of raw model scores: Platt, isotonic, or none, chosen on validation.

export { applyIsotonic, fitIsotonic, type IsotonicCalibrator } from './isotonic.js';
export { applyPlatt, fitPlatt, type PlattCalibrator } from './platt.js';
export {
  applyCalibrator,
  type CalibrationChoice,
  type Calibrator,
  type IdentityCalibrator,
  type SelectCalibrationOptions,
  selectCalibration,
} from './select.js';
