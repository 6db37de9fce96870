// Small dense linear algebra for Newton steps: a Cholesky solve of a symmetric positive
// definite p×p system (p = number of features, so at most a few hundred).

/**
 * Solves `A x = b` for symmetric positive definite `A` (p×p, row-major; only the lower
 * triangle is read) by Cholesky decomposition. `work` (p×p) receives the factor; `x`
 * (length p) the solution. Returns false, leaving `x` unspecified, when `A` is not
 * numerically positive definite.
 */
export function choleskySolve(
  a: Float64Array,
  b: Float64Array,
  p: number,
  work: Float64Array,
  x: Float64Array,
): boolean {
  const l = work;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * p + i] = Math.sqrt(s);
      } else {
        l[i * p + j] = s / l[j * p + j]!;
      }
    }
  }
  // Forward: L y = b; backward: Lᵀ x = y.
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return true;
}
