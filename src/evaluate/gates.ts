// Model gates: a candidate's metrics against the baseline's, failing closed — a metric
// that is missing or unavailable on either side fails its gate, with the reason.

import { LeadliftError } from '../errors.js';
import { isAvailable, type MetricValue } from './metric-value.js';

/** A metric value as gates read it: a number, an unavailable marker, or a bootstrap result. */
export type GateMetric = MetricValue | { readonly point: number } | undefined;

/** Metrics by name, e.g. `{ prAuc: 0.41, brier: 0.08 }`. */
export type MetricRecord = Readonly<Record<string, GateMetric>>;

/** One gate on one metric. */
export interface GateRule {
  /** Key in the metric records, e.g. "prAuc". */
  readonly metric: string;
  /** Which way is better: "higher" (PR-AUC) or "lower" (Brier). */
  readonly better: 'higher' | 'lower';
  /**
   * Candidate ≥ baseline × relative (higher is better) or ≤ baseline × relative (lower).
   * E.g. 1.05 for "+5%", 1 for "no worse". Needs the baseline's value.
   */
  readonly relative?: number;
  /** Candidate ≥ absolute (higher) or ≤ absolute (lower); no baseline needed. */
  readonly absolute?: number;
}

/** The gates to apply; all must pass. */
export interface GateConfig {
  readonly rules: readonly GateRule[];
}

/** The contract's gates: PR-AUC ≥ baseline × 1.05, Brier ≤ baseline's. */
export const DEFAULT_GATE_CONFIG: GateConfig = {
  rules: [
    { metric: 'prAuc', better: 'higher', relative: 1.05 },
    { metric: 'brier', better: 'lower', relative: 1 },
  ],
};

/** The outcome of one rule. */
export interface GateResult {
  readonly metric: string;
  readonly passed: boolean;
  readonly candidate: number | null;
  readonly baseline: number | null;
  /** The value the candidate had to reach (or stay under); null when it could not be set. */
  readonly threshold: number | null;
  /** One line, e.g. "prAuc 0.412 ≥ 0.399 (baseline 0.380 × 1.05)". */
  readonly reason: string;
}

/** The outcome of all rules. */
export interface GateReport {
  readonly passed: boolean;
  readonly results: readonly GateResult[];
  /** One line: "all 2 gates passed" or the failed gates' reasons joined by "; ". */
  readonly reason: string;
}

/**
 * Applies `config` (default {@link DEFAULT_GATE_CONFIG}) to the candidate's and the
 * baseline's metrics. Fails closed: a missing, unavailable or non-finite metric fails its
 * gate with the reason, and a config with no rules fails. A rule without `relative` or
 * `absolute`, or with a non-finite one, throws `evaluate.invalidGate`.
 */
export function evaluateGates(
  candidate: MetricRecord,
  baseline: MetricRecord,
  config: GateConfig = DEFAULT_GATE_CONFIG,
): GateReport {
  checkConfig(config);
  if (config.rules.length === 0) {
    return {
      passed: false,
      results: [],
      reason: 'no gates are configured; a model is never accepted without one',
    };
  }
  const results = config.rules.map((rule) => applyRule(rule, candidate, baseline));
  const failed = results.filter((r) => !r.passed);
  return {
    passed: failed.length === 0,
    results,
    reason:
      failed.length === 0
        ? `all ${results.length} gates passed`
        : `gate failed: ${failed.map((r) => r.reason).join('; ')}`,
  };
}

function applyRule(rule: GateRule, candidate: MetricRecord, baseline: MetricRecord): GateResult {
  const c = read(candidate, rule.metric);
  const needsBaseline = rule.relative !== undefined;
  const b = needsBaseline ? read(baseline, rule.metric) : { value: null, why: undefined };
  const fail = (reason: string): GateResult => ({
    metric: rule.metric,
    passed: false,
    candidate: c.value,
    baseline: b.value,
    threshold: null,
    reason,
  });
  if (c.value === null) return fail(`${rule.metric} of the candidate is ${c.why}`);
  if (needsBaseline && b.value === null) return fail(`${rule.metric} of the baseline is ${b.why}`);
  const higher = rule.better === 'higher';
  const bounds: number[] = [];
  const parts: string[] = [];
  if (rule.relative !== undefined && b.value !== null) {
    bounds.push(b.value * rule.relative);
    parts.push(`baseline ${fmt(b.value)} × ${rule.relative}`);
  }
  if (rule.absolute !== undefined) {
    bounds.push(rule.absolute);
    parts.push(`absolute ${fmt(rule.absolute)}`);
  }
  const threshold = higher ? Math.max(...bounds) : Math.min(...bounds);
  const passed = higher ? c.value >= threshold : c.value <= threshold;
  const op = higher ? (passed ? '≥' : '<') : passed ? '≤' : '>';
  return {
    metric: rule.metric,
    passed,
    candidate: c.value,
    baseline: b.value,
    threshold,
    reason: `${rule.metric} ${fmt(c.value)} ${op} ${fmt(threshold)} (${parts.join(', ')})`,
  };
}

function read(record: MetricRecord, metric: string): { value: number | null; why: string | undefined } {
  const v = record[metric];
  if (v === undefined) return { value: null, why: 'missing' };
  if (typeof v === 'number') {
    return isAvailable(v) ? { value: v, why: undefined } : { value: null, why: `not finite (${v})` };
  }
  if ('unavailable' in v) return { value: null, why: `unavailable: ${v.reason}` };
  return isAvailable(v.point)
    ? { value: v.point, why: undefined }
    : { value: null, why: `not finite (${v.point})` };
}

function checkConfig(config: GateConfig): void {
  const problems: string[] = [];
  config.rules.forEach((r, i) => {
    if (r.relative === undefined && r.absolute === undefined) {
      problems.push(`rule ${i} (${r.metric}) has neither "relative" nor "absolute"`);
    }
    if (r.relative !== undefined && !Number.isFinite(r.relative))
      problems.push(`rule ${i} relative is ${r.relative}`);
    if (r.absolute !== undefined && !Number.isFinite(r.absolute))
      problems.push(`rule ${i} absolute is ${r.absolute}`);
    if (r.better !== 'higher' && r.better !== 'lower') {
      problems.push(`rule ${i} better is "${String(r.better)}" (allowed: higher, lower)`);
    }
  });
  if (problems.length > 0) {
    throw new LeadliftError('evaluate.invalidGate', `Gate config is invalid: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}
