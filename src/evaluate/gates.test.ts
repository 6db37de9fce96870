import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG, evaluateGates } from './gates.js';
import { unavailable } from './metric-value.js';

describe('evaluateGates', () => {
  const baseline = { prAuc: 0.4, brier: 0.1 };

  it('when PR-AUC beats baseline × 1.05 and Brier is no worse then the gates pass', () => {
    const r = evaluateGates({ prAuc: 0.43, brier: 0.1 }, baseline);
    expect(r.passed).toBe(true);
    expect(r.results.map((g) => g.passed)).toEqual([true, true]);
    expect(r.results[0]!.threshold).toBeCloseTo(0.42, 15);
  });

  it('when PR-AUC is up by less than 5% then the PR-AUC gate fails with a reason', () => {
    const r = evaluateGates({ prAuc: 0.41, brier: 0.09 }, baseline);
    expect(r.passed).toBe(false);
    expect(r.results[0]!.passed).toBe(false);
    expect(r.reason).toContain('prAuc 0.4100 < 0.4200');
  });

  it('when Brier is worse than the baseline then the Brier gate fails', () => {
    const r = evaluateGates({ prAuc: 0.5, brier: 0.1001 }, baseline);
    expect(r.results[1]!.passed).toBe(false);
    expect(r.passed).toBe(false);
  });

  it('when a metric is missing or unavailable on either side then its gate fails closed', () => {
    const missing = evaluateGates({ brier: 0.05 }, baseline);
    expect(missing.passed).toBe(false);
    expect(missing.reason).toContain('prAuc of the candidate is missing');
    const unav = evaluateGates(
      { prAuc: 0.9, brier: 0.05 },
      { prAuc: unavailable('oneClass', 'one class'), brier: 0.1 },
    );
    expect(unav.passed).toBe(false);
    expect(unav.reason).toContain('baseline is unavailable: one class');
    const nan = evaluateGates({ prAuc: Number.NaN, brier: 0.05 }, baseline);
    expect(nan.passed).toBe(false);
  });

  it('when metrics are bootstrap results then their point values are compared', () => {
    const r = evaluateGates({ prAuc: { point: 0.5 }, brier: { point: 0.09 } }, baseline);
    expect(r.passed).toBe(true);
  });

  it('when no rules are configured then nothing passes', () => {
    expect(evaluateGates({ prAuc: 1 }, baseline, { rules: [] }).passed).toBe(false);
  });

  it('when an absolute rule is configured then it applies without a baseline', () => {
    const r = evaluateGates(
      { liftTop10: 2.5 },
      {},
      { rules: [{ metric: 'liftTop10', better: 'higher', absolute: 2 }] },
    );
    expect(r.passed).toBe(true);
  });

  it('when a rule has no threshold then it throws evaluate.invalidGate', () => {
    expect(() => evaluateGates({}, {}, { rules: [{ metric: 'prAuc', better: 'higher' }] })).toThrow(
      expect.objectContaining({ code: 'evaluate.invalidGate' }),
    );
  });

  it('when the default config is read then it is the contract: PR-AUC × 1.05 and Brier × 1', () => {
    expect(DEFAULT_GATE_CONFIG.rules).toEqual([
      { metric: 'prAuc', better: 'higher', relative: 1.05 },
      { metric: 'brier', better: 'lower', relative: 1 },
    ]);
  });
});
