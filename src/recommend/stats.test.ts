import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentPlan } from './plan.js';
import {
  benjaminiHochberg,
  cohenH,
  normalCdf,
  normalQuantile,
  srmChiSquare,
  twoProportionSampleSize,
  twoProportionZ,
  wilson,
} from './stats.js';

// Golden values: scripts/golden/recommend_stats.py (statsmodels 0.13.5, scipy 1.10.1, seed 20261202).
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'golden', 'stats.json'), 'utf8')) as {
  provenance: { tool: string; version: string; seed: number };
  wilson: { k: number; n: number; lower: number; upper: number }[];
  bh: { p: number[]; q: number[] };
  sample_sizes: { p1: number; p2: number; h: number; arcsine: number; pooled: number }[];
  normal_cdf: { x: number; cdf: number }[];
  normal_quantile: { p: number; q: number }[];
  srm: { observed: number[]; shares: number[]; statistic: number; p: number }[];
  two_proportion_z: { k1: number; n1: number; k2: number; n2: number; z: number }[];
};

describe('golden provenance', () => {
  it('when the fixture is read then it names statsmodels and its seed', () => {
    expect(golden.provenance.tool).toContain('statsmodels');
    expect(golden.provenance.seed).toBe(20261202);
  });
});

describe('normalCdf / normalQuantile', () => {
  it('when compared with scipy.stats.norm then they agree to 1e-12 relative', () => {
    for (const g of golden.normal_cdf) expect(normalCdf(g.x)).toBeCloseTo(g.cdf, 12);
    for (const g of golden.normal_cdf)
      if (g.cdf > 1e-300) expect(Math.abs(normalCdf(g.x) / g.cdf - 1)).toBeLessThan(1e-9);
    for (const g of golden.normal_quantile) expect(normalQuantile(g.p)).toBeCloseTo(g.q, 10);
  });
  it('when p is 0, 1 or outside then the quantile is ±Infinity or NaN', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('wilson', () => {
  it('when compared with statsmodels proportion_confint(method="wilson") then bounds agree to 1e-12', () => {
    for (const g of golden.wilson) {
      const w = wilson(g.k, g.n);
      expect(w.lower).toBeCloseTo(g.lower, 12);
      expect(w.upper).toBeCloseTo(g.upper, 12);
      expect(w.point).toBe(g.k / g.n);
    }
  });
  it('when n is 0 then every bound is NaN', () => {
    expect(wilson(0, 0).lower).toBeNaN();
  });
});

describe('benjaminiHochberg', () => {
  it('when compared with statsmodels multipletests(fdr_bh) then q-values agree', () => {
    const q = benjaminiHochberg(golden.bh.p);
    for (const [i, v] of golden.bh.q.entries()) expect(q[i]).toBeCloseTo(v, 14);
  });
  it('when a p-value is NaN then it stays NaN and is not counted', () => {
    const q = benjaminiHochberg([0.01, Number.NaN, 0.04]);
    expect(q[1]).toBeNaN();
    expect(q[0]).toBeCloseTo(0.02, 14);
    expect(q[2]).toBeCloseTo(0.04, 14);
  });
});

describe('twoProportionSampleSize', () => {
  it('when compared with statsmodels NormalIndPower and the pooled formula then both forms agree', () => {
    for (const g of golden.sample_sizes) {
      expect(cohenH(g.p1, g.p2)).toBeCloseTo(g.h, 12);
      const s = twoProportionSampleSize(g.p1, g.p2);
      expect(Math.abs(s.arcsine / g.arcsine - 1)).toBeLessThan(1e-6);
      expect(Math.abs(s.pooled / g.pooled - 1)).toBeLessThan(1e-10);
    }
  });
});

describe('twoProportionZ', () => {
  it('when compared with statsmodels proportions_ztest then z agrees to 1e-12', () => {
    expect(golden.two_proportion_z.length).toBe(5);
    for (const g of golden.two_proportion_z)
      expect(twoProportionZ(g.k1, g.n1, g.k2, g.n2)).toBeCloseTo(g.z, 12);
  });
  it('when an arm is empty or the pooled rate is 0 or 1 then z is 0', () => {
    expect(twoProportionZ(3, 10, 0, 0)).toBe(0);
    expect(twoProportionZ(0, 10, 0, 20)).toBe(0);
    expect(twoProportionZ(10, 10, 20, 20)).toBe(0);
  });
});

describe('srmChiSquare', () => {
  it('when compared with scipy.stats.chisquare then statistic and p agree (1 and 2 df exactly)', () => {
    for (const g of golden.srm) {
      const r = srmChiSquare(g.observed, g.shares);
      expect(r.statistic).toBeCloseTo(g.statistic, 10);
      expect(r.pValue).toBeCloseTo(g.p, 9);
    }
  });
});

describe('experimentPlan', () => {
  it('when the effect is the slot test (14.2% → 24.2%) then per-arm size is the larger reference form rounded up', () => {
    const g = golden.sample_sizes[0]!;
    const plan = experimentPlan({
      hypothesis: 'h',
      control: { description: 'c', text: 'a' },
      treatment: { description: 't', text: 'b' },
      metric: 'booked_call_within_7d',
      windowDays: 7,
      baselineRate: g.p2,
      uplift: g.p1 - g.p2,
      perDay: 20,
      optOutRate: 0.01,
      negativeReplyRate: 0.05,
    });
    expect(plan.sample_size.per_arm).toBe(Math.max(200, Math.ceil(Math.max(g.arcsine, g.pooled))));
    expect(plan.duration.days_to_enroll).toBe(Math.ceil((2 * plan.sample_size.per_arm) / 20));
    expect(plan.rollout.map((s) => s.treatment_share)).toEqual([0.1, 0.5, 1]);
  });
});
