// The statistics of the recommend stage: intervals for rates, the normal distribution,
// Benjamini–Hochberg, the two-proportion z-test and sample sizes and the sample-ratio-mismatch test.
// Golden values: scripts/golden/recommend_stats.py (scipy, statsmodels).

/** Standard normal CDF Φ(x), from {@link erfc}. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function; W. J. Cody's rational approximations (double precision). */
export function erfc(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 0.5) {
    // erf by its Taylor series around 0 (fast convergence for |x| < 0.5).
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 40; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const erf = (2 / Math.sqrt(Math.PI)) * sum;
    r = 1 - erf;
  } else {
    // Continued fraction (Lentz) for erfc, accurate for x ≥ 0.5.
    const tiny = 1e-300;
    let f = ax;
    let c = ax;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const an = n / 2;
      d = ax + an * d;
      d = d === 0 ? tiny : d;
      c = ax + an / c;
      c = c === 0 ? tiny : c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  }
  return x >= 0 ? r : 2 - r;
}

/** Inverse of Φ (Acklam's approximation refined by one Halley step; ~1e-15 relative). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** An estimate with a two-sided interval. */
export interface Interval {
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Wilson score interval of `k` successes in `n` trials at `confidence` (default 0.95) —
 * statsmodels `proportion_confint(k, n, method='wilson')`. `n = 0` gives NaN bounds.
 */
export function wilson(k: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return { point: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { point: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in input order — statsmodels
 * `multipletests(p, method='fdr_bh')[1]`. NaN p-values stay NaN and are not counted.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const idx = pValues.map((p, i) => [p, i] as const).filter(([p]) => !Number.isNaN(p));
  idx.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const m = idx.length;
  const out = pValues.map(() => Number.NaN);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = idx[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    out[i] = running;
  }
  return out;
}

/**
 * Pooled two-proportion z statistic of k1/n1 − k2/n2: (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂))
 * with p̄ = (k1 + k2)/(n1 + n2) — statsmodels `proportions_ztest([k1, k2], [n1, n2])`.
 * 0 when either n is 0 or the pooled variance is 0 (statsmodels gives NaN or ±inf there).
 */
export function twoProportionZ(k1: number, n1: number, k2: number, n2: number): number {
  if (!(n1 > 0 && n2 > 0)) return 0;
  const pool = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2));
  return se > 0 ? (k1 / n1 - k2 / n2) / se : 0;
}

/** Cohen's effect size h for two proportions: 2·asin(√p1) − 2·asin(√p2) (statsmodels `proportion_effectsize`). */
export function cohenH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/**
 * Sample size per arm to detect `p1` vs `p2` with a two-sided test at `alpha` and `power`:
 * the arcsine (Cohen's h) form — statsmodels `NormalIndPower().solve_power(effect_size=h,
 * alpha, power, ratio=1, alternative='two-sided')` — and the pooled-variance normal form
 * n = (z₁₋α/₂·√(2p̄(1−p̄)) + z₁₋β·√(p1(1−p1) + p2(1−p2)))² / (p1 − p2)². Both unrounded;
 * plans use the larger, rounded up.
 */
export function twoProportionSampleSize(
  p1: number,
  p2: number,
  alpha = 0.05,
  power = 0.8,
): { readonly arcsine: number; readonly pooled: number } {
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const h = Math.abs(cohenH(p1, p2));
  // statsmodels solves power(n) = Φ(h√(n/2) − z) + Φ(−h√(n/2) − z) for n; the second term
  // (the wrong tail) is tiny but included so the numbers match it to its tolerance.
  const powerAt = (n: number) => normalCdf(h * Math.sqrt(n / 2) - za) + normalCdf(-h * Math.sqrt(n / 2) - za);
  let n = 2 * ((za + zb) / h) ** 2;
  let hi = n;
  let lo = n / 2;
  if (Number.isFinite(n) && n > 0) {
    while (powerAt(hi) < power) hi *= 2;
    while (powerAt(lo) > power) lo /= 2;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (powerAt(mid) < power) lo = mid;
      else hi = mid;
    }
    n = (lo + hi) / 2;
  }
  const pbar = (p1 + p2) / 2;
  const pooled =
    (za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 /
    (p1 - p2) ** 2;
  return { arcsine: n, pooled };
}

/**
 * Chi-square goodness-of-fit test of observed arm counts against planned shares (the
 * sample-ratio-mismatch check) — scipy `chisquare(observed, f_exp)`. Returns the statistic
 * and p-value (df = arms − 1; 1 and 2 degrees of freedom have closed forms, more use the
 * Wilson–Hilferty normal approximation).
 */
export function srmChiSquare(
  observed: readonly number[],
  shares: readonly number[],
): { readonly statistic: number; readonly pValue: number; readonly df: number } {
  const total = observed.reduce((a, b) => a + b, 0);
  const sumShares = shares.reduce((a, b) => a + b, 0);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = (total * shares[i]!) / sumShares;
    stat += (observed[i]! - e) ** 2 / e;
  }
  const df = observed.length - 1;
  let p: number;
  if (df === 1) p = erfc(Math.sqrt(stat / 2));
  else if (df === 2) p = Math.exp(-stat / 2);
  else {
    const z = ((stat / df) ** (1 / 3) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
    p = 1 - normalCdf(z);
  }
  return { statistic: stat, pValue: p, df };
}

/** Mean and sample variance (n − 1) of values. */
export function meanVar(values: ArrayLike<number>): { mean: number; variance: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, variance: Number.NaN, n };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, variance: n > 1 ? ss / (n - 1) : Number.NaN, n };
}
