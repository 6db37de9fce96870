import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../numeric/rng.js';
import { applyIsotonic, fitIsotonic } from './isotonic.js';
import { applyPlatt, fitPlatt } from './platt.js';
import { applyCalibrator, selectCalibration } from './select.js';

interface Case {
  name: string;
  raw: number[];
  y: number[];
  probes: number[];
  isotonic: number[];
  platt: { a: number; b: number };
  plattConverged: { a: number; b: number };
}
const golden = JSON.parse(readFileSync(new URL('../golden/calibration.json', import.meta.url), 'utf8')) as {
  tool: string;
  version: string;
  seed: number;
  cases: Case[];
};

describe('fitIsotonic', () => {
  for (const c of golden.cases) {
    it(`when case ${c.name} then predictions equal scikit-learn's IsotonicRegression`, () => {
      const cal = fitIsotonic(Float64Array.from(c.raw), Uint8Array.from(c.y));
      const p = applyIsotonic(cal, Float64Array.from(c.probes));
      p.forEach((v, i) => {
        expect(v).toBeCloseTo(c.isotonic[i]!, 12);
      });
    });
  }

  it('when labels decrease with the score then violators are pooled into their mean', () => {
    const cal = fitIsotonic(Float64Array.from([1, 2, 3]), Uint8Array.from([1, 0, 0]));
    expect(Array.from(applyIsotonic(cal, Float64Array.from([0, 2, 9])))).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('when there are no rows then it throws evaluate.invalidInput', () => {
    expect(() => fitIsotonic(new Float64Array(0), new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidInput' }),
    );
  });
});

describe('fitPlatt', () => {
  for (const c of golden.cases) {
    it(`when case ${c.name} then a and b match the optimum of scikit-learn's Platt objective`, () => {
      const cal = fitPlatt(Float64Array.from(c.raw), Uint8Array.from(c.y));
      expect(cal.a).toBeCloseTo(c.plattConverged.a, 8);
      expect(cal.b).toBeCloseTo(c.plattConverged.b, 8);
      // scikit-learn's BFGS stops at its default gtol; close, not equal.
      expect(cal.a).toBeCloseTo(c.platt.a, 4);
      expect(cal.b).toBeCloseTo(c.platt.b, 4);
    });
  }

  it('when applied then higher raw scores give higher probabilities', () => {
    const c = golden.cases[0]!;
    const cal = fitPlatt(Float64Array.from(c.raw), Uint8Array.from(c.y));
    const p = applyPlatt(cal, Float64Array.from([-2, 0, 2]));
    expect(p[0]).toBeLessThan(p[1]!);
    expect(p[1]).toBeLessThan(p[2]!);
  });
});

describe('selectCalibration', () => {
  function scores(n: number, shift: number, seed: number): { raw: Float64Array; y: Uint8Array } {
    const rng = new SeededRng(seed);
    const raw = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal() * 1.5;
      y[i] = rng.nextFloat() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      raw[i] = 3 * z + shift; // overconfident and shifted: the raw sigmoid is badly calibrated
    }
    return { raw, y };
  }

  it('when raw scores are miscalibrated then a calibration beats the identity and is chosen', () => {
    const { raw, y } = scores(2000, 2, 1);
    const choice = selectCalibration(raw, y);
    expect(choice.calibrator.kind).not.toBe('none');
    expect(Math.min(choice.brier.platt, choice.brier.isotonic)).toBeLessThan(choice.brier.none);
  });

  it('when raw scores are already calibrated log-odds then the identity is kept or nearly tied', () => {
    const rng = new SeededRng(5);
    const n = 3000;
    const raw = Float64Array.from({ length: n }, () => rng.nextNormal() * 1.5);
    const y = Uint8Array.from(raw, (z) => (rng.nextFloat() < 1 / (1 + Math.exp(-z)) ? 1 : 0));
    const choice = selectCalibration(raw, y);
    const best = Math.min(choice.brier.platt, choice.brier.isotonic, choice.brier.none);
    expect(choice.brier.none - best).toBeLessThan(1e-3);
  });

  it('when the validation rows hold one class then the identity is kept with a reason', () => {
    const choice = selectCalibration(
      Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1]),
      new Uint8Array(11),
    );
    expect(choice.calibrator).toEqual({ kind: 'none' });
    expect(choice.reason).toContain('too few');
  });

  it('when the same inputs and seed are given then the choice is identical', () => {
    const { raw, y } = scores(500, 1, 2);
    expect(JSON.stringify(selectCalibration(raw, y, { seed: 3 }))).toBe(
      JSON.stringify(selectCalibration(raw, y, { seed: 3 })),
    );
  });

  it('when applied then every calibrator gives probabilities in [0, 1]', () => {
    const { raw, y } = scores(500, 1, 3);
    for (const cal of [{ kind: 'none' } as const, fitPlatt(raw, y), fitIsotonic(raw, y)]) {
      const p = applyCalibrator(cal, raw);
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });
});
