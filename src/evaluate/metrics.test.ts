import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { averagePrecision } from './average-precision.js';
import { brierScore } from './brier-score.js';
import { calibrationCurve, expectedCalibrationError } from './calibration-curve.js';
import { liftAtFraction, precisionAtK } from './lift.js';
import { logLoss } from './log-loss.js';
import type { MetricValue } from './metric-value.js';
import { rocAuc } from './roc-auc.js';

interface GoldenCase {
  readonly name: string;
  readonly yTrue: number[];
  readonly scores: number[];
  readonly averagePrecision: number;
  readonly rocAuc: number;
  readonly brierScore: number;
  readonly logLoss: number;
  readonly calibrationCurve: Record<string, { probTrue: number[]; probPred: number[] }>;
}
const golden = JSON.parse(readFileSync(new URL('./golden/metrics.json', import.meta.url), 'utf8')) as {
  tool: string;
  version: string;
  seed: number;
  cases: GoldenCase[];
};

const y = (v: number[]) => Uint8Array.from(v);
const s = (v: number[]) => Float64Array.from(v);
const value = (m: MetricValue): number => {
  if (typeof m !== 'number') throw new Error(`unavailable: ${m.reason}`);
  return m;
};
const codeOf = (m: MetricValue | object): string | undefined =>
  'unavailable' in Object(m) ? (m as { code: string }).code : undefined;

describe('golden fixture', () => {
  it('when loaded then it records tool, version and seed', () => {
    expect(golden.tool).toBe('scikit-learn');
    expect(golden.version).toMatch(/^1\.2\./);
    expect(typeof golden.seed).toBe('number');
    expect(golden.cases.length).toBeGreaterThanOrEqual(4);
  });
});

describe('averagePrecision', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))(
    'when case %s then it equals scikit-learn',
    (_n, c) => {
      expect(value(averagePrecision(y(c.yTrue), s(c.scores)))).toBeCloseTo(c.averagePrecision, 12);
    },
  );

  it('when scores are distinct then AP is the sum of precision at each recall step', () => {
    // recall steps 1/2 at precision 1, 1/2 at precision 2/3.
    expect(value(averagePrecision(y([1, 0, 1]), s([0.9, 0.8, 0.7])))).toBeCloseTo(0.5 + 1 / 3, 15);
  });

  it('when a positive and a negative tie then they form one threshold', () => {
    // thresholds .8 (P = 1/2, R = 1/2) and .3 (P = 2/3, R = 1).
    expect(value(averagePrecision(y([1, 0, 1, 0]), s([0.8, 0.8, 0.3, 0.1])))).toBeCloseTo(0.25 + 1 / 3, 15);
    // Swapping the tied rows' order changes nothing.
    expect(value(averagePrecision(y([0, 1, 1, 0]), s([0.8, 0.8, 0.3, 0.1])))).toBeCloseTo(0.25 + 1 / 3, 15);
  });

  it('when inputs are degenerate then the metric is unavailable with a code', () => {
    expect(codeOf(averagePrecision(y([]), s([])))).toBe('empty');
    expect(codeOf(averagePrecision(y([0, 0, 0]), s([0.1, 0.2, 0.3])))).toBe('oneClass');
    expect(codeOf(averagePrecision(y([1, 1]), s([0.1, 0.2])))).toBe('oneClass');
    expect(codeOf(averagePrecision(y([1, 0]), s([0.4, 0.4])))).toBe('constantScores');
    expect(codeOf(averagePrecision(y([1, 0]), s([Number.NaN, 0.4])))).toBe('nonFiniteScores');
  });

  it('when lengths differ or labels are not 0/1 then it throws evaluate.invalidInput', () => {
    expect(() => averagePrecision(y([1, 0]), s([0.1]))).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidInput' }),
    );
    expect(() => averagePrecision(y([2, 0]), s([0.1, 0.2]))).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidInput' }),
    );
  });
});

describe('rocAuc', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))(
    'when case %s then it equals scikit-learn',
    (_n, c) => {
      expect(value(rocAuc(y(c.yTrue), s(c.scores)))).toBeCloseTo(c.rocAuc, 12);
    },
  );

  it('when a positive ties a negative then the pair counts one half', () => {
    // pairs: (.9 vs .5) = 1, (.5 vs .5) = 1/2.
    expect(value(rocAuc(y([1, 0, 1]), s([0.5, 0.5, 0.9])))).toBe(0.75);
  });

  it('when scores are constant or one class then it is unavailable', () => {
    expect(codeOf(rocAuc(y([1, 0, 1]), s([0.5, 0.5, 0.5])))).toBe('constantScores');
    expect(codeOf(rocAuc(y([0, 0]), s([0.1, 0.5])))).toBe('oneClass');
  });
});

