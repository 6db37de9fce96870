import { describe, expect, it } from 'vitest';
import { SeededRng } from '../numeric/rng.js';
import { averagePrecision } from './average-precision.js';
import { bootstrapInterval, bootstrapIntervals } from './bootstrap.js';
import { brierScore } from './brier-score.js';
import { liftAt } from './lift.js';
import type { MetricValue } from './metric-value.js';
import { rocAuc } from './roc-auc.js';
import { registerWeighted, weightedOf } from './weighted.js';

function synthetic(n: number, seed: number): { y: Uint8Array; p: Float64Array } {
  const rng = new SeededRng(seed);
  const y = new Uint8Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextFloat() < 0.2 ? 1 : 0;
    // Rounded so there are ties.
    p[i] = Math.round(Math.min(1, Math.max(0, 0.2 + 0.3 * y[i]! + 0.2 * rng.nextNormal())) * 50) / 50;
  }
  return { y, p };
}

describe('bootstrapInterval', () => {
  const { y, p } = synthetic(400, 3);

  it('when several metrics and scorers share one batch then each interval equals its single call', () => {
    const q = synthetic(400, 4).p;
    const constant = new Float64Array(400).fill(0.3);
    const fns = [averagePrecision, rocAuc, brierScore, liftAt(0.1)];
    const batch = bootstrapIntervals(fns, y, [p, q, constant], { nBoot: 150, seed: 5 });
    [p, q, constant].forEach((scores, s) => {
      fns.forEach((fn, m) => {
        expect(batch[s]![m]).toEqual(bootstrapInterval(fn, y, scores, { nBoot: 150, seed: 5 }));
      });
    });
    // The constant scorer ranks nothing: its ranking metrics are unavailable, its Brier is not.
    expect('unavailable' in batch[2]![0]!).toBe(true);
    expect('unavailable' in batch[2]![2]!).toBe(false);
  });

  it('when ranking metrics share the one sorted pass then every interval equals their own kernels bit for bit', () => {
    // The same metrics registered with their kernels only (no fused form).
    const kernelOnly = [averagePrecision, rocAuc, liftAt(0.05), liftAt(0.2)].map((fn) => {
      const spec = weightedOf(fn)!;
      const copy = (yy: Uint8Array, ss: Float64Array): MetricValue => fn(yy, ss);
      return registerWeighted(copy, { ranking: spec.ranking, kernel: spec.kernel });
    });
    const fused = [averagePrecision, rocAuc, liftAt(0.05), liftAt(0.2)];
    const q = synthetic(400, 6).p;
    for (const scores of [p, q]) {
      const a = bootstrapIntervals(fused, y, [scores], { nBoot: 120, seed: 9 })[0]!;
      const b = bootstrapIntervals(kernelOnly, y, [scores], { nBoot: 120, seed: 9 })[0]!;
      expect(a).toEqual(b);
      for (const iv of a) expect('unavailable' in iv).toBe(false);
    }
  });

  it('when few rows with ties often leave a resample one class or one score then the sorted pass equals resampling by copy', () => {
    // 14 rows, 4 positives, 2 distinct scores (a positive low, a negative high): a few
    // resamples have no positive, a few both classes but only the low score, so the
    // one-class and the rankable checks both decide. The unregistered wrappers copy each
    // resample and call the metric itself.
    const yy = Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]);
    const ss = Float64Array.from([0.2, 0.7, 0.2, 0.2, 0.2, 0.2, 0.7, 0.2, 0.2, 0.2, 0.7, 0.2, 0.7, 0.2]);
    // Resamples of both classes and one score exist for this seed's draws (counted here with the same generator).
    const rng = new SeededRng(11, 0xb007);
    let oneScoreBothClasses = 0;
    let oneClass = 0;
    for (let r = 0; r < 1000; r++) {
      const draw = Array.from({ length: 14 }, () => rng.nextInt(14));
      const classes = new Set(draw.map((i) => yy[i]));
      const scores = new Set(draw.map((i) => ss[i]));
      if (classes.size === 2 && scores.size === 1) oneScoreBothClasses++;
      if (classes.size === 1) oneClass++;
    }
    expect(oneScoreBothClasses).toBeGreaterThan(0);
    expect(oneClass).toBeGreaterThan(0);
    const fns = [averagePrecision, rocAuc, liftAt(0.2)];
    let skipped = 0;
    for (const fn of fns) {
      const wrapped = (a: Uint8Array, b: Float64Array): MetricValue => fn(a, b);
      const fast = bootstrapInterval(fn, yy, ss, { nBoot: 1000, seed: 11 });
      const slow = bootstrapInterval(wrapped, yy, ss, { nBoot: 1000, seed: 11 });
      if ('unavailable' in fast || 'unavailable' in slow) throw new Error('unavailable');
      expect(fast.nValid).toBe(slow.nValid);
      expect(fast.lower).toBeCloseTo(slow.lower, 12);
      expect(fast.upper).toBeCloseTo(slow.upper, 12);
      skipped += 1000 - fast.nValid;
    }
    // Every metric skips exactly those resamples.
    expect(skipped).toBe(3 * (oneScoreBothClasses + oneClass));
  });

  it('when called twice with the same seed then the interval is identical', () => {
    const a = bootstrapInterval(averagePrecision, y, p, { nBoot: 200, seed: 7 });
    const b = bootstrapInterval(averagePrecision, y, p, { nBoot: 200, seed: 7 });
    expect(a).toEqual(b);
    const c = bootstrapInterval(averagePrecision, y, p, { nBoot: 200, seed: 8 });
    expect(c).not.toEqual(a);
  });

  it('when the metric is a known one then the fast path equals resampling by copy', () => {
    for (const fn of [averagePrecision, rocAuc, brierScore, liftAt(0.1)]) {
      const wrapped = (yy: Uint8Array, ss: Float64Array): MetricValue => fn(yy, ss);
      const fast = bootstrapInterval(fn, y, p, { nBoot: 100, seed: 1 });
      const slow = bootstrapInterval(wrapped, y, p, { nBoot: 100, seed: 1 });
      if ('unavailable' in fast || 'unavailable' in slow) throw new Error('unavailable');
      expect(fast.nValid).toBe(slow.nValid);
      expect(fast.lower).toBeCloseTo(slow.lower, 12);
      expect(fast.upper).toBeCloseTo(slow.upper, 12);
    }
  });

  it('when computed then lower ≤ point ≤ upper and the 95% interval is narrower than the 99%', () => {
    const i95 = bootstrapInterval(rocAuc, y, p, { nBoot: 300, seed: 2 });
    const i99 = bootstrapInterval(rocAuc, y, p, { nBoot: 300, seed: 2, alpha: 0.01 });
    if ('unavailable' in i95 || 'unavailable' in i99) throw new Error('unavailable');
    expect(i95.lower).toBeLessThanOrEqual(i95.point);
    expect(i95.point).toBeLessThanOrEqual(i95.upper);
    expect(i99.upper - i99.lower).toBeGreaterThan(i95.upper - i95.lower);
  });

  it('when the point metric is unavailable then the interval is unavailable with its reason', () => {
    const r = bootstrapInterval(
      averagePrecision,
      new Uint8Array(5),
      new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]),
    );
    expect(r).toMatchObject({ unavailable: true, code: 'oneClass' });
  });

  it('when most resamples miss the only positive then it is unavailable (too few resamples)', () => {
    const yy = new Uint8Array(20);
    yy[0] = 1;
    const pp = Float64Array.from({ length: 20 }, (_, i) => i / 20);
    expect(bootstrapInterval(averagePrecision, yy, pp, { nBoot: 200 })).toMatchObject({
      code: 'tooFewResamples',
    });
  });

  it('when nBoot or alpha is invalid then it throws evaluate.invalidOption', () => {
    expect(() => bootstrapInterval(rocAuc, y, p, { nBoot: 0 })).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidOption' }),
    );
    expect(() => bootstrapInterval(rocAuc, y, p, { alpha: 1 })).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidOption' }),
    );
  });
});
