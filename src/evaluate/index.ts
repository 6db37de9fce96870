// The evaluate stage's public API: metrics, bootstrap intervals and gates.

export { averagePrecision } from './average-precision.js';
export { type BootstrapInterval, type BootstrapOptions, bootstrapInterval } from './bootstrap.js';
export { brierScore } from './brier-score.js';
export {
  type CalibrationCurve,
  type CalibrationCurveOptions,
  calibrationCurve,
  expectedCalibrationError,
} from './calibration-curve.js';
export {
  DEFAULT_GATE_CONFIG,
  evaluateGates,
  type GateConfig,
  type GateMetric,
  type GateReport,
  type GateResult,
  type GateRule,
  type MetricRecord,
} from './gates.js';
export { liftAt, liftAtFraction, type PrecisionAtK, precisionAtK, topCount } from './lift.js';
export { LOG_LOSS_EPS, logLoss } from './log-loss.js';
export {
  isAvailable,
  type MetricFn,
  type MetricValue,
  type Unavailable,
  type UnavailableCode,
  unavailable,
} from './metric-value.js';
export { rocAuc } from './roc-auc.js';