describe('brierScore', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))(
    'when case %s then it equals scikit-learn',
    (_n, c) => {
      expect(value(brierScore(y(c.yTrue), s(c.scores)))).toBeCloseTo(c.brierScore, 14);
    },
  );

  it('when there is one class or constant probabilities then it is still defined', () => {
    expect(value(brierScore(y([0, 0]), s([0.1, 0.3])))).toBeCloseTo((0.01 + 0.09) / 2, 15);
    expect(value(brierScore(y([1, 0]), s([0.5, 0.5])))).toBe(0.25);
  });

  it('when probabilities are outside [0, 1] or NaN then it is unavailable', () => {
    expect(codeOf(brierScore(y([1, 0]), s([1.5, 0.2])))).toBe('outOfRange');
    expect(codeOf(brierScore(y([1, 0]), s([Number.NaN, 0.2])))).toBe('nonFiniteScores');
    expect(codeOf(brierScore(y([]), s([])))).toBe('empty');
  });
});

describe('logLoss', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))(
    'when case %s then it equals scikit-learn',
    (_n, c) => {
      expect(value(logLoss(y(c.yTrue), s(c.scores)))).toBeCloseTo(c.logLoss, 12);
    },
  );

  it('when a probability is exactly wrong then it is clipped, not infinite', () => {
    expect(value(logLoss(y([1]), s([0])))).toBeCloseTo(-Math.log(1e-15), 10);
  });
});

describe('calibrationCurve', () => {
  for (const c of golden.cases) {
    for (const nBins of ['5', '10']) {
      it(`when case ${c.name} with ${nBins} bins then it equals scikit-learn`, () => {
        const curve = calibrationCurve(y(c.yTrue), s(c.scores), { nBins: Number(nBins) });
        if ('unavailable' in curve) throw new Error(curve.reason);
        const want = c.calibrationCurve[nBins]!;
        expect(curve.probTrue.length).toBe(want.probTrue.length);
        curve.probTrue.forEach((v, k) => {
          expect(v).toBeCloseTo(want.probTrue[k]!, 14);
        });
        curve.probPred.forEach((v, k) => {
          expect(v).toBeCloseTo(want.probPred[k]!, 14);
        });
      });
    }
  }

  it('when a probability lies on an inner edge then it belongs to the lower bin', () => {
    const curve = calibrationCurve(y([1, 0]), s([0.2, 0.21]), { nBins: 5 });
    if ('unavailable' in curve) throw new Error(curve.reason);
    expect(curve.bins).toEqual([0, 1]);
  });

  it('when nBins is not a positive integer then it throws evaluate.invalidOption', () => {
    expect(() => calibrationCurve(y([1]), s([0.5]), { nBins: 0 })).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidOption' }),
    );
  });
});

describe('expectedCalibrationError', () => {
  it('when two bins are off by 0.1 and 0.3 then ECE is their row-weighted mean', () => {
    // bin [0.1, 0.2): 2 rows at 0.15, rate 1/2 → |0.5 − 0.15| = 0.35; bin (0.9, 1]: 2 rows at 0.95, rate 1 → 0.05.
    const ece = expectedCalibrationError(y([1, 0, 1, 1]), s([0.15, 0.15, 0.95, 0.95]));
    expect(value(ece)).toBeCloseTo(0.5 * 0.35 + 0.5 * 0.05, 15);
  });

  it('when probabilities equal the observed rates then ECE is 0', () => {
    expect(value(expectedCalibrationError(y([1, 0, 1, 0]), s([0.5, 0.5, 0.5, 0.5])))).toBe(0);
  });
});

describe('liftAtFraction', () => {
  it('when the top 10% holds only positives then lift is 1 / base rate', () => {
    const labels = y([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const scores = s([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
    expect(value(liftAtFraction(labels, scores, 0.1))).toBe(5);
    expect(value(liftAtFraction(labels, scores, 0.2))).toBeCloseTo(2.5, 15);
  });

  it('when a tie group straddles the cut then it counts in proportion', () => {
    // top 1 of 4: two rows tie at the top, one positive → expected precision 1/2; base rate 1/4.
    expect(value(liftAtFraction(y([1, 0, 0, 0]), s([0.9, 0.9, 0.1, 0.2]), 0.25))).toBe(2);
  });

  it('when the fraction is outside (0, 1] then it throws evaluate.invalidOption', () => {
    expect(() => liftAtFraction(y([1, 0]), s([0.1, 0.2]), 0)).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidOption' }),
    );
  });
});

describe('precisionAtK', () => {
  it('when k ≤ n then it is the positive share of the top k', () => {
    const r = precisionAtK(y([1, 0, 1, 0]), s([0.9, 0.8, 0.7, 0.1]), 3);
    expect(r).toEqual({ value: 2 / 3, k: 3, requestedK: 3, note: undefined });
  });

  it('when k > n then it uses n and says so', () => {
    const r = precisionAtK(y([1, 0, 1, 0]), s([0.9, 0.8, 0.7, 0.1]), 100);
    if ('unavailable' in r) throw new Error(r.reason);
    expect(r.k).toBe(4);
    expect(r.value).toBe(0.5);
    expect(r.note).toContain('k = 100 > 4 rows');
  });

  it('when there is one class then it is unavailable', () => {
    expect(codeOf(precisionAtK(y([0, 0]), s([0.1, 0.2]), 1))).toBe('oneClass');
  });
});
