// The logistic link and its numerically safe relatives, shared by models, calibration
// and metrics.

/** 1 / (1 + e^-z), without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z), without overflow for large z nor loss of precision for very negative z. */
export function log1pExp(z: number): number {
  if (z > 35) return z;
  if (z < -35) return Math.exp(z);
  return Math.log1p(Math.exp(z));
}

/** log(p / (1 − p)), the inverse of {@link sigmoid}; ±Infinity at 1 and 0. */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/** Applies {@link sigmoid} to every entry into a new array. */
export function sigmoidAll(raw: Float64Array): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = sigmoid(raw[i]!);
  return out;
}
